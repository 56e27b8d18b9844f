"""What every input channel applies around one user message: the guard before, deletion after.

A channel whose blueprint calls `on_new_message` itself (socket.io, Telegram) needs one call:

    class GeschuetzterKanal(SocketIOInput):
        def blueprint(self, on_new_message):
            return GuardedTurns.from_settings().blueprint(super().blueprint, on_new_message)

A message the guard stops is answered with the named domain response through the message's own
output channel and never reaches the model. After the model's turn is saved, a conversation whose
last turn ran `action_daten_loeschen` is deleted from the tracker store (`delete_if_requested`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot import privacy
from bot.domain_text import response_texts
from bot.guard import CHANNEL_RESPONSES, Guard, Limits
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[Any], Awaitable[Any]]


def _innermost(tracker_store: Any) -> Any:
    """The store inside Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore)."""
    store = tracker_store
    for _ in range(5):
        inner = getattr(store, "_tracker_store", None)
        if inner is None:
            break
        store = inner
    return store


async def delete_if_requested(
    tracker_store: Any, sender_id: str, action: str = privacy.DELETE_ACTION
) -> bool:
    """Delete the conversation of `sender_id` if its last turn ran `action`; True if deleted.

    Call after the turn was saved. SQL stores (SQLite, PostgreSQL): every row of the sender is
    deleted. In-memory store: the entry is removed. Any other store: the stored conversation is
    replaced by an empty one, which deletes it where `save` overwrites (Redis, DynamoDB) but not
    where it appends (MongoDB); there, `asa-bot privacy purge` cannot help either, so use an SQL
    store when deletion on request matters.
    """
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _innermost(tracker_store)
    if isinstance(store, SQLTrackerStore):
        if not privacy.last_turn_requests_deletion(store.engine, sender_id, action):
            return False
        privacy.delete_conversation(store.engine, sender_id)
        return True
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        return False
    newest_first = (
        (event.type_name, getattr(event, "action_name", None)) for event in reversed(tracker.events)
    )
    if not privacy.turn_requests_deletion(newest_first, action):
        return False
    if isinstance(store, InMemoryTrackerStore):
        store.store.pop(sender_id, None)
    else:
        await tracker_store.save(DialogueStateTracker(sender_id, slots=[]))
    return True


def tracker_store_of(app: Any) -> Any:
    """The tracker store of the agent Rasa keeps on the Sanic app (None before it is loaded)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    return getattr(agent, "tracker_store", None)


class GuardedTurns:
    """One per channel instance: the guard with its rate memory and the texts it answers with."""

    def __init__(self, guard: Guard, texts: Mapping[str, str]) -> None:
        missing = CHANNEL_RESPONSES - set(texts)
        if missing:
            raise ValueError(f"texts missing: {sorted(missing)}")
        self.guard = guard
        self.texts = dict(texts)

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> GuardedTurns:
        settings = settings or load_settings()
        return cls(
            Guard(Limits.from_settings(settings), clock=clock),
            response_texts(CHANNEL_RESPONSES),
        )

    async def handle(
        self, message: Any, on_new_message: OnNewMessage, tracker_store: Any = None
    ) -> bool:
        """Guard, model, deletion check for one Rasa `UserMessage`; True if the model ran.

        Replies go to `message.output_channel`. Never raises for a failure inside the model
        or the actions: the user gets `utter_technischer_fehler`, the log gets the traceback
        without the message text.
        """
        sender = str(message.sender_id)
        output = message.output_channel
        rejection = self.guard.check(sender, message.text or "")
        if rejection is not None:
            await output.send_text_message(sender, self.texts[rejection.response])
            return False
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Eine Nachricht konnte nicht verarbeitet werden.")
            await output.send_text_message(sender, self.texts["utter_technischer_fehler"])
            return True
        if tracker_store is not None:
            try:
                if await delete_if_requested(tracker_store, sender):
                    logger.info("Ein Gespräch wurde auf Wunsch gelöscht.")
            except Exception:
                logger.exception("Ein Gespräch konnte nicht gelöscht werden.")
        return True

    def wrap(self, on_new_message: OnNewMessage, tracker_store: Callable[[], Any]) -> OnNewMessage:
        """`on_new_message` with the guard and the deletion check around it."""

        async def guarded(message: Any) -> None:
            await self.handle(message, on_new_message, tracker_store())

        return guarded

    def blueprint(self, make_blueprint: Callable[[OnNewMessage], Any], on_new_message: Any) -> Any:
        """The channel's own blueprint, built with a guarded `on_new_message`."""
        apps: list[Any] = []
        blueprint = make_blueprint(
            self.wrap(on_new_message, lambda: tracker_store_of(apps[0]) if apps else None)
        )

        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            apps[:] = [app]

        return blueprint
