"""Shared pieces of the actions: today's date, the latest message, sending named responses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.ergebnis import Nachricht

#: Intents that are never an answer to a form question; the form yields to the rules for them.
KEINE_ANTWORT = frozenset(
    {
        "faq",
        "warum_frage",
        "begruendung",
        "zurueck",
        "neustart",
        "zusammenfassung",
        "mensch_sprechen",
        "out_of_scope",
        "greet",
        "goodbye",
        "thanks",
        "aendern",
        "nlu_fallback",
        "daten_loeschen",
    }
)


def heute() -> date:
    """The Stichtag of a conversation: the day the message is processed."""
    return date.today()


def letzte_nachricht(tracker: Tracker) -> tuple[str | None, list[dict[str, Any]], str]:
    """Intent name, entities and text of the latest user message."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return intent, list(message.get("entities") or []), str(message.get("text") or "")


def senden(dispatcher: CollectingDispatcher, nachrichten: Iterable[Nachricht]) -> None:
    """Dispatch each message by response name with its values."""
    for nachricht in nachrichten:
        dispatcher.utter_message(response=nachricht.response, **nachricht.werte)
