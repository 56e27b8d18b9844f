"""The Redis lock store hands out each ticket once, even when several processes ask at once."""

from __future__ import annotations

import multiprocessing
import uuid
from typing import Any

from stores.redis_lock import AtomicRedisLockStore
from tests.e2e.services import require_services, scaled_settings

PROCESSES = 3
TICKETS_EACH = 120


def _store() -> AtomicRedisLockStore:
    settings = scaled_settings()
    return AtomicRedisLockStore(
        host=settings.redis.host,
        port=settings.redis.port,
        db=settings.redis_db,
        username=settings.redis.user or None,
        password=settings.redis.password or None,
    )


def _issue(conversation: str, count: int, out: Any) -> None:
    store = _store()
    out.put([store.issue_ticket(conversation, 60) for _ in range(count)])


def _issue_and_release(conversation: str, count: int, out: Any) -> None:
    store = _store()
    errors = 0
    for _ in range(count):
        try:
            ticket = store.issue_ticket(conversation, 60)
            store.update_lock(conversation)
            store.cleanup(conversation, ticket)
        except Exception:
            errors += 1
    out.put(errors)


def _run(target: Any, conversation: str) -> list[Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(target=target, args=(conversation, TICKETS_EACH, out))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return results


def test_tickets_issued_by_several_processes_at_once_are_unique() -> None:
    require_services(scaled_settings())
    conversation = f"e2e-lock-{uuid.uuid4().hex}"
    store = _store()
    try:
        issued = [n for batch in _run(_issue, conversation) for n in batch]
        lock = store.get_lock(conversation)
        assert lock is not None
        assert len(issued) == PROCESSES * TICKETS_EACH
        assert len(set(issued)) == len(issued), "a ticket number was handed out twice"
        assert sorted(t.number for t in lock.tickets) == sorted(issued), "a ticket was lost"
    finally:
        store.delete_lock(conversation)


def test_issuing_and_releasing_from_several_processes_leaves_no_ticket_behind() -> None:
    require_services(scaled_settings())
    conversation = f"e2e-lock-{uuid.uuid4().hex}"
    store = _store()
    try:
        assert _run(_issue_and_release, conversation) == [0] * PROCESSES
        assert store.get_lock(conversation) is None
    finally:
        store.delete_lock(conversation)
