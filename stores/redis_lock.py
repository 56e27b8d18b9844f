"""A Redis lock store for several Rasa processes sharing one Redis.

Rasa's own `RedisLockStore` reads a conversation's ticket lock, changes it in Python and writes it
back. Two processes that do this at the same moment overwrite each other: both hand out the same
ticket number, or a waiting ticket vanishes and its message fails with a `LockError`. This store
does every read-change-write of a lock in one optimistic Redis transaction (WATCH/MULTI/EXEC) and
repeats it when another process changed the lock in between, so a conversation's messages are
processed one at a time, in the order their tickets were issued, however many processes serve it.

Used by `endpoints.scaled.yml` as `type: stores.redis_lock.AtomicRedisLockStore`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

#: Attempts of one transaction before giving up; each retry means another process won the race.
MAX_ATTEMPTS = 200


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket operations are single Redis transactions."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            # Rasa builds custom lock stores as `cls(endpoint_config=...)`.
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _transaction(
        self, conversation_id: str, change: Callable[[TicketLock | None], TicketLock | None]
    ) -> TicketLock | None:
        """Apply `change` to the stored lock atomically; a returned None deletes the lock."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    changed = change(lock)
                    pipe.multi()
                    if changed is None or not changed.tickets:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return changed
                except redis.WatchError:
                    continue
        raise LockError(
            f"Lock for conversation '{conversation_id}' changed {MAX_ATTEMPTS} times in a row."
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket of the conversation's lock, creating the lock if needed."""
        issued: list[int] = []

        def _issue(lock: TicketLock | None) -> TicketLock:
            lock = lock or self.create_lock(conversation_id)
            issued[:] = [lock.issue_ticket(lock_lifetime)]
            return lock

        try:
            self._transaction(conversation_id, _issue)
        except LockError:
            raise
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return issued[0]

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets; an empty lock is deleted."""

        def _update(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._transaction(conversation_id, _update)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the served ticket; the lock is deleted when no ticket is left."""

        def _finish(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._transaction(conversation_id, _finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Same as `finish_serving`: removing the last ticket deletes the lock in one step.

        Rasa's own cleanup checks for waiting tickets and deletes the lock in two steps, between
        which another process may add a ticket that the delete then throws away.
        """
        self.finish_serving(conversation_id, ticket_number)
