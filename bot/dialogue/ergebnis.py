"""Turns a rules result into the named responses (with values) that present it in the chat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_ENTSCHEIDEND = {"ja": "erfuellt", "nein": "nicht_erfuellt", "offen": "offen"}


@dataclass(frozen=True)
class Nachricht:
    """One response to send by name, with the values its text refers to."""

    response: str
    werte: dict[str, str] = field(default_factory=dict)


def grund(option: Mapping[str, Any]) -> str:
    """The sentence that decided an option's status (the first reason of the deciding kind)."""
    art = _ENTSCHEIDEND[option["status"]]
    for eintrag in option["gruende"]:
        if eintrag.get("art") == art:
            return str(eintrag["text"])
    return str(option["gruende"][0]["text"]) if option["gruende"] else ""


def norm(option: Mapping[str, Any]) -> str:
    """The legal norms an option's deciding reasons cite, without repeats."""
    art = _ENTSCHEIDEND[option["status"]]
    normen = [g["norm"] for g in option["gruende"] if g.get("art") == art and g.get("norm")]
    return "; ".join(dict.fromkeys(normen))


def hinweise(option: Mapping[str, Any]) -> str:
    """The option's hints (duration, hours, consent of the Ausländerbehörde, …) as one text."""
    return " ".join(str(g["text"]) for g in option["gruende"] if g.get("art") == "hinweis")


def datum_deutsch(iso: str) -> str:
    """YYYY-MM-DD as DD.MM.YYYY."""
    jahr, monat, tag = iso.split("-")
    return f"{tag}.{monat}.{jahr}"


def fehlende_angaben(ergebnis: Mapping[str, Any], optionen: Iterable[str]) -> list[str]:
    """Missing facts of the shown options, in order of first mention, without repeats."""
    fehlend: dict[str, None] = {}
    for option in optionen:
        fehlend.update(dict.fromkeys(ergebnis["optionen"][option]["fehlende_angaben"]))
    return list(fehlend)


def _abschluss(ergebnis: Mapping[str, Any], gezeigt: list[str]) -> list[Nachricht]:
    """What is still missing and who can clarify it, the contact, and who decides."""
    nachrichten: list[Nachricht] = []
    fehlend = fehlende_angaben(ergebnis, gezeigt)
    if fehlend:
        nachrichten.append(Nachricht("utter_fehlt_einleitung"))
        nachrichten.extend(Nachricht(f"utter_fehlt_{fakt}") for fakt in fehlend)
    nachrichten.append(Nachricht(f"utter_kontakt_{ergebnis['zustaendig']['stelle']}"))
    nachrichten.append(Nachricht("utter_ergebnis_hinweis"))
    return nachrichten


def ergebnis_nachrichten(ergebnis: Mapping[str, Any], optionen: Iterable[str]) -> list[Nachricht]:
    """The result for a young person: one line per option, what is missing, contact, note."""
    gezeigt = list(optionen)
    nachrichten = [Nachricht("utter_ergebnis_einleitung")]
    for name in gezeigt:
        option = ergebnis["optionen"][name]
        nachrichten.append(
            Nachricht(f"utter_option_{name}_{option['status']}", {"grund": grund(option)})
        )
        if option["status"] == "ja" and (text := hinweise(option)):
            nachrichten.append(Nachricht("utter_option_hinweise", {"hinweise": text}))
    return nachrichten + _abschluss(ergebnis, gezeigt)


def begruendung_nachrichten(
    ergebnis: Mapping[str, Any], optionen: Iterable[str]
) -> list[Nachricht]:
    """Each shown option's reasons with norm and source (for "Warum?" / "Rechtsgrundlage")."""
    nachrichten: list[Nachricht] = []
    for name in optionen:
        option = ergebnis["optionen"][name]
        zeilen = [
            f"{g['text']} ({g['norm']}; Quelle: {g['quelle']})"
            for g in option["gruende"]
            if g.get("art") in ("erfuellt", "nicht_erfuellt", "offen", "hinweis")
        ]
        nachrichten.append(
            Nachricht(
                "utter_begruendung_option",
                {"option": str(option["bezeichnung"]), "gruende": "\n".join(zeilen)},
            )
        )
    return nachrichten


def zusammenfassung_nachrichten(
    ergebnis: Mapping[str, Any], optionen: Iterable[str]
) -> list[Nachricht]:
    """A summary to take to the appointment: each option with status, reason and norm."""
    gezeigt = list(optionen)
    stichtag = datum_deutsch(str(ergebnis["stichtag"]))
    nachrichten = [Nachricht("utter_zusammenfassung_kopf", {"stichtag": stichtag})]
    for name in gezeigt:
        option = ergebnis["optionen"][name]
        werte = {"option": str(option["bezeichnung"]), "grund": grund(option), "norm": norm(option)}
        nachrichten.append(Nachricht(f"utter_zusammenfassung_{option['status']}", werte))
    return nachrichten + _abschluss(ergebnis, gezeigt)
