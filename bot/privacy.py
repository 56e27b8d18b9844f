"""Deleting stored conversations: by age (`asa-bot privacy purge`) and on the user's request.

Works on Rasa's SQL tracker store schema (table `events` with `sender_id`, `timestamp` in seconds
since 1970, `type_name`, `action_name`) through SQLAlchemy, so SQLite and PostgreSQL behave
alike. No Rasa import: the input channels pass the store's engine, the CLI builds one from a URL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.errors import AsaError, ConfigError

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
_CONNECT_TIMEOUT = 10  # seconds
_AGE = re.compile(r"^\s*(\d{1,6})\s*([hd]?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Deleted:
    """How many conversations (senders) and events were deleted or would be."""

    conversations: int
    events: int

    def __str__(self) -> str:
        conversations = "Gespräch" if self.conversations == 1 else "Gespräche"
        events = "Ereignis" if self.events == 1 else "Ereignissen"
        return f"{self.conversations} {conversations} mit {self.events} {events}"


def describe_age(age: timedelta) -> str:
    """`30 Tage`, `1 Tag`, `12 Stunden`: a retention period as the messages name it."""
    hours = int(age.total_seconds() // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return "1 Tag" if days == 1 else f"{days} Tage"
    return "1 Stunde" if hours == 1 else f"{hours} Stunden"


def parse_age(text: str) -> timedelta:
    """`30d`, `48h` or `30` (days) as a duration; ConfigError in German otherwise."""
    match = _AGE.match(text)
    if not match:
        raise ConfigError(
            f"Dauer {text!r} nicht verstanden: erwartet z. B. 30d (Tage) oder 48h (Stunden)."
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    return timedelta(hours=amount) if unit == "h" else timedelta(days=amount)


def make_engine(url: str, schema: str = "") -> Any:
    """A SQLAlchemy engine for `url` (e.g. sqlite:////pfad/tracker.db, postgresql://…/db).

    `schema` is the PostgreSQL schema that holds the table, as Rasa's store is told it by
    POSTGRESQL_SCHEMA; empty means the database's default. A PostgreSQL server that does not
    answer is given up after `_CONNECT_TIMEOUT` seconds, so the runner's loop never hangs on it.
    """
    try:
        connect_args: dict[str, Any] = {}
        if sa.engine.make_url(url).get_backend_name() == "postgresql":
            connect_args["connect_timeout"] = _CONNECT_TIMEOUT
            if schema:
                connect_args["options"] = f"-csearch_path={schema}"
        return sa.create_engine(url, connect_args=connect_args)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ConfigError(f"Datenbank-URL nicht verwendbar: {exc}") from None


def shown_url(url: Any) -> str:
    """A database URL (text or SQLAlchemy URL) for messages, without its password."""
    return str(sa.engine.make_url(url).render_as_string(hide_password=True))


def purge_store(
    url: str, older_than: timedelta, *, now: float, dry_run: bool = False, schema: str = ""
) -> Deleted | None:
    """`purge` on the store at `url`; None when it is a SQLite file that does not exist.

    No empty database file is created. A database that cannot be used raises AsaError with the
    database's own reason, in one line.
    """
    engine = make_engine(url, schema)
    try:
        if engine.url.get_backend_name() == "sqlite":
            database = engine.url.database
            if not database or not Path(database).is_file():
                return None
        return purge(engine, older_than, now=now, dry_run=dry_run)
    except sa.exc.SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise AsaError(f"Datenbank {shown_url(engine.url)} nicht nutzbar: {reason}") from None
    finally:
        engine.dispose()


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


class RetentionSchedule:
    """Deletes the conversations past the retention period while the bot runs.

    `tick()` is called from the runner's loop, never on a message's path. The first purge is due
    at once, every later one `every` seconds after the last; a failed purge is tried again after
    `retry` seconds (at most `every`). `every` of 0 switches the schedule off.
    """

    def __init__(
        self,
        url: str,
        older_than: timedelta,
        every: float,
        *,
        schema: str = "",
        retry: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.older_than = older_than
        self.every = every
        self.schema = schema
        self.retry = min(retry, every) if every > 0 else retry
        self._clock = clock
        self._due = clock()

    @property
    def enabled(self) -> bool:
        return self.every > 0

    def describe(self) -> str:
        """One line for the start-up text: what is deleted and how often."""
        if not self.enabled:
            return "kein automatisches Löschen (ASA_PURGE_EVERY_HOURS=0)"
        hours = self.every / 3600
        period = "jede Stunde" if hours == 1 else f"alle {hours:g} Stunden"
        return (
            f"Gespräche, deren letzte Nachricht älter als {describe_age(self.older_than)} ist, "
            f"werden beim Start und dann {period} gelöscht"
        )

    def tick(self) -> str | None:
        """Purge when due; a German line for the console when something was deleted or failed."""
        now = self._clock()
        if not self.enabled or now < self._due:
            return None
        try:
            deleted = purge_store(self.url, self.older_than, now=now, schema=self.schema)
        except AsaError as error:
            self._due = now + self.retry
            return (
                f"Aufbewahrungsfrist: alte Gespräche nicht gelöscht ({error}). "
                f"Nächster Versuch in {self.retry / 60:g} Minuten."
            )
        self._due = now + self.every
        if deleted is None or deleted.conversations == 0:
            return None
        return (
            f"Aufbewahrungsfrist: {deleted} gelöscht "
            f"(letzte Nachricht älter als {describe_age(self.older_than)})."
        )
