"""Calendar-month arithmetic for periods such as "15 Monate Aufenthalt" or "6 Monate nach Beginn".

Choice for month ends: adding months keeps the day number and, where the target month is
shorter, falls back to its last day (31 Jan + 1 month = 28/29 Feb). A period of n months that
started on day D is complete on `plus_monate(D, n)`. Compared with a strict reading of
§§ 187 Abs. 2, 188 Abs. 2 and 3 BGB this is at most three days more generous at month ends;
the rules prefer that to a wrong "nein", and the Agentur für Arbeit decides in any case.
"""

from __future__ import annotations

import calendar
from datetime import date


def plus_monate(start: date, monate: int) -> date:
    """`start` moved by `monate` calendar months, clamped to the last day of the target month."""
    index = start.year * 12 + (start.month - 1) + monate
    jahr, monat = divmod(index, 12)
    monat += 1
    letzter = calendar.monthrange(jahr, monat)[1]
    return date(jahr, monat, min(start.day, letzter))


def volle_monate(start: date, stichtag: date) -> int:
    """Completed calendar months from `start` up to `stichtag` (negative if `start` is later)."""
    monate = (stichtag.year - start.year) * 12 + (stichtag.month - start.month)
    if plus_monate(start, monate) > stichtag:
        monate -= 1
    return monate


def frist_erreicht(start: date, monate: int, stichtag: date) -> bool:
    """True when a period of `monate` months that began on `start` is complete on `stichtag`."""
    return stichtag >= plus_monate(start, monate)


def monate_und_tage(start: date, stichtag: date) -> tuple[int, int]:
    """Completed months and remaining days from `start` to `stichtag` (for readable texts)."""
    monate = volle_monate(start, stichtag)
    if monate < 0:
        return monate, 0
    return monate, (stichtag - plus_monate(start, monate)).days
