"""Session start: keeps the answers of an expired session and refreshes the dated figures."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import heute
from bot.dialogue.werte import anzeige_werte


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # Carry over what the person already told us (the domain asks for it).
        for key, value in tracker.current_slot_values().items():
            if value is not None and key != "requested_slot":
                events.append(SlotSet(key, value))
        events.extend(SlotSet(slot, value) for slot, value in anzeige_werte(heute()).items())
        events.append(ActionExecuted("action_listen"))
        return events
