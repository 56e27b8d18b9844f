"""Dated values (werte.yml) and calendar-month counting used by §§ 74, 75a SGB III rules."""

from __future__ import annotations

from datetime import date

import pytest

from bot.eligibility import WertError, values, wert
from bot.eligibility.kalender import frist_erreicht, monate_und_tage, plus_monate, volle_monate
from bot.errors import AsaError


def test_every_entry_in_werte_yml_carries_norm_and_quelle() -> None:
    alle = values.alle_werte()
    assert len(alle) >= 15
    for name, eintraege in alle.items():
        for eintrag in eintraege:
            assert eintrag.norm, name
            assert eintrag.quelle, name


@pytest.mark.parametrize(
    ("stichtag", "erwartet", "quelle"),
    [
        (date(2025, 10, 7), 22, "IHK Hannover"),
        (date(2026, 3, 31), 22, "IHK Hannover"),
        (date(2026, 4, 1), 20, "vbw"),
        (date(2026, 4, 2), 20, "vbw"),
    ],
)
def test_75a_vorphase_minimum_hours_conflict_newer_source_in_force(
    stichtag: date, erwartet: int, quelle: str
) -> None:
    eintrag = values.eintrag("vorphase_wochenstunden_minimum", stichtag)
    assert eintrag.wert == erwartet
    assert eintrag.quelle.startswith(quelle)


def test_75a_vorphase_minimum_hours_keeps_both_sources() -> None:
    eintraege = values.eintraege("vorphase_wochenstunden_minimum")
    assert [e.wert for e in eintraege] == [22, 20]


def test_75a_minimum_hours_unknown_before_first_source_is_an_error() -> None:
    with pytest.raises(WertError, match="kein gültiger Wert"):
        wert("vorphase_wochenstunden_minimum", date(2025, 10, 6))
    assert values.eintrag_optional("vorphase_wochenstunden_minimum", date(2025, 10, 6)) is None


@pytest.mark.parametrize(
    ("stichtag", "minimum"),
    [(date(2024, 3, 30), 6), (date(2024, 3, 31), 6), (date(2024, 4, 1), 4), (date(2024, 4, 2), 4)],
)
def test_54a_eq_minimum_duration_by_date(stichtag: date, minimum: int) -> None:
    assert wert("eq_dauer_min_monate", stichtag) == minimum
    assert wert("eq_dauer_max_monate", stichtag) == 12


def test_public_wert_gives_dated_values_for_the_dialogue_layer() -> None:
    tag = date(2026, 5, 1)
    assert wert("mindestaufenthalt_monate", tag) == 15
    assert wert("mindestaufenthalt_monate_fruehe_einreise", tag) == 3
    assert wert("einreise_stichtag_verkuerzte_frist", tag) == date(2019, 8, 1)
    assert wert("vorphase_dauer_monate", tag) == 6
    assert wert("vorphase_verlaengerung_monate", tag) == 2
    assert wert("vorphase_wochenstunden_regel", tag) == 39
    assert wert("nachbetreuung_monate_nach_arbeitsbeginn", tag) == 6
    assert wert("nachbetreuung_monate_nach_ausbildungsende", tag) == 12
    assert wert("asa_inkrafttreten", tag) == date(2020, 5, 29)
    assert wert("pflegeberufegesetz_foerderbar_ab", tag) == date(2020, 1, 1)
    assert wert("arbeitgeber_service_telefon", tag) == "0800 4 5555 20"


def test_unknown_value_name_is_a_clear_error() -> None:
    with pytest.raises(WertError, match="Unbekannter Wert 'gibt_es_nicht'"):
        wert("gibt_es_nicht", date(2026, 1, 1))
    assert issubclass(WertError, AsaError)


def test_parse_werte_rejects_overlapping_entries() -> None:
    text = """
x:
  - {wert: 1, gueltig_ab: 2020-01-01, norm: n, quelle: q}
  - {wert: 2, gueltig_ab: 2021-01-01, norm: n, quelle: q}
"""
    with pytest.raises(WertError, match="überschneiden"):
        values.parse_werte(text)


def test_parse_werte_rejects_missing_source_and_bad_dates() -> None:
    with pytest.raises(WertError, match="quelle"):
        values.parse_werte("x:\n  - {wert: 1, gueltig_ab: 2020-01-01, norm: n}\n")
    with pytest.raises(WertError, match="Datum"):
        values.parse_werte("x:\n  - {wert: 1, gueltig_ab: morgen, norm: n, quelle: q}\n")
    with pytest.raises(WertError, match="vor seinem Beginn"):
        values.parse_werte(
            "x:\n  - {wert: 1, gueltig_ab: 2021-01-01, gueltig_bis: 2020-01-01, "
            "norm: n, quelle: q}\n"
        )


def test_parse_werte_picks_entry_by_date_including_both_ends() -> None:
    daten = values.parse_werte(
        """
x:
  - {wert: alt, gueltig_ab: 2020-01-01, gueltig_bis: 2020-12-31, norm: n, quelle: q}
  - {wert: neu, gueltig_ab: 2021-01-01, norm: n, quelle: q}
"""
    )
    alt, neu = daten["x"]
    assert alt.gilt_am(date(2020, 12, 31)) and not alt.gilt_am(date(2021, 1, 1))
    assert neu.gilt_am(date(2021, 1, 1)) and not neu.gilt_am(date(2020, 12, 31))


def test_75a_stay_of_14_months_30_days_vs_15_months() -> None:
    assert monate_und_tage(date(2025, 1, 15), date(2026, 4, 14)) == (14, 30)
    assert monate_und_tage(date(2025, 1, 15), date(2026, 4, 15)) == (15, 0)
    assert not frist_erreicht(date(2025, 1, 15), 15, date(2026, 4, 14))
    assert frist_erreicht(date(2025, 1, 15), 15, date(2026, 4, 15))
    assert frist_erreicht(date(2025, 1, 15), 15, date(2026, 4, 16))


@pytest.mark.parametrize(
    ("start", "monate", "ziel"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 15, date(2026, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_calendar_months_clamp_to_month_end(start: date, monate: int, ziel: date) -> None:
    assert plus_monate(start, monate) == ziel


def test_calendar_months_count_up_to_stichtag() -> None:
    assert volle_monate(date(2025, 1, 31), date(2025, 2, 27)) == 0
    assert volle_monate(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert volle_monate(date(2026, 5, 1), date(2026, 4, 15)) == -1
    assert volle_monate(date(2026, 4, 15), date(2026, 4, 15)) == 0
