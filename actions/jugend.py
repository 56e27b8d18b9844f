"""Actions of the young-person flow: the question form, the result, reasons, summary, changes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.betrieb import BETRIEB_SLOTS
from actions.common import KEINE_ANTWORT, heute, letzte_nachricht, senden
from bot.dialogue import ergebnis as darstellung
from bot.dialogue.antworten import DATUM_FAKTEN, antwort_auf_frage, datumsfakt, werte_aus_nachricht
from bot.dialogue.betrieb import BETRIEB_OPTIONEN, betrieb_ergebnis
from bot.dialogue.ergebnis import Nachricht
from bot.dialogue.fragen import FAKTEN, auswerten, offene_fragen, relevante_optionen


def _fakten_slots(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in FAKTEN}


class ValidateJugendForm(FormValidationAction):
    """Asks only what the rules still miss; reads answers, "weiß nicht" and volunteered facts."""

    def name(self) -> str:
        return "validate_jugend_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        return offene_fragen(_fakten_slots(tracker), heute())

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent, entities, text = letzte_nachricht(tracker)
        if intent in KEINE_ANTWORT:
            return []
        werte = werte_aus_nachricht(entities)
        gefragt = tracker.get_slot("requested_slot")
        if gefragt in FAKTEN:
            antwort = antwort_auf_frage(gefragt, intent, entities, text, heute())
            if antwort is not None:
                werte[gefragt] = antwort
            elif gefragt in DATUM_FAKTEN and not werte:
                dispatcher.utter_message(response="utter_datum_nicht_verstanden")
                return [SlotSet(gefragt, None)]
        geaendert = [
            name
            for name, wert in werte.items()
            if name != gefragt and tracker.get_slot(name) not in (None, wert)
        ]
        if geaendert:
            # An earlier answer was corrected ("doch in Teilzeit"): say so before the next question.
            dispatcher.utter_message(response="utter_geaendert")
        return [SlotSet(name, wert) for name, wert in werte.items()]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Values were checked while reading them; nothing more to validate.
        return [SlotSet(name, wert) for name, wert in tracker.slots_to_validate().items()]


class ActionJugendErgebnis(Action):
    """Runs the rules on the answers and presents each relevant option, contact and note."""

    def name(self) -> str:
        return "action_jugend_ergebnis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slots = _fakten_slots(tracker)
        ergebnis = auswerten(slots, heute())
        senden(dispatcher, darstellung.ergebnis_nachrichten(ergebnis, relevante_optionen(slots)))
        return [SlotSet("ergebnis_vorhanden", True)]


def _ergebnis_fuer(tracker: Tracker) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The current result and its shown options, for the company or the young person."""
    if tracker.get_slot("zielgruppe") == "betrieb":
        slots = {slot: tracker.get_slot(slot) for slot in BETRIEB_SLOTS}
        return betrieb_ergebnis(slots, heute()), BETRIEB_OPTIONEN
    slots = _fakten_slots(tracker)
    return auswerten(slots, heute()), relevante_optionen(slots)


class _NachErgebnis(Action, ABC):
    """Base of actions that explain a result already shown; before that they say so."""

    darstellen: Callable[[Mapping[str, Any], Iterable[str]], list[Nachricht]]
    #: Sent when there is no result yet.
    ohne_ergebnis = "utter_noch_kein_ergebnis"

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not tracker.get_slot("ergebnis_vorhanden"):
            dispatcher.utter_message(response=self.ohne_ergebnis)
            return []
        ergebnis, optionen = _ergebnis_fuer(tracker)
        senden(dispatcher, type(self).darstellen(ergebnis, optionen))
        return []


class ActionBegruendung(_NachErgebnis):
    """Answers "Warum?" / "Rechtsgrundlage" with every reason, its norm and source.

    Before any result the question is about AsA flex in general: the legal basis of the instrument.
    """

    darstellen = staticmethod(darstellung.begruendung_nachrichten)
    ohne_ergebnis = "utter_rechtsgrundlage"

    def name(self) -> str:
        return "action_begruendung"


class ActionZusammenfassung(_NachErgebnis):
    """A summary of the result to take to the appointment."""

    darstellen = staticmethod(darstellung.zusammenfassung_nachrichten)

    def name(self) -> str:
        return "action_zusammenfassung"


class ActionErklaereFrage(Action):
    """Says why the current question matters ("Warum fragst du das?")."""

    def name(self) -> str:
        return "action_erklaere_frage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        gefragt = tracker.get_slot("requested_slot")
        response = f"utter_warum_{gefragt}"
        if not gefragt or response not in domain.get("responses", {}):
            response = "utter_warum_allgemein"
        dispatcher.utter_message(response=response)
        return []


class ActionZurueck(Action):
    """Goes back one question: forgets the answer given last, so the form asks it again."""

    def name(self) -> str:
        return "action_zurueck"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        for event in reversed(tracker.events):
            if event.get("event") == "slot" and event.get("name") in FAKTEN:
                if event.get("value") is None:
                    continue
                dispatcher.utter_message(response="utter_zurueck")
                return [SlotSet(str(event["name"]), None)]
        dispatcher.utter_message(response="utter_zurueck_nicht_moeglich")
        return []


class ActionAendern(Action):
    """Takes a stated or corrected fact ("doch in Teilzeit") and updates the result.

    Outside a form this also starts the questions when someone opens with their situation
    ("ich mache gerade eine Ausbildung"), and asks what is still missing after a change.
    """

    def name(self) -> str:
        return "action_aendern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _, entities, text = letzte_nachricht(tracker)
        werte = werte_aus_nachricht(entities)
        if not werte:
            fakt = datumsfakt(text)
            antwort = antwort_auf_frage(fakt, None, entities, text, heute()) if fakt else None
            if fakt and antwort is not None:
                werte[fakt] = antwort
        hatte_ergebnis = bool(tracker.get_slot("ergebnis_vorhanden"))
        if not werte:
            dispatcher.utter_message(
                response="utter_aendern_wie" if hatte_ergebnis else "utter_ask_rephrase"
            )
            return []
        events: list[EventType] = [SlotSet(name, wert) for name, wert in werte.items()]
        if tracker.get_slot("zielgruppe") is None:
            events.append(SlotSet("zielgruppe", "junger_mensch"))
        if hatte_ergebnis or tracker.active_loop_name:
            dispatcher.utter_message(response="utter_geaendert")
        if tracker.active_loop_name:
            return events
        slots = {**_fakten_slots(tracker), **werte}
        if offene_fragen(slots, heute()):
            return [*events, FollowupAction("jugend_form")]
        ergebnis = auswerten(slots, heute())
        senden(dispatcher, darstellung.ergebnis_nachrichten(ergebnis, relevante_optionen(slots)))
        return [*events, SlotSet("ergebnis_vorhanden", True)]
