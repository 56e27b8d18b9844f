"""Figures for the answers' placeholders, taken from the rules' dated values on a given day."""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.eligibility import wert

#: Slot in the domain → name of the dated value in bot/data/werte.yml.
WERT_SLOTS: Final = {
    "wert_vorphase_wochenstunden_regel": "vorphase_wochenstunden_regel",
    "wert_vorphase_wochenstunden_min": "vorphase_wochenstunden_minimum",
    "wert_vorphase_dauer_monate": "vorphase_dauer_monate",
    "wert_vorphase_verlaengerung_monate": "vorphase_verlaengerung_monate",
    "wert_eq_dauer_min_monate": "eq_dauer_min_monate",
    "wert_eq_dauer_max_monate": "eq_dauer_max_monate",
    "wert_mindestaufenthalt_monate": "mindestaufenthalt_monate",
    "wert_mindestaufenthalt_altfall_monate": "mindestaufenthalt_monate_fruehe_einreise",
    "wert_nachbetreuung_arbeit_monate": "nachbetreuung_monate_nach_arbeitsbeginn",
    "wert_nachbetreuung_ausbildung_monate": "nachbetreuung_monate_nach_ausbildungsende",
}


def anzeige_werte(stichtag: date) -> dict[str, str]:
    """Each figure slot with the value in force on `stichtag`, as text."""
    return {slot: str(wert(name, stichtag)) for slot, name in WERT_SLOTS.items()}
