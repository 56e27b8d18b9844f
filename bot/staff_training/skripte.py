"""Loads and validates the training scripts (YAML, one persona per file) under `training/`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from bot.errors import AsaError
from bot.settings import PROJECT_ROOT

#: Where the scripts live unless a command is given another folder.
SKRIPT_ORDNER: Final = PROJECT_ROOT / "training"

_NAME: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SKRIPT_FELDER: Final = frozenset({"name", "titel", "beschreibung", "turns"})
_SCHRITT_FELDER: Final = frozenset({"nutzer", "erwartet", "lernhinweis", "regel"})
_REGEL_FELDER: Final = frozenset({"norm", "text"})


class SkriptFehler(AsaError):
    """A training script cannot be read or does not follow the documented format."""


@dataclass(frozen=True)
class Regel:
    """The decisive rule of a turn, with its legal reference, shown beside the bot's reply."""

    norm: str
    text: str


@dataclass(frozen=True)
class Schritt:
    """One turn: what the user sends, what the reply must contain, what to learn from it."""

    nutzer: str
    erwartet: tuple[str, ...]
    lernhinweis: str
    regel: Regel | None = None


@dataclass(frozen=True)
class Skript:
    """One persona's scripted conversation."""

    name: str
    titel: str
    beschreibung: str
    schritte: tuple[Schritt, ...]
    datei: Path


def _text(wert: object, wo: str, *, leer_erlaubt: bool = False) -> str:
    if isinstance(wert, (int, float)) and not isinstance(wert, bool):
        wert = str(wert)
    if not isinstance(wert, str):
        raise SkriptFehler(f"{wo}: erwartet wird ein Text, gefunden {_art(wert)}.")
    if not leer_erlaubt and not wert.strip():
        raise SkriptFehler(f"{wo}: darf nicht leer sein.")
    return wert.strip()


def _art(wert: object) -> str:
    if wert is None:
        return "nichts (leer)"
    if isinstance(wert, bool):
        return "ja/nein"
    if isinstance(wert, dict):
        return "eine Zuordnung (Feld: Wert)"
    if isinstance(wert, list):
        return "eine Liste"
    return f"„{wert}“"


def _felder_pruefen(
    daten: dict[Any, Any], erlaubt: frozenset[str], pflicht: set[str], wo: str
) -> None:
    unbekannt = sorted(str(k) for k in daten if k not in erlaubt)
    if unbekannt:
        raise SkriptFehler(
            f"{wo}: unbekanntes Feld {', '.join(unbekannt)} "
            f"(erlaubt: {', '.join(sorted(erlaubt))})."
        )
    fehlend = sorted(f for f in pflicht if f not in daten)
    if fehlend:
        raise SkriptFehler(f"{wo}: Pflichtfeld {', '.join(fehlend)} fehlt.")


def _regel(wert: object, wo: str) -> Regel | None:
    if wert is None:
        return None
    if not isinstance(wert, dict):
        raise SkriptFehler(
            f"{wo}: erwartet werden die Felder norm und text, gefunden {_art(wert)}."
        )
    _felder_pruefen(wert, _REGEL_FELDER, set(_REGEL_FELDER), wo)
    return Regel(norm=_text(wert["norm"], f"{wo}.norm"), text=_text(wert["text"], f"{wo}.text"))


def _erwartet(wert: object, wo: str) -> tuple[str, ...]:
    if isinstance(wert, str):
        wert = [wert]
    if not isinstance(wert, list):
        raise SkriptFehler(f"{wo}: erwartet wird eine Liste von Texten, gefunden {_art(wert)}.")
    return tuple(_text(teil, f"{wo}[{i + 1}]") for i, teil in enumerate(wert))


