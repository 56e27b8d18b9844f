"""The company flow without Rasa: its answers as facts and the named responses of its result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from bot.dialogue.ergebnis import Nachricht
from bot.dialogue.fragen import UNBEKANNT
from bot.eligibility import evaluate, parse_facts

BETRIEB_LAGEN: Final = ("azubi_da", "eq_da", "geplant")
SCHWIERIGKEITEN: Final = ("berufsschule", "pruefung", "verhalten", "sprache", "organisation")
#: Options that concern a company; explained on "Warum?" and in the summary.
BETRIEB_OPTIONEN: Final = ("begleitende_phase", "vorphase", "eq")


def betrieb_fakten(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Facts contract for a company from the form's slots."""
    fakten: dict[str, Any] = {"rolle": "betrieb"}
    lage = slots.get("betrieb_lage")
    if lage in BETRIEB_LAGEN:
        fakten["betrieb_bildet_aus_oder_will"] = True
    erstmals = slots.get("betrieb_erstmals_ausbildend")
    if isinstance(erstmals, bool):
        fakten["betrieb_erstmals_ausbildend"] = erstmals
    return fakten


def betrieb_ergebnis(slots: Mapping[str, Any], stichtag: date) -> dict[str, Any]:
    """The rules' result (CLI JSON shape) for the company's answers."""
    return evaluate(parse_facts(betrieb_fakten(slots)), stichtag).to_dict()


def betrieb_nachrichten(slots: Mapping[str, Any], stichtag: date) -> list[Nachricht]:
    """What the company and its trainee can get, how to start, and who decides."""
    ergebnis = betrieb_ergebnis(slots, stichtag)
    status = ergebnis["optionen"]["begleitende_phase"]["status"]
    lage = slots.get("betrieb_lage")
    nachrichten = [Nachricht(f"utter_betrieb_ergebnis_{status}")]
    if lage == "eq_da":
        nachrichten.append(Nachricht("utter_betrieb_eq"))
    elif lage == "geplant":
        nachrichten.append(Nachricht("utter_betrieb_vorphase"))
    schwierigkeit = slots.get("schwierigkeit")
    if schwierigkeit in SCHWIERIGKEITEN:
        nachrichten.append(Nachricht(f"utter_betrieb_hilfe_{schwierigkeit}"))
    if slots.get("betrieb_erstmals_ausbildend") is True:
        nachrichten.append(Nachricht("utter_betrieb_erstmals"))
    nachrichten.append(Nachricht("utter_betrieb_rahmen"))
    nachrichten.append(Nachricht("utter_kontakt_arbeitgeber_service"))
    nachrichten.append(Nachricht("utter_ergebnis_hinweis"))
    return nachrichten


def betrieb_antwort(
    gefragt: str, intent: str | None, entities: list[dict[str, Any]]
) -> str | bool | None:
    """The slot value a message gives for the company form's question `gefragt`."""
    if intent == "dont_know":
        return UNBEKANNT
    werte = {e.get("entity"): e.get("value") for e in entities}
    if gefragt == "betrieb_lage":
        lage = werte.get("betrieb_lage")
        return lage if lage in BETRIEB_LAGEN else None
    if gefragt == "betrieb_erstmals_ausbildend":
        return {"affirm": True, "deny": False}.get(intent or "")
    if gefragt == "schwierigkeit":
        art = werte.get("schwierigkeit")
        if art in SCHWIERIGKEITEN:
            return str(art)
        return "keine" if intent == "deny" else None
    return None
