"""Actions of the company flow: the question form and the result."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import KEINE_ANTWORT, heute, letzte_nachricht, senden
from bot.dialogue.betrieb import betrieb_antwort, betrieb_nachrichten

BETRIEB_SLOTS = ("betrieb_lage", "betrieb_erstmals_ausbildend", "schwierigkeit")


class ValidateBetriebForm(FormValidationAction):
    """Reads the company's answers from buttons, free text and "weiß nicht"."""

    def name(self) -> str:
        return "validate_betrieb_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent, entities, _ = letzte_nachricht(tracker)
        if intent in KEINE_ANTWORT:
            return []
        events: list[EventType] = []
        gefragt = tracker.get_slot("requested_slot")
        for slot in BETRIEB_SLOTS:
            if slot != gefragt and tracker.get_slot(slot) is not None:
                continue
            # Only the asked question accepts yes/no; entities may answer any open question.
            antwort = betrieb_antwort(slot, intent if slot == gefragt else None, entities)
            if antwort is not None:
                events.append(SlotSet(slot, antwort))
        return events

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet(name, wert) for name, wert in tracker.slots_to_validate().items()]


class ActionBetriebErgebnis(Action):
    """Runs the company rules and presents support, costs, framework and contact."""

    def name(self) -> str:
        return "action_betrieb_ergebnis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slots = {slot: tracker.get_slot(slot) for slot in BETRIEB_SLOTS}
        senden(dispatcher, betrieb_nachrichten(slots, heute()))
        return [SlotSet("ergebnis_vorhanden", True)]
