"""Deleting the current conversation on request ("Meine Daten löschen")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher

#: Name the input channels look for: once this action has run, they delete the stored conversation.
AKTION_DATEN_LOESCHEN = "action_daten_loeschen"


class ActionDatenLoeschen(Action):
    """Confirms the deletion and forgets the conversation; the channel deletes what is stored."""

    def name(self) -> str:
        return AKTION_DATEN_LOESCHEN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_daten_geloescht")
        return [Restarted()]
