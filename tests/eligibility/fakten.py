"""Helpers for the eligibility tests: evaluate keyword facts and read one option's result."""

from __future__ import annotations

from typing import Any

from bot.eligibility import Ergebnis, OptionErgebnis, evaluate, parse_facts

JUNG: dict[str, Any] = {"rolle": "junger_mensch"}

# A young person looking for training who meets every Vorphase condition on these facts.
SUCHEND: dict[str, Any] = {
    "rolle": "junger_mensch",
    "stichtag": "2026-04-15",
    "situation": "sucht_ausbildung",
    "vollzeitschulpflicht_erfuellt": True,
    "ausbildungsreife": True,
    "unterstuetzung_noetig": True,
}

# A trainee with a signed contract who needs support (begleitende Phase, § 74 Abs. 3 Nr. 1).
AZUBI: dict[str, Any] = {
    "rolle": "junger_mensch",
    "stichtag": "2026-04-15",
    "situation": "in_ausbildung",
    "ausbildungsvertrag_unterschrieben": True,
    "unterstuetzung_noetig": True,
}


def pruefe(basis: dict[str, Any] | None = None, **angaben: Any) -> Ergebnis:
    """Evaluate `basis` updated with `angaben` (None values mean unknown)."""
    daten = dict(basis or JUNG)
    daten.update(angaben)
    return evaluate(parse_facts(daten))


def option(name: str, basis: dict[str, Any] | None = None, **angaben: Any) -> OptionErgebnis:
    """The result of option `name` for the given facts."""
    return pruefe(basis, **angaben).option(name)


def regeln(ergebnis: OptionErgebnis) -> dict[str, str]:
    """Rule name → kind for every top-level finding of an option."""
    return {b.regel: b.art for b in ergebnis.befunde}


def alle_regeln(ergebnis: OptionErgebnis) -> dict[str, str]:
    """Rule name → kind for every finding of an option, nested branches included."""
    gefunden: dict[str, str] = {}
    stapel = list(ergebnis.befunde)
    while stapel:
        befund = stapel.pop()
        gefunden.setdefault(befund.regel, befund.art)
        stapel.extend(befund.teile)
    return gefunden
