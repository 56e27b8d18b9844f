"""The changes to Rasa's conversation store give what Rasa's own code gives."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot import rasa_store


def test_sqlite_store_keeps_its_connections_and_other_databases_stay_as_rasa_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy as sa
    from rasa.core import tracker_store
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    rasa_kwargs = tracker_store.create_engine_kwargs
    rasa_store.use_pooled_sqlite_connections()
    pooled = tracker_store.create_engine_kwargs
    rasa_store.use_pooled_sqlite_connections()
    assert tracker_store.create_engine_kwargs is pooled  # a second call changes nothing
    url = "postgresql://asa@127.0.0.1:5432/asa"
    assert tracker_store.create_engine_kwargs(url) == rasa_kwargs(url)

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


# --- Reading and writing conversations ---------------------------------------------------------


def test_event_type_table_answers_as_rasa_does() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    rasa_store.use_event_type_table()
    rasa_store.use_event_type_table()  # applied once
    for _ in range(2):  # filled on the first round, read on the second
        for cls in all_subclasses(Event):
            expected = next(c for c in all_subclasses(Event) if c.type_name == cls.type_name)
            assert Event.resolve_by_type(cls.type_name) is expected
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("gibt_es_nicht", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("gibt_es_nicht")


@pytest.fixture
def sql_store(tmp_path: Path) -> Any:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    rasa_store.use_lean_sql_store()
    rasa_store.use_lean_sql_store()  # applied once
    domain = Domain.from_dict({"intents": ["greet"], "slots": {}})
    return SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _stored_types(store: Any, sender: str) -> list[str]:
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender)
        return [row.type_name for row in rows.order_by(store.SQLEvent.id).all()]


def test_saving_a_read_conversation_writes_only_new_events_without_counting(
    sql_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_save_read_conversation(sql_store, monkeypatch))


async def _save_read_conversation(sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from sqlalchemy.orm import Query

    tracker = await sql_store.get_or_create_tracker("a")  # new: Rasa counts
    tracker.update(UserUttered("hallo", {"name": "greet", "confidence": 1.0}))
    await sql_store.save(tracker)
    tracker.update(BotUttered("Hallo!"))  # same object, saved again: no count either

    def no_count(self: Any) -> int:
        raise AssertionError("counted again")

    monkeypatch.setattr(Query, "count", no_count)
    await sql_store.save(tracker)
    read = await sql_store.retrieve("a")
    read.update(ActionExecuted("action_listen"))
    await sql_store.save(read)
    assert _stored_types(sql_store, "a") == ["action", "user", "bot", "action"]
    assert list((await sql_store.retrieve("a")).events) == list(read.events)


def test_a_tracker_without_a_known_count_is_counted_as_rasa_does(sql_store: Any) -> None:
    asyncio.run(_save_unknown_count(sql_store))


async def _save_unknown_count(sql_store: Any) -> None:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    first = await sql_store.get_or_create_tracker("b")
    await sql_store.save(first)
    # A tracker built elsewhere with the stored events and one more.
    other = DialogueStateTracker.from_events("b", list(first.events), [])
    other.update(UserUttered("hallo"))
    await sql_store.save(other)
    # A tracker that names more stored events than it has is counted too.
    shrunk = DialogueStateTracker.from_events("b", [ActionExecuted("action_listen")], [])
    shrunk._asa_stored_events = 5
    await sql_store.save(shrunk)
    assert _stored_types(sql_store, "b") == ["action", "user"]


def test_reading_returns_the_rows_of_rasas_own_query(sql_store: Any) -> None:
    asyncio.run(_read_like_rasa(sql_store))


async def _read_like_rasa(sql_store: Any) -> None:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    first = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=2.0)]
    first += [UserUttered("hallo", {"name": "greet", "confidence": 1.0}, timestamp=3.0)]
    second = [ActionExecuted("action_session_start", timestamp=10.0)]
    second += [SessionStarted(timestamp=11.0), SlotSet("x", "y", timestamp=12.0)]
    second += [BotUttered("Hallo!", timestamp=13.0)]
    await sql_store.save(DialogueStateTracker.from_events("d", first + second, []))
    await sql_store.save(DialogueStateTracker.from_events("other", first, []))
    assert await sql_store.retrieve("nobody") is None
    for all_sessions in (False, True):
        with sql_store.session_scope() as session:
            rasa_rows = sql_store._event_query(session, "d", all_sessions).all()
            lean = rasa_store.conversation_query(sql_store, "d", all_sessions)
            assert session.execute(lean).scalars().all() == [row.data for row in rasa_rows]
    latest = await sql_store.retrieve("d")
    assert [e.timestamp for e in latest.events] == [11.0, 12.0, 13.0]
    assert latest._asa_stored_events == 3
    full = await sql_store.retrieve_full_tracker("d")
    assert len(full.events) == 7
    assert not hasattr(full, "_asa_stored_events")  # not the count the next save needs


def test_saving_writes_the_columns_rasa_writes(sql_store: Any) -> None:
    asyncio.run(_save_columns(sql_store))


async def _save_columns(sql_store: Any) -> None:
    import json

    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [
        UserUttered("hallo", {"name": "greet", "confidence": 1.0}, timestamp=3.0),
        ActionExecuted("utter_greet", timestamp=4.0),
    ]
    await sql_store.save(DialogueStateTracker.from_events("e", events, []))
    with sql_store.session_scope() as session:
        rows = sql_store._event_query(session, "e", True).all()
        stored = [
            (r.sender_id, r.type_name, r.timestamp, r.intent_name, r.action_name) for r in rows
        ]
        assert [json.loads(r.data) for r in rows] == [e.as_dict() for e in events]
    assert stored == [("e", "user", 3.0, "greet", None), ("e", "action", 4.0, None, "utter_greet")]
