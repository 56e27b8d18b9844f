"""Every response name the custom actions and forms may send, for checks against the domain."""

from __future__ import annotations

from typing import Final

from bot.dialogue.betrieb import SCHWIERIGKEITEN
from bot.dialogue.fragen import ALLE_OPTIONEN, FAKTEN, REIHENFOLGE
from bot.guard import CHANNEL_RESPONSES
from bot.telegram import RESPONSES as TELEGRAM_RESPONSES

_STATUS: Final = ("ja", "nein", "offen")
_STELLEN: Final = ("agentur_fuer_arbeit", "jobcenter", "arbeitgeber_service")
_BETRIEB_FRAGEN: Final = ("betrieb_lage", "betrieb_erstmals_ausbildend", "schwierigkeit")

_FESTE: Final = frozenset(
    {
        "utter_ergebnis_einleitung",
        "utter_option_hinweise",
        "utter_ergebnis_hinweis",
        "utter_fehlt_einleitung",
        "utter_begruendung_option",
        "utter_zusammenfassung_kopf",
        "utter_noch_kein_ergebnis",
        "utter_datum_nicht_verstanden",
        "utter_warum_allgemein",
        "utter_zurueck",
        "utter_zurueck_nicht_moeglich",
        "utter_aendern_wie",
        "utter_geaendert",
        "utter_betrieb_eq",
        "utter_betrieb_vorphase",
        "utter_betrieb_erstmals",
        "utter_betrieb_rahmen",
        "utter_restart",  # sent by Rasa's built-in action_restart
        "utter_daten_geloescht",
        "utter_rechtsgrundlage",
    }
)


def gesendete_responses() -> frozenset[str]:
    """Names sent by actions (results, reasons, summary, corrections), asked by forms or sent by
    channels without the dialogue model, or by the input channels themselves (guard rejections,
    unreadable requests)."""
    namen = set(_FESTE)
    namen.update(TELEGRAM_RESPONSES)  # sent by the Telegram channel itself
    namen.update(CHANNEL_RESPONSES)
    namen.update(f"utter_option_{o}_{s}" for o in ALLE_OPTIONEN for s in _STATUS)
    namen.update(f"utter_zusammenfassung_{s}" for s in _STATUS)
    namen.update(f"utter_betrieb_ergebnis_{s}" for s in _STATUS)
    namen.update(f"utter_kontakt_{stelle}" for stelle in _STELLEN)
    namen.update(f"utter_fehlt_{fakt}" for fakt in FAKTEN | {"ausbildungsbeginn"})
    namen.update(f"utter_betrieb_hilfe_{art}" for art in SCHWIERIGKEITEN)
    namen.update(f"utter_ask_{fakt}" for fakt in (*REIHENFOLGE, *_BETRIEB_FRAGEN))
    namen.update(f"utter_warum_{fakt}" for fakt in (*REIHENFOLGE, *_BETRIEB_FRAGEN))
    return frozenset(namen)
