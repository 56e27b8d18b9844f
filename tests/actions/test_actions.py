"""Action unit tests with literal trackers: exact events and the names of the responses sent."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.betrieb import ActionBetriebErgebnis, ValidateBetriebForm
from actions.jugend import (
    ActionAendern,
    ActionErklaereFrage,
    ActionJugendErgebnis,
    ActionZurueck,
    ValidateJugendForm,
)
from actions.session import ActionSessionStart

DOMAIN: dict[str, Any] = {
    "responses": {"utter_warum_aufenthalt_seit": [{"text": "x"}]},
    "forms": {"jugend_form": {"required_slots": ["situation"]}},
    "slots": {},
}

JUNG_FERTIG = {
    "zielgruppe": "junger_mensch",
    "situation": "in_ausbildung",
    "vollzeitschulpflicht_erfuellt": True,
    "ausbildungsreife": True,
    "unterstuetzung_noetig": True,
    "ausbildungsvertrag_unterschrieben": True,
    "staatsangehoerigkeit": "deutsch",
    "buergergeld": False,
}


def tracker(
    slots: dict[str, Any] | None = None,
    intent: str | None = None,
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "entities": entities or [],
            "text": text,
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action: Any, t: Tracker) -> tuple[list[Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, [m["response"] for m in dispatcher.messages]


def test_session_start_fills_figures_from_dated_values() -> None:
    events, sent = run(ActionSessionStart(), tracker())
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["wert_vorphase_wochenstunden_min"] == "20"
    assert slots["wert_mindestaufenthalt_monate"] == "15"
    assert events[0]["event"] == "session_started"
    assert events[-1]["event"] == "action"
    assert events[-1]["name"] == "action_listen"
    assert sent == []


def test_form_reads_yes_for_the_asked_question() -> None:
    t = tracker({"requested_slot": "vollzeitschulpflicht_erfuellt"}, intent="affirm", text="ja")
    events = asyncio.run(
        ValidateJugendForm().get_extraction_events(CollectingDispatcher(), t, DOMAIN)
    )
    assert events == [SlotSet("vollzeitschulpflicht_erfuellt", True)]


def test_form_takes_dont_know_as_answered_but_unknown() -> None:
    t = tracker({"requested_slot": "ausbildungsreife"}, intent="dont_know", text="keine ahnung")
    events = asyncio.run(
        ValidateJugendForm().get_extraction_events(CollectingDispatcher(), t, DOMAIN)
    )
    assert events == [SlotSet("ausbildungsreife", "unbekannt")]


def test_form_yields_to_a_side_question() -> None:
    t = tracker({"requested_slot": "ausbildungsreife"}, intent="faq", text="was kostet das")
    events = asyncio.run(
        ValidateJugendForm().get_extraction_events(CollectingDispatcher(), t, DOMAIN)
    )
    assert events == []


def test_unreadable_date_is_asked_again_with_a_hint() -> None:
    t = tracker({"requested_slot": "aufenthalt_seit"}, intent="info", text="irgendwann mal")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateJugendForm().get_extraction_events(dispatcher, t, DOMAIN))
    assert events == [SlotSet("aufenthalt_seit", None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_datum_nicht_verstanden"]


def test_trainee_is_not_asked_about_the_vorphase_alternatives() -> None:
    slots = {"situation": "in_ausbildung"}
    asked = asyncio.run(
        ValidateJugendForm().required_slots([], CollectingDispatcher(), tracker(slots), DOMAIN)
    )
    assert asked == ["unterstuetzung_noetig", "staatsangehoerigkeit", "buergergeld"]
    assert "praktika_im_mittelpunkt" not in asked
    assert "aufenthalt_seit" not in asked
    assert asked[-1] == "buergergeld"


def test_result_for_a_trainee_with_contract_shows_the_begleitende_phase() -> None:
    events, sent = run(ActionJugendErgebnis(), tracker(JUNG_FERTIG))
    assert sent == [
        "utter_ergebnis_einleitung",
        "utter_option_begleitende_phase_ja",
        "utter_option_hinweise",
        "utter_kontakt_agentur_fuer_arbeit",
        "utter_ergebnis_hinweis",
    ]
    assert events == [SlotSet("ergebnis_vorhanden", True)]


def test_buergergeld_routes_to_the_jobcenter() -> None:
    _, sent = run(ActionJugendErgebnis(), tracker({**JUNG_FERTIG, "buergergeld": True}))
    assert "utter_kontakt_jobcenter" in sent


def test_change_to_part_time_updates_the_result() -> None:
    t = tracker(
        {**JUNG_FERTIG, "ergebnis_vorhanden": True},
        intent="aendern",
        text="Moment, ich mache die Ausbildung doch in Teilzeit",
        entities=[{"entity": "ausbildungsform", "value": "teilzeit"}],
    )
    events, sent = run(ActionAendern(), t)
    assert SlotSet("teilzeit", True) in events
    assert sent[0] == "utter_geaendert"
    assert "utter_option_begleitende_phase_ja" in sent


def test_change_without_recognisable_fact_asks_what_to_change() -> None:
    slots = {**JUNG_FERTIG, "ergebnis_vorhanden": True}
    events, sent = run(ActionAendern(), tracker(slots, intent="aendern", text="falsch"))
    assert events == []
    assert sent == ["utter_aendern_wie"]


def test_opening_with_the_situation_starts_the_questions() -> None:
    t = tracker(
        intent="info",
        text="ich mache gerade eine ausbildung",
        entities=[{"entity": "situation", "value": "in_ausbildung"}],
    )
    events, sent = run(ActionAendern(), t)
    assert events == [
        SlotSet("situation", "in_ausbildung"),
        SlotSet("zielgruppe", "junger_mensch"),
        FollowupAction("jugend_form"),
    ]
    assert sent == []


def test_why_question_explains_the_current_question() -> None:
    _, sent = run(ActionErklaereFrage(), tracker({"requested_slot": "aufenthalt_seit"}))
    assert sent == ["utter_warum_aufenthalt_seit"]
    _, sent = run(ActionErklaereFrage(), tracker({"requested_slot": "situation"}))
    assert sent == ["utter_warum_allgemein"]


def test_back_forgets_the_last_answer() -> None:
    events = [
        {"event": "slot", "name": "situation", "value": "schule"},
        {"event": "slot", "name": "requested_slot", "value": "vollzeitschulpflicht_erfuellt"},
        {"event": "slot", "name": "vollzeitschulpflicht_erfuellt", "value": False},
    ]
    result, sent = run(ActionZurueck(), tracker(events=events))
    assert result == [SlotSet("vollzeitschulpflicht_erfuellt", None)]
    assert sent == ["utter_zurueck"]


def test_company_result_names_support_costs_and_hotline() -> None:
    slots = {
        "betrieb_lage": "azubi_da",
        "betrieb_erstmals_ausbildend": True,
        "schwierigkeit": "pruefung",
    }
    events, sent = run(ActionBetriebErgebnis(), tracker(slots))
    assert sent == [
        "utter_betrieb_ergebnis_ja",
        "utter_betrieb_hilfe_pruefung",
        "utter_betrieb_erstmals",
        "utter_betrieb_rahmen",
        "utter_kontakt_arbeitgeber_service",
        "utter_ergebnis_hinweis",
    ]
    assert events == [SlotSet("ergebnis_vorhanden", True)]


def test_company_form_reads_a_button_payload_entity() -> None:
    t = tracker(
        {"requested_slot": "betrieb_lage"},
        intent="info",
        entities=[{"entity": "betrieb_lage", "value": "geplant"}],
    )
    events = asyncio.run(ValidateBetriebForm().get_extraction_events(CollectingDispatcher(), t, {}))
    assert events == [SlotSet("betrieb_lage", "geplant")]


def test_company_reasons_explain_the_company_result() -> None:
    from actions.jugend import ActionBegruendung

    slots = {"zielgruppe": "betrieb", "betrieb_lage": "azubi_da", "ergebnis_vorhanden": True}
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionBegruendung().run(dispatcher, tracker(slots), DOMAIN))
    optionen = [m["option"] for m in dispatcher.messages]
    assert len(optionen) == 3
    assert "Begleitende Phase" in optionen[0]
    assert all(
        "Ausbildungsbetrieb" in m["gruende"] or "Betrieb" in m["gruende"]
        for m in dispatcher.messages[:1]
    )


def test_reasons_before_any_result_say_there_is_none_yet() -> None:
    from actions.jugend import ActionZusammenfassung

    events, sent = run(ActionZusammenfassung(), tracker({"zielgruppe": "junger_mensch"}))
    assert (events, sent) == ([], ["utter_noch_kein_ergebnis"])


def test_action_server_registers_every_action_of_the_domain() -> None:
    import yaml
    from rasa_sdk.executor import ActionExecutor

    from tests.conftest import ROOT

    executor = ActionExecutor()
    executor.register_package("actions")
    actions: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        domain = yaml.safe_load(path.read_text(encoding="utf-8"))
        actions |= {a for a in domain.get("actions") or [] if not a.startswith("utter_")}
    assert "action_daten_loeschen" in actions
    assert actions <= set(executor.actions)


def test_deleting_the_data_confirms_and_forgets_the_conversation() -> None:
    from actions.privacy import ActionDatenLoeschen

    events, sent = run(ActionDatenLoeschen(), tracker(JUNG_FERTIG))
    assert sent == ["utter_daten_geloescht"]
    assert [e["event"] for e in events] == ["restart"]


def test_form_confirms_a_corrected_earlier_answer_before_asking_on() -> None:
    t = tracker(
        {"requested_slot": "ausbildungsreife", "teilzeit": False},
        intent="info",
        text="moment, ich mache die ausbildung doch in teilzeit",
        entities=[{"entity": "ausbildungsform", "value": "teilzeit"}],
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateJugendForm().get_extraction_events(dispatcher, t, DOMAIN))
    assert events == [SlotSet("teilzeit", True)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_geaendert"]


def test_form_does_not_announce_a_change_for_a_first_answer() -> None:
    t = tracker(
        {"requested_slot": "ausbildungsreife"},
        intent="info",
        text="ausbildung in teilzeit",
        entities=[{"entity": "ausbildungsform", "value": "teilzeit"}],
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateJugendForm().get_extraction_events(dispatcher, t, DOMAIN))
    assert events == [SlotSet("teilzeit", True)]
    assert dispatcher.messages == []


def test_reasons_before_any_result_give_the_legal_basis_of_asa_flex() -> None:
    from actions.jugend import ActionBegruendung

    events, sent = run(ActionBegruendung(), tracker({"zielgruppe": "betrieb"}))
    assert (events, sent) == ([], ["utter_rechtsgrundlage"])
