"""The dialogue core without Rasa: reading dates and answers, the next question, result texts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.antworten import antwort_auf_frage, datumsfakt, werte_aus_nachricht
from bot.dialogue.ergebnis import datum_deutsch, ergebnis_nachrichten, grund
from bot.dialogue.fragen import UNBEKANNT, fakten_aus_slots, offene_fragen
from bot.dialogue.zeit import datum_lesen

STICHTAG = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "erwartet"),
    [
        ("seit März 2025", date(2025, 3, 1)),
        ("seit maerz 2025", date(2025, 3, 1)),
        ("15. Januar 2025", date(2025, 1, 15)),
        ("seit dem 15.01.2025", date(2025, 1, 15)),
        ("2025-01-15", date(2025, 1, 15)),
        ("03/2024", date(2024, 3, 1)),
        ("seit 14 Monaten", date(2025, 9, 22)),
        ("seit zehn monaten", date(2026, 1, 22)),
        ("vor zwei Jahren", date(2024, 11, 22)),
        ("seit anderthalb Jahren", date(2025, 5, 22)),
        ("seit einem halben Jahr", date(2026, 5, 22)),
        ("seit 2023", date(2023, 1, 1)),
        ("seit 3 Wochen", date(2026, 11, 1)),
        ("seit 2-3 Monaten", date(2026, 8, 22)),
        ("seit 2 - 3 Monaten", date(2026, 8, 22)),
    ],
)
def test_german_time_expressions(text: str, erwartet: date) -> None:
    assert datum_lesen(text, STICHTAG) == erwartet


@pytest.mark.parametrize(
    "text",
    [
        "irgendwann",
        "2025-02-30",
        "seit Dezember 2027",
        "",
        "seit -3 Monaten",
        "vor −2 Jahren",
        "seit 500 Jahren",
        "seit 1850",
    ],
)
def test_unreadable_impossible_or_future_dates_give_none(text: str) -> None:
    assert datum_lesen(text, STICHTAG) is None


def test_month_end_is_clamped_when_counting_back() -> None:
    assert datum_lesen("seit 1 Monat", date(2026, 3, 31)) == date(2026, 2, 28)


def test_yes_no_and_dont_know_answer_a_boolean_question() -> None:
    assert antwort_auf_frage("buergergeld", "affirm", [], "ja", STICHTAG) is True
    assert antwort_auf_frage("buergergeld", "deny", [], "nein", STICHTAG) is False
    assert antwort_auf_frage("buergergeld", "dont_know", [], "kp", STICHTAG) == UNBEKANNT
    assert antwort_auf_frage("buergergeld", "info", [], "hm", STICHTAG) is None


def test_date_question_reads_text_and_no_means_no_such_date() -> None:
    assert antwort_auf_frage("aufenthalt_seit", "info", [], "seit März 2025", STICHTAG) == (
        "2025-03-01"
    )
    assert antwort_auf_frage("arbeitsverhaeltnis_seit", "deny", [], "nein", STICHTAG) == (UNBEKANNT)
    assert antwort_auf_frage("aufenthalt_seit", "info", [], "keine Ahnung wann", STICHTAG) is None


def test_entities_state_facts_with_canonical_values_only() -> None:
    entities = [
        {"entity": "deutsch_niveau", "value": "b1"},
        {"entity": "ausbildungsform", "value": "teilzeit"},
        {"entity": "aufenthaltsstatus", "value": "asyl"},
    ]
    assert werte_aus_nachricht(entities) == {"deutsch_niveau": "B1", "teilzeit": True}


def test_corrections_find_the_date_fact_they_mean() -> None:
    assert datumsfakt("ich bin doch seit 16 Monaten hier") == "aufenthalt_seit"
    assert datumsfakt("den Job habe ich seit Mai") == "arbeitsverhaeltnis_seit"
    assert datumsfakt("blau") is None


def test_dont_know_is_answered_but_stays_unknown_for_the_rules() -> None:
    fakten = fakten_aus_slots({"situation": "schule", "buergergeld": UNBEKANNT})
    assert fakten == {"rolle": "junger_mensch", "situation": "schule"}


def test_first_question_is_the_situation_then_only_what_the_rules_miss() -> None:
    assert offene_fragen({}, STICHTAG)[0] == "situation"
    gefragt = offene_fragen({"situation": "in_ausbildung"}, STICHTAG)
    assert "vollzeitschulpflicht_erfuellt" not in gefragt
    assert gefragt[-1] == "buergergeld"


def test_nachbetreuung_asks_for_the_end_of_training_and_the_job_start() -> None:
    gefragt = offene_fragen({"situation": "ausbildung_mit_asa_abgeschlossen"}, STICHTAG)
    assert "ausbildungsende" in gefragt and "arbeitsverhaeltnis_seit" in gefragt


def test_answered_questions_are_not_asked_again() -> None:
    slots = {"situation": "sucht_ausbildung", "vollzeitschulpflicht_erfuellt": UNBEKANNT}
    assert "vollzeitschulpflicht_erfuellt" not in offene_fragen(slots, STICHTAG)


def test_result_messages_name_option_status_missing_facts_and_contact() -> None:
    ergebnis = {
        "stichtag": "2026-11-22",
        "optionen": {
            "vorphase": {
                "status": "offen",
                "gruende": [{"text": "fehlt", "art": "offen", "norm": "§ 75a"}],
                "fehlende_angaben": ["vollzeitschulpflicht_erfuellt"],
            },
            "bab": {
                "status": "nein",
                "gruende": [
                    {"text": "Hinweis", "art": "hinweis", "norm": "x"},
                    {"text": "Keine Vorphase.", "art": "nicht_erfuellt", "norm": "§ 56"},
                ],
                "fehlende_angaben": [],
            },
        },
        "zustaendig": {"stelle": "jobcenter"},
    }
    namen = [n.response for n in ergebnis_nachrichten(ergebnis, ["vorphase", "bab"])]
    assert namen == [
        "utter_ergebnis_einleitung",
        "utter_option_vorphase_offen",
        "utter_option_bab_nein",
        "utter_fehlt_einleitung",
        "utter_fehlt_vollzeitschulpflicht_erfuellt",
        "utter_kontakt_jobcenter",
        "utter_ergebnis_hinweis",
    ]
    assert grund(ergebnis["optionen"]["bab"]) == "Keine Vorphase."
    assert datum_deutsch("2026-11-22") == "22.11.2026"
