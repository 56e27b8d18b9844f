"""Reads German dates and durations as people write them ("seit März 2025", "seit 14 Monaten")."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_MONATE: Final = {
    "januar": 1, "jan": 1, "jänner": 1, "jaenner": 1,
    "februar": 2, "feb": 2,
    "märz": 3, "maerz": 3, "marz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip

_ZAHLWOERTER: Final = {
    "ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12,
    "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "fuenfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "zwanzig": 20, "vierundzwanzig": 24,
}  # fmt: skip

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DEUTSCH = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})\b")
_MONAT_JAHR_ZAHL = re.compile(r"\b(\d{1,2})\s?[/.]\s?(\d{4})\b")
_MONAT_JAHR_WORT = re.compile(r"\b(?:(\d{1,2})\.?\s+)?([a-zäöü]{3,9})\.?\s+(\d{4})\b")
_JAHR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_DAUER = re.compile(
    r"\b(\d{1,3}|[a-zäöü]+)\s*(?:einhalb\s+)?(monat|monate|monaten|jahr|jahre|jahren|woche|wochen)\b"
)
_MINUS: Final = "-−–"
#: Earlier dates are typing errors or jokes ("seit 500 Jahren"), not facts about a trainee.
_FRUEHESTES_JAHR: Final = 1900


def _monate_zurueck(tag: date, monate: int) -> date:
    jahr, monat = divmod(tag.year * 12 + tag.month - 1 - monate, 12)
    monat += 1
    letzter = [31, 29 if _schaltjahr(jahr) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return date(jahr, monat, min(tag.day, letzter[monat - 1]))


def _schaltjahr(jahr: int) -> bool:
    return jahr % 4 == 0 and (jahr % 100 != 0 or jahr % 400 == 0)


def _datum(jahr: int, monat: int, tag: int) -> date | None:
    if jahr < 100:
        jahr += 2000
    try:
        return date(jahr, monat, tag)
    except ValueError:
        return None


def _negativ(davor: str) -> bool:
    """A minus sign right before the number that is not a range: "seit -3", not "2-3"."""
    davor = davor.rstrip()
    if not davor or davor[-1] not in _MINUS:
        return False
    vor_minus = davor[:-1]
    if vor_minus and vor_minus[-1].isalnum():  # "2-3 Monate", "zwei-drei Monate"
        return False
    rest = vor_minus.rstrip()
    return not rest or not rest[-1].isdigit()  # "2 - 3 Monate" is a range too


def _zahl(wort: str) -> int | None:
    if wort.isdigit():
        return int(wort)
    return _ZAHLWOERTER.get(wort)


def datum_lesen(text: str, stichtag: date) -> date | None:
    """The date a German time expression points to, or None if it cannot be read.

    A month without a day counts from the first of that month; a year alone from 1 January.
    Durations ("seit 14 Monaten", "vor zwei Jahren", "seit anderthalb Jahren") count back
    from `stichtag`. A date after `stichtag` or before 1900, and a negative duration, are not
    accepted.
    """
    klein = text.lower().strip()
    gefunden = _lesen(klein, stichtag)
    if gefunden is None or gefunden > stichtag or gefunden.year < _FRUEHESTES_JAHR:
        return None
    return gefunden


def _lesen(klein: str, stichtag: date) -> date | None:
    if m := _ISO.search(klein):
        return _datum(int(m[1]), int(m[2]), int(m[3]))
    if m := _DEUTSCH.search(klein):
        return _datum(int(m[3]), int(m[2]), int(m[1]))
    if m := _MONAT_JAHR_WORT.search(klein):
        monat = _MONATE.get(m[2])
        if monat is not None:
            return _datum(int(m[3]), monat, int(m[1]) if m[1] else 1)
    if m := _MONAT_JAHR_ZAHL.search(klein):
        return _datum(int(m[2]), int(m[1]), 1)
    if "anderthalb" in klein or "eineinhalb" in klein:
        return _monate_zurueck(stichtag, 18)
    if "halbe" in klein and "jahr" in klein:
        return _monate_zurueck(stichtag, 6)
    if m := _DAUER.search(klein):
        anzahl = _zahl(m[1])
        if anzahl is None or _negativ(klein[: m.start(1)]):
            return None
        einheit = m[2]
        halb = "einhalb" in m[0]
        if einheit.startswith("jahr"):
            return _monate_zurueck(stichtag, anzahl * 12 + (6 if halb else 0))
        if einheit.startswith("monat"):
            return _monate_zurueck(stichtag, anzahl)
        from datetime import timedelta

        return stichtag - timedelta(weeks=anzahl)
    if m := _JAHR.search(klein):
        return _datum(int(m[1]), 1, 1)
    return None