def _schritt(wert: object, wo: str) -> Schritt:
    if not isinstance(wert, dict):
        raise SkriptFehler(
            f"{wo}: ein Schritt braucht die Felder nutzer, erwartet und lernhinweis, "
            f"gefunden {_art(wert)}."
        )
    _felder_pruefen(wert, _SCHRITT_FELDER, {"nutzer", "erwartet", "lernhinweis"}, wo)
    return Schritt(
        nutzer=_text(wert["nutzer"], f"{wo}.nutzer"),
        erwartet=_erwartet(wert["erwartet"], f"{wo}.erwartet"),
        lernhinweis=_text(wert["lernhinweis"], f"{wo}.lernhinweis"),
        regel=_regel(wert.get("regel"), f"{wo}.regel"),
    )


def skript_aus_daten(daten: object, datei: Path) -> Skript:
    """Validate the parsed YAML of one file and build its script."""
    wo = str(datei)
    if not isinstance(daten, dict):
        raise SkriptFehler(
            f"{wo}: ein Skript beginnt mit den Feldern name, titel, beschreibung und turns, "
            f"gefunden {_art(daten)}."
        )
    _felder_pruefen(daten, _SKRIPT_FELDER, set(_SKRIPT_FELDER), wo)
    name = _text(daten["name"], f"{wo}: name")
    if not _NAME.match(name):
        raise SkriptFehler(
            f"{wo}: name „{name}“ darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten "
            "(zum Beispiel „azubi-pruefungsangst“)."
        )
    turns = daten["turns"]
    if not isinstance(turns, list) or not turns:
        raise SkriptFehler(f"{wo}: turns muss eine Liste mit mindestens einem Schritt sein.")
    return Skript(
        name=name,
        titel=_text(daten["titel"], f"{wo}: titel"),
        beschreibung=_text(daten["beschreibung"], f"{wo}: beschreibung"),
        schritte=tuple(
            _schritt(turn, f"{wo}: turns, Schritt {i + 1}") for i, turn in enumerate(turns)
        ),
        datei=datei,
    )


def skript_laden(datei: Path) -> Skript:
    """Read one script file; a broken file raises SkriptFehler naming file and field."""
    try:
        roh = datei.read_text(encoding="utf-8")
    except OSError as fehler:
        raise SkriptFehler(f"{datei}: kann nicht gelesen werden ({fehler.strerror}).") from None
    except UnicodeDecodeError:
        raise SkriptFehler(f"{datei}: ist nicht UTF-8-kodiert.") from None
    try:
        daten = yaml.safe_load(roh)
    except yaml.YAMLError as fehler:
        stelle = getattr(fehler, "problem_mark", None)
        zeile = f", Zeile {stelle.line + 1}" if stelle is not None else ""
        grund = getattr(fehler, "problem", None) or "kein gültiges YAML"
        raise SkriptFehler(f"{datei}{zeile}: kein gültiges YAML ({grund}).") from None
    return skript_aus_daten(daten, datei)


def skripte_laden(ordner: Path = SKRIPT_ORDNER) -> list[Skript]:
    """All scripts in `ordner` (*.yml, *.yaml; README and hidden files aside), sorted by name."""
    if not ordner.is_dir():
        raise SkriptFehler(f"{ordner}: Ordner mit Trainingsskripten nicht gefunden.")
    dateien = sorted(
        p for p in ordner.iterdir() if p.suffix in {".yml", ".yaml"} and not p.name.startswith(".")
    )
    if not dateien:
        raise SkriptFehler(f"{ordner}: enthält keine Trainingsskripte (*.yml).")
    skripte: dict[str, Skript] = {}
    for datei in dateien:
        skript = skript_laden(datei)
        if skript.name in skripte:
            raise SkriptFehler(
                f"{datei}: name „{skript.name}“ gibt es schon in {skripte[skript.name].datei}."
            )
        skripte[skript.name] = skript
    return sorted(skripte.values(), key=lambda s: s.name)


def skript_finden(skripte: list[Skript], name: str) -> Skript:
    """The script called `name`; an unknown name lists the known ones."""
    for skript in skripte:
        if skript.name == name:
            return skript
    bekannt = ", ".join(s.name for s in skripte)
    raise SkriptFehler(f"Kein Trainingsskript „{name}“. Vorhanden: {bekannt}.")
