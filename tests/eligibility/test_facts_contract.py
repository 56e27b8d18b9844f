"""The facts contract of `asa-bot check` (parse_facts): types, enums, dates, unknown keys."""

from __future__ import annotations

from datetime import date

import pytest

from bot.eligibility import Facts, FactsError, parse_facts
from bot.errors import AsaError


def test_facts_error_is_an_asa_error_with_field() -> None:
    with pytest.raises(FactsError) as info:
        parse_facts({"rolle": "junger_mensch", "alter": 17})
    assert isinstance(info.value, AsaError)
    assert info.value.field == "alter"
    assert "alter" in str(info.value)


@pytest.mark.parametrize(
    ("angaben", "feld"),
    [
        ({}, "rolle"),
        ({"rolle": None}, "rolle"),
        ({"rolle": "schueler"}, "rolle"),
        ({"rolle": "junger_mensch", "teilzeit": "ja"}, "teilzeit"),
        ({"rolle": "junger_mensch", "teilzeit": 1}, "teilzeit"),
        ({"rolle": "junger_mensch", "situation": "arbeitslos"}, "situation"),
        ({"rolle": "junger_mensch", "deutsch_niveau": "b1"}, "deutsch_niveau"),
        ({"rolle": "junger_mensch", "stichtag": "2026-02-30"}, "stichtag"),
        ({"rolle": "junger_mensch", "aufenthalt_seit": "15.01.2025"}, "aufenthalt_seit"),
        ({"rolle": "junger_mensch", "einreise_datum": 20190801}, "einreise_datum"),
        ({"rolle": "junger_mensch", "ausbildungsende": "2025-7-31"}, "ausbildungsende"),
        ({"rolle": "junger_mensch", "Situation": "schule"}, "Situation"),
    ],
)
def test_parse_facts_names_the_bad_field(angaben: dict[str, object], feld: str) -> None:
    with pytest.raises(FactsError) as info:
        parse_facts(angaben)
    assert info.value.field == feld
    assert str(info.value).startswith(f"{feld}:")


def test_parse_facts_null_means_unknown() -> None:
    facts = parse_facts({"rolle": "betrieb", "teilzeit": None, "stichtag": None})
    assert facts == Facts(rolle="betrieb")
    assert facts.angegeben() == frozenset({"rolle"})


def test_parse_facts_reads_every_type() -> None:
    facts = parse_facts(
        {
            "rolle": "junger_mensch",
            "stichtag": "2026-04-15",
            "situation": "in_eq",
            "teilzeit": False,
            "staatsangehoerigkeit": "drittstaat",
            "aufenthaltsstatus": "duldung",
            "deutsch_niveau": "B1",
            "pflegeausbildung": "altenpflegegesetz",
            "aufenthalt_seit": "2024-02-29",
        }
    )
    assert facts.stichtag == date(2026, 4, 15)
    assert facts.aufenthalt_seit == date(2024, 2, 29)
    assert facts.teilzeit is False
    assert facts.to_dict()["aufenthalt_seit"] == "2024-02-29"


def test_parse_facts_rejects_non_mapping() -> None:
    with pytest.raises(FactsError):
        parse_facts(["rolle"])  # type: ignore[arg-type]
