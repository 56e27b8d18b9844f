"""Speed-ups to Rasa's conversation store, applied by `bot.rasa_server` before Rasa starts.

The store is used twice for every message (the conversation is read, its new events written), in
SQLite by default and in PostgreSQL in the scale-out profile. Each change gives the results of
Rasa's own code:

- `use_pooled_sqlite_connections`: the SQLite store keeps its connections open between messages;
- `use_event_type_table`: the class of a stored event is found by a table instead of a search
  through all subclasses of `Event` for every event read;
- `use_lean_sql_store`: conversations are read and written as plain rows, not as ORM objects, and
  a tracker read from the store knows how many of its events are stored, so saving does not count
  them in the database again.
"""

from __future__ import annotations

from typing import Any


def _sqlite_engine_kwargs(url: Any, rasa_kwargs: Any) -> dict[str, Any]:
    if not str(url).startswith("sqlite"):
        return dict(rasa_kwargs(url))
    import sqlalchemy as sa

    # The connections are used from Rasa's event loop; the flag lets the pool hand one to another
    # thread, which Python's sqlite3 refuses by default.
    return {"poolclass": sa.pool.QueuePool, "connect_args": {"check_same_thread": False}}


def use_pooled_sqlite_connections() -> None:
    """Keep the SQLite conversation store's connections open between messages.

    SQLAlchemy 1.4 opens and closes a connection for every use of a SQLite file. Closing the last
    connection of a file in write-ahead-log mode writes the log back into the file with several
    flushes to disk, so each message waited for them (about 15 ms on this project's machine,
    against 3 ms with the connection kept). Other databases are left as Rasa configures them.
    """
    from rasa.core import tracker_store

    rasa_kwargs = tracker_store.create_engine_kwargs
    if getattr(rasa_kwargs, "_asa_pooled", False):
        return

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        return _sqlite_engine_kwargs(url, rasa_kwargs)

    create_engine_kwargs._asa_pooled = True  # type: ignore[attr-defined]
    tracker_store.create_engine_kwargs = create_engine_kwargs


def use_event_type_table() -> None:
    """Resolve event type names ("user", "slot", …) through a table filled on first use.

    Rasa walks all subclasses of `Event` for every event it reads from the store: a quarter of the
    time of reading a conversation. The table holds what that walk returned, so the answer is the
    same; names it does not know, and unknown names, still take Rasa's own way.
    """
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    if getattr(rasa_resolve, "_asa_table", False):
        return
    table: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = table.get(type_name)
        if found is not None:
            return found
        found = rasa_resolve(type_name, default)
        if found is not None and found is not default:
            table[type_name] = found
        return found

    resolve_by_type._asa_table = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


#: Attribute of a tracker read from or written to the SQL store: how many of its events are stored.
_STORED_EVENTS = "_asa_stored_events"


def conversation_query(store: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
    """The stored texts of a conversation's events, in the order they were stored.

    The same rows as Rasa's `SQLTrackerStore._event_query`: all of the conversation's events, or
    only those since its latest `session_started` event (all of them if there is none), ordered
    by id; but selected as plain rows of one column instead of objects of the ORM class.
    """
    import sqlalchemy as sa
    from rasa.shared.core.events import SessionStarted

    table = store.SQLEvent.__table__
    query = sa.select(table.c.data).where(table.c.sender_id == sender_id)
    if not fetch_events_from_all_sessions:
        session_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender_id, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        query = query.where(sa.or_(table.c.timestamp >= session_start, session_start.is_(None)))
    return query.order_by(table.c.id)


def event_row(sender_id: str, event: Any) -> dict[str, Any]:
    """The columns Rasa's `SQLTrackerStore.save` stores for an event."""
    import json

    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def use_lean_sql_store() -> None:
    """Read and write conversations in the SQL store with plain rows, and without counting.

    The SQL store (SQLite by default, PostgreSQL in the scale-out profile) is used twice per
    message: the conversation is read, and its new events are written. Rasa does both through
    SQLAlchemy's ORM, which builds an object for every stored event it reads and runs its unit of
    work for every event it writes: more than half of the time of either step. Here the same rows
    are read with one plain query (`conversation_query`) and the same columns written with one
    insert (`event_row`).

    Before writing, Rasa also counts a conversation's stored events in the database to find the
    new ones. A tracker this store just read (or wrote) knows that number: every message of a
    conversation is handled under its lock, so nothing else adds events in between. A tracker that
    does not know it, or has fewer events than it names, is counted as before.
    """
    import itertools
    import json

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(SQLTrackerStore.save, "_asa_lean", False):
        return
    rasa_additional = SQLTrackerStore._additional_events

    async def _retrieve(self: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        query = conversation_query(self, sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            stored = session.execute(query).scalars().all()
        if not self.domain or not stored:
            return None
        events = [json.loads(data) for data in stored]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, _STORED_EVENTS, len(stored))
        return tracker

    def _additional_events(self: Any, session: Any, tracker: Any) -> Any:
        known = getattr(tracker, _STORED_EVENTS, None)
        if not isinstance(known, int) or known > len(tracker.events):
            return rasa_additional(self, session, tracker)
        return itertools.islice(tracker.events, known, len(tracker.events))

    async def save(self: Any, tracker: Any) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                event_row(tracker.sender_id, event)
                for event in self._additional_events(session, tracker)
            ]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, _STORED_EVENTS, len(tracker.events))

    save._asa_lean = True  # type: ignore[attr-defined]
    SQLTrackerStore._retrieve = _retrieve
    SQLTrackerStore._additional_events = _additional_events
    SQLTrackerStore.save = save
