"""Eligibility rules for AsA flex (§§ 74–75a SGB III) and related instruments; no Rasa imports."""

from __future__ import annotations

from bot.eligibility.engine import evaluate
from bot.eligibility.facts import Facts, FactsError, parse_facts
from bot.eligibility.result import Ergebnis, OptionErgebnis
from bot.eligibility.values import WertError, wert

__all__ = [
    "Ergebnis",
    "Facts",
    "FactsError",
    "OptionErgebnis",
    "WertError",
    "evaluate",
    "parse_facts",
    "wert",
]
