"""Dated values from `bot/data/werte.yml`: the entry valid on a Stichtag, with norm and source."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

from bot.errors import AsaError

_PFLICHTFELDER = ("wert", "gueltig_ab", "norm", "quelle")


class WertError(AsaError):
    """A dated value is unknown, malformed, or has no entry valid on the requested day."""


@dataclass(frozen=True)
class Wert:
    """One dated entry: the value, its validity interval, its legal norm and its source."""

    name: str
    wert: Any
    gueltig_ab: date
    gueltig_bis: date | None
    norm: str
    quelle: str
    beschreibung: str = ""

    def gilt_am(self, stichtag: date) -> bool:
        """True when the entry is valid on `stichtag` (both interval ends included)."""
        if stichtag < self.gueltig_ab:
            return False
        return self.gueltig_bis is None or stichtag <= self.gueltig_bis


def _als_datum(name: str, feld: str, roh: object) -> date:
    if isinstance(roh, date):
        return roh
    if isinstance(roh, str):
        try:
            return date.fromisoformat(roh)
        except ValueError:
            pass
    raise WertError(f"werte.yml: '{name}' hat in '{feld}' kein gültiges Datum: {roh!r}")


def _eintrag(name: str, roh: object) -> Wert:
    if not isinstance(roh, dict):
        raise WertError(f"werte.yml: Eintrag von '{name}' ist keine Zuordnung")
    for feld in _PFLICHTFELDER:
        if feld not in roh:
            raise WertError(f"werte.yml: Eintrag von '{name}' ohne Pflichtfeld '{feld}'")
    ab = _als_datum(name, "gueltig_ab", roh["gueltig_ab"])
    bis = (
        None
        if roh.get("gueltig_bis") is None
        else _als_datum(name, "gueltig_bis", roh["gueltig_bis"])
    )
    if bis is not None and bis < ab:
        raise WertError(f"werte.yml: '{name}' endet ({bis}) vor seinem Beginn ({ab})")
    return Wert(
        name=name,
        wert=roh["wert"],
        gueltig_ab=ab,
        gueltig_bis=bis,
        norm=str(roh["norm"]),
        quelle=str(roh["quelle"]),
        beschreibung=str(roh.get("beschreibung", "")),
    )


def parse_werte(text: str) -> dict[str, tuple[Wert, ...]]:
    """Parse and check the YAML text of dated values; entries of one name must not overlap."""
    daten = yaml.safe_load(text)
    if not isinstance(daten, dict):
        raise WertError("werte.yml: oberste Ebene muss eine Zuordnung von Namen sein")
    ergebnis: dict[str, tuple[Wert, ...]] = {}
    for name, liste in daten.items():
        if not isinstance(liste, list) or not liste:
            raise WertError(f"werte.yml: '{name}' braucht eine nicht leere Liste von Einträgen")
        eintraege = sorted((_eintrag(str(name), e) for e in liste), key=lambda w: w.gueltig_ab)
        for frueher, spaeter in itertools.pairwise(eintraege):
            if frueher.gueltig_bis is None or frueher.gueltig_bis >= spaeter.gueltig_ab:
                raise WertError(
                    f"werte.yml: Einträge von '{name}' überschneiden sich "
                    f"({frueher.gueltig_ab} und {spaeter.gueltig_ab})"
                )
        ergebnis[str(name)] = tuple(eintraege)
    return ergebnis


@functools.lru_cache(maxsize=1)
def alle_werte() -> dict[str, tuple[Wert, ...]]:
    """All dated values, read once from the packaged `bot/data/werte.yml`."""
    text = resources.files("bot").joinpath("data/werte.yml").read_text(encoding="utf-8")
    return parse_werte(text)


def eintraege(name: str) -> tuple[Wert, ...]:
    """Every dated entry of `name`, oldest first."""
    try:
        return alle_werte()[name]
    except KeyError:
        raise WertError(f"Unbekannter Wert '{name}'") from None


def eintrag_optional(name: str, stichtag: date) -> Wert | None:
    """The entry of `name` valid on `stichtag`, or None when no entry covers that day."""
    for kandidat in eintraege(name):
        if kandidat.gilt_am(stichtag):
            return kandidat
    return None


def eintrag(name: str, stichtag: date) -> Wert:
    """The entry of `name` valid on `stichtag`; raises WertError when no entry covers that day."""
    gefunden = eintrag_optional(name, stichtag)
    if gefunden is None:
        raise WertError(f"Für '{name}' ist am {stichtag.isoformat()} kein gültiger Wert hinterlegt")
    return gefunden


def wert(name: str, stichtag: date) -> Any:
    """The value of `name` valid on `stichtag` (for the dialogue layer and the rules)."""
    return eintrag(name, stichtag).wert
