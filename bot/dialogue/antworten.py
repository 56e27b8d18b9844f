"""Turns one user message (intent, entities, text) into slot values for the facts it answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from bot.dialogue.fragen import UNBEKANNT
from bot.dialogue.zeit import datum_lesen
from bot.eligibility.facts import BOOL_FELDER, DATUM_FELDER, ENUM_FELDER

BOOLEAN_FAKTEN: Final = frozenset(BOOL_FELDER)
DATUM_FAKTEN: Final = frozenset(DATUM_FELDER) - {"stichtag"}
#: Entities whose (synonym-mapped) value is directly the value of the fact of the same name.
ENUM_ENTITAETEN: Final = frozenset(
    {"situation", "staatsangehoerigkeit", "aufenthaltsstatus", "deutsch_niveau", "pflegeausbildung"}
)

#: Intents that answer a yes/no question.
_JA_NEIN: Final = {"affirm": True, "deny": False}


def _entitaeten(entities: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    gefunden: dict[str, str] = {}
    for entity in entities:
        name, wert = entity.get("entity"), entity.get("value")
        if isinstance(name, str) and isinstance(wert, str) and name not in gefunden:
            gefunden[name] = wert
    return gefunden


def _enum_wert(fakt: str, wert: str) -> str | None:
    erlaubt = ENUM_FELDER.get(fakt, ())
    kandidat = wert.upper() if fakt == "deutsch_niveau" else wert.lower()
    return kandidat if kandidat in erlaubt else None


def werte_aus_nachricht(entities: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Facts a message states by itself through entities (usable at any point of the talk).

    Dates are not among them: a date is only read for the question that asks for one.
    """
    werte: dict[str, Any] = {}
    for name, wert in _entitaeten(entities).items():
        if name in ENUM_ENTITAETEN and (gelesen := _enum_wert(name, wert)) is not None:
            werte[name] = gelesen
        elif name == "ausbildungsform" and wert in ("teilzeit", "vollzeit"):
            werte["teilzeit"] = wert == "teilzeit"
    return werte


def antwort_auf_frage(
    fakt: str,
    intent: str | None,
    entities: Sequence[Mapping[str, Any]],
    text: str,
    stichtag: date,
) -> Any | None:
    """The slot value answering the question for `fakt`, or None when the message doesn't answer.

    "Weiß nicht" gives UNBEKANNT: answered, but the fact stays unknown for the rules.
    """
    if intent == "dont_know":
        return UNBEKANNT
    if fakt in BOOLEAN_FAKTEN:
        if intent in _JA_NEIN:
            return _JA_NEIN[intent]
        return werte_aus_nachricht(entities).get(fakt)
    if fakt in DATUM_FAKTEN:
        if intent == "deny":
            # "Nein" to "Seit wann arbeitest du?" means: no such date (no job yet).
            return UNBEKANNT
        gefunden = _entitaeten(entities).get("zeitangabe") or text
        datum = datum_lesen(gefunden, stichtag) or datum_lesen(text, stichtag)
        return datum.isoformat() if datum else None
    return werte_aus_nachricht(entities).get(fakt)


_DATUM_HINWEISE: Final = (
    ("arbeitsverhaeltnis_seit", ("arbeit", "job", "stelle", "angestellt", "beschäftigt")),
    ("ausbildungsende", ("ausbildung", "abschluss", "prüfung", "pruefung", "ausgelernt")),
    ("einreise_datum", ("eingereist", "einreise", "gekommen", "angekommen")),
    ("aufenthalt_seit", ("deutschland", "hier", "aufenthalt", "lebe", "wohne")),
)


def datumsfakt(text: str) -> str | None:
    """Which date fact a correction like "ich bin doch seit 16 Monaten hier" refers to."""
    klein = text.lower()
    for fakt, woerter in _DATUM_HINWEISE:
        if any(wort in klein for wort in woerter):
            return fakt
    return None
