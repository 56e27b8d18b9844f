"""Invariants of §§ 74–75a SGB III evaluation (hypothesis, exhaustive): consistency, monotonicity.

Monotonicity: stating one more fact may settle an open option, but a "nein" never turns into
"offen", and fehlende_angaben never names a fact that was already stated.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.eligibility import evaluate, parse_facts
from bot.eligibility.facts import ALLE_FELDER, BOOL_FELDER, ENUM_FELDER
from bot.eligibility.result import OPTIONEN
from bot.eligibility.schemas import schema

EINSTELLUNGEN = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Facts whose absence is read as the ordinary case (documented presumptions in docs/rules.md):
# stating them may reopen a "ja" with a new question, but never a "nein".
ANNAHME_FAKTEN = frozenset(
    {
        "staatsangehoerigkeit",
        "aufenthaltsstatus",
        "erwerbstaetigkeit_erlaubt",
        "wohnsitz_im_ausland",
        "pflegeausbildung",
        "situation",
    }
)

_TAGE = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
_STICHTAGE = st.dates(min_value=date(2020, 5, 29), max_value=date(2030, 12, 31))


def _wert(feld: str) -> st.SearchStrategy[Any]:
    if feld in BOOL_FELDER:
        return st.booleans()
    if feld in ENUM_FELDER:
        return st.sampled_from(ENUM_FELDER[feld])
    if feld == "stichtag":
        return _STICHTAGE.map(date.isoformat)
    return _TAGE.map(date.isoformat)


_FREIE_FELDER = sorted(ALLE_FELDER - {"rolle", "stichtag"})


@st.composite
def fakten(draw: st.DrawFn) -> dict[str, Any]:
    """A random, valid facts object with a fixed Stichtag and a random subset of stated facts."""
    daten: dict[str, Any] = {
        "rolle": draw(st.sampled_from(ENUM_FELDER["rolle"])),
        "stichtag": draw(_STICHTAGE).isoformat(),
    }
    for feld in draw(st.lists(st.sampled_from(_FREIE_FELDER), unique=True, max_size=14)):
        daten[feld] = draw(_wert(feld))
    return daten


@st.composite
def fakten_mit_zusatz(draw: st.DrawFn) -> tuple[dict[str, Any], str, Any]:
    """Facts plus one further fact that was not yet stated."""
    basis = draw(fakten())
    frei = [f for f in _FREIE_FELDER if f not in basis]
    feld = draw(st.sampled_from(frei))
    return basis, feld, draw(_wert(feld))


def _ergebnis(daten: dict[str, Any]) -> dict[str, Any]:
    return evaluate(parse_facts(daten)).to_dict()


@EINSTELLUNGEN
@given(fakten())
def test_74_every_option_is_consistent(daten: dict[str, Any]) -> None:
    ergebnis = _ergebnis(daten)
    assert list(ergebnis["optionen"]) == list(OPTIONEN)
    for name, option in ergebnis["optionen"].items():
        if option["status"] == "offen":
            assert option["fehlende_angaben"], name
        else:
            assert option["gruende"], name
            assert option["fehlende_angaben"] == [], name
        for grund in option["gruende"]:
            assert grund["text"] and grund["norm"] and grund["quelle"]
        for fakt in option["fehlende_angaben"]:
            assert fakt in ALLE_FELDER, fakt
            assert fakt not in daten, (name, fakt)


@EINSTELLUNGEN
@given(fakten())
def test_74_result_matches_the_result_schema(daten: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema("result")).validate(_ergebnis(daten))


@EINSTELLUNGEN
@given(fakten_mit_zusatz())
def test_74_a_stated_fact_never_turns_nein_into_offen(
    beispiel: tuple[dict[str, Any], str, Any],
) -> None:
    basis, feld, wert = beispiel
    vorher = _ergebnis(basis)["optionen"]
    nachher = _ergebnis({**basis, feld: wert})["optionen"]
    for name in OPTIONEN:
        if vorher[name]["status"] == "nein":
            assert nachher[name]["status"] != "offen", (name, feld, wert)


@EINSTELLUNGEN
@given(fakten_mit_zusatz())
def test_74_a_decided_ja_stays_decided_for_ordinary_facts(
    beispiel: tuple[dict[str, Any], str, Any],
) -> None:
    basis, feld, wert = beispiel
    if feld in ANNAHME_FAKTEN:
        return
    vorher = _ergebnis(basis)["optionen"]
    nachher = _ergebnis({**basis, feld: wert})["optionen"]
    for name in OPTIONEN:
        if vorher[name]["status"] == "ja":
            assert nachher[name]["status"] != "offen", (name, feld, wert)


@EINSTELLUNGEN
@given(fakten_mit_zusatz())
def test_74_answering_a_missing_fact_never_adds_it_back(
    beispiel: tuple[dict[str, Any], str, Any],
) -> None:
    basis, feld, wert = beispiel
    nachher = _ergebnis({**basis, feld: wert})["optionen"]
    for option in nachher.values():
        assert feld not in option["fehlende_angaben"]


@EINSTELLUNGEN
@given(fakten(), st.integers(min_value=0, max_value=1))
def test_74_evaluation_is_deterministic_and_uses_the_given_stichtag(
    daten: dict[str, Any], verschiebung: int
) -> None:
    tag = date.fromisoformat(daten["stichtag"]) + timedelta(days=verschiebung)
    facts = parse_facts(daten)
    assert evaluate(facts, tag).to_dict() == evaluate(facts, tag).to_dict()
    assert evaluate(facts, tag).stichtag == tag


_BASEN: list[dict[str, Any]] = [
    {
        "rolle": "junger_mensch",
        "stichtag": "2026-04-15",
        "situation": "sucht_ausbildung",
        "staatsangehoerigkeit": "drittstaat",
        "praktika_im_mittelpunkt": False,
    },
    {"rolle": "junger_mensch", "stichtag": "2026-04-15"},
    {
        "rolle": "junger_mensch",
        "stichtag": "2026-04-15",
        "situation": "sucht_ausbildung",
        "vollzeitschulpflicht_erfuellt": False,
        "praktika_im_mittelpunkt": False,
    },
    {
        "rolle": "junger_mensch",
        "stichtag": "2026-04-15",
        "situation": "schule",
        "staatsangehoerigkeit": "drittstaat",
        "aufenthaltsstatus": "duldung",
        "aufenthalt_seit": "2026-03-01",
        "unterstuetzung_noetig": False,
    },
    {
        "rolle": "junger_mensch",
        "stichtag": "2026-08-01",
        "situation": "ausbildung_mit_asa_abgeschlossen",
        "ausbildungsende": "2025-07-31",
    },
    {
        "rolle": "junger_mensch",
        "stichtag": "2026-04-15",
        "erwerbstaetigkeit_erlaubt": False,
        "ausbildungsreife": False,
        "braucht_berufsvorbereitung": False,
    },
    {"rolle": "betrieb", "stichtag": "2026-04-15", "betrieb_bildet_aus_oder_will": False},
]


def _alle_werte(feld: str) -> list[Any]:
    if feld in BOOL_FELDER:
        return [True, False]
    if feld in ENUM_FELDER:
        return list(ENUM_FELDER[feld])
    return ["2018-01-01", "2019-07-31", "2019-08-01", "2025-01-15", "2026-04-15", "2027-01-01"]


def test_74_nein_never_becomes_offen_for_any_single_added_fact() -> None:
    for basis in _BASEN:
        vorher = _ergebnis(basis)["optionen"]
        for feld in (f for f in _FREIE_FELDER if f not in basis):
            for wert in _alle_werte(feld):
                nachher = _ergebnis({**basis, feld: wert})["optionen"]
                for name in OPTIONEN:
                    if vorher[name]["status"] == "nein":
                        assert nachher[name]["status"] != "offen", (basis, feld, wert, name)
