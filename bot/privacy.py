"""Deleting stored conversations: by age (`asa-bot privacy purge`) and on the user's request.

Works on Rasa's SQL tracker store schema (table `events` with `sender_id`, `timestamp` in seconds
since 1970, `type_name`, `action_name`) through SQLAlchemy, so SQLite and PostgreSQL behave
alike. No Rasa import: the input channels pass the store's engine, the CLI builds one from a URL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from bot.errors import ConfigError

#: The custom action after which a conversation is deleted (the chat command "Meine Daten löschen").
DELETE_ACTION = "action_daten_loeschen"

_EVENTS = sa.table(
    "events",
    sa.column("id"),
    sa.column("sender_id"),
    sa.column("type_name"),
    sa.column("timestamp"),
    sa.column("action_name"),
)
_CHUNK = 500  # senders per IN (...) clause
_LAST_TURN_ROWS = 200  # newest events looked at for the deletion request
_AGE = re.compile(r"^\s*(\d{1,6})\s*([hd]?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Deleted:
    """How many conversations (senders) and events were deleted or would be."""

    conversations: int
    events: int


def parse_age(text: str) -> timedelta:
    """`30d`, `48h` or `30` (days) as a duration; ConfigError in German otherwise."""
    match = _AGE.match(text)
    if not match:
        raise ConfigError(
            f"Dauer {text!r} nicht verstanden: erwartet z. B. 30d (Tage) oder 48h (Stunden)."
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    return timedelta(hours=amount) if unit == "h" else timedelta(days=amount)


def make_engine(url: str) -> Any:
    """A SQLAlchemy engine for `url` (e.g. sqlite:////pfad/tracker.db, postgresql://…/db)."""
    try:
        return sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ConfigError(f"Datenbank-URL nicht verwendbar: {exc}") from None


def has_events_table(engine: Any) -> bool:
    return bool(sa.inspect(engine).has_table("events"))


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _delete_senders(connection: Any, senders: Sequence[str], dry_run: bool) -> int:
    events = 0
    for chunk in _chunks(senders):
        condition = _EVENTS.c.sender_id.in_(chunk)
        if dry_run:
            query = sa.select(sa.func.count()).select_from(_EVENTS).where(condition)
            events += int(connection.execute(query).scalar() or 0)
        else:
            events += int(connection.execute(sa.delete(_EVENTS).where(condition)).rowcount)
    return events


def purge(
    engine: Any, older_than: timedelta, *, now: float | None = None, dry_run: bool = False
) -> Deleted:
    """Delete every conversation whose newest event is older than `older_than` before `now`."""
    if not has_events_table(engine):
        return Deleted(0, 0)
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    old = (
        sa.select(_EVENTS.c.sender_id)
        .group_by(_EVENTS.c.sender_id)
        .having(sa.func.max(_EVENTS.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        senders = [str(row[0]) for row in connection.execute(old)]
        events = _delete_senders(connection, senders, dry_run)
    return Deleted(len(senders), events)


def delete_conversation(engine: Any, sender_id: str) -> Deleted:
    """Delete every stored event of one sender, in all of its sessions."""
    if not has_events_table(engine):
        return Deleted(0, 0)
    with engine.begin() as connection:
        events = _delete_senders(connection, [sender_id], dry_run=False)
    return Deleted(1 if events else 0, events)


def turn_requests_deletion(
    events_newest_first: Iterable[tuple[str, str | None]], action: str = DELETE_ACTION
) -> bool:
    """Whether the last turn ran `action`: an ActionExecuted after the newest user message.

    Takes (type_name, action_name) pairs as Rasa stores them ("user", "action", "slot", …).
    """
    for type_name, action_name in events_newest_first:
        if type_name == "user":
            return False
        if type_name == "action" and action_name == action:
            return True
    return False


def last_turn_requests_deletion(engine: Any, sender_id: str, action: str = DELETE_ACTION) -> bool:
    """`turn_requests_deletion` read from the newest stored events of `sender_id`."""
    query = (
        sa.select(_EVENTS.c.type_name, _EVENTS.c.action_name)
        .where(_EVENTS.c.sender_id == sender_id)
        .order_by(_EVENTS.c.id.desc())
        .limit(_LAST_TURN_ROWS)
    )
    with engine.connect() as connection:
        rows = [(str(row[0]), row[1]) for row in connection.execute(query)]
    return turn_requests_deletion(rows, action)
