"""The guarded REST channel in-process: guard before the model, deletion after, clean errors.

The model is replaced by a fake `on_new_message`; the webhook handler is called with a minimal
request object (the handler reads only `body` and `app`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.domain_text import response_texts
from bot.guard import CHANNEL_RESPONSES, Guard, Limits
from channels.guarded import GuardedTurns, delete_if_requested, tracker_store_of
from channels.rest import GuardedRestInput

ROOT = Path(__file__).resolve().parent.parent.parent
TEXTS = response_texts(CHANNEL_RESPONSES)
MARKER = "GEHEIMER-TEXT-4711"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _delete_turn(sender: str) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    return [
        ActionExecuted("action_listen"),
        UserUttered("/daten_loeschen", {"name": "daten_loeschen"}),
        ActionExecuted("action_daten_loeschen"),
        BotUttered("Gelöscht."),
        ActionExecuted("action_listen"),
    ]


@dataclass
class FakeModel:
    """Stands in for Rasa's agent: answers, and saves the turn to a tracker store."""

    store: Any
    seen: list[str] = field(default_factory=list)
    fail: bool = False

    async def __call__(self, message: Any) -> None:
        from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        self.seen.append(message.text)
        if self.fail:
            raise RuntimeError(f"kaputt bei {message.text}")
        tracker = await self.store.retrieve(message.sender_id) or DialogueStateTracker(
            message.sender_id, slots=[]
        )
        if message.text == "/daten_loeschen":
            events = _delete_turn(message.sender_id)
        else:
            events = [UserUttered(message.text), BotUttered("Antwort"), ActionExecuted("x")]
        for event in events:
            tracker.update(event)
        await self.store.save(tracker)
        await message.output_channel.send_text_message(message.sender_id, "Antwort")


def _in_memory_store() -> Any:
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    return FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))


def _channel(limits: Limits, clock: Clock) -> GuardedRestInput:
    return GuardedRestInput(GuardedTurns(Guard(limits, clock=clock), TEXTS))


def _handler(channel: GuardedRestInput, model: FakeModel) -> Any:
    blueprint = channel.blueprint(model)
    return next(route.handler for route in blueprint._future_routes if route.uri == "/webhook")


def _post(handler: Any, body: bytes, store: Any = None) -> tuple[int, Any]:
    app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))
    request = SimpleNamespace(body=body, app=app)
    answer = asyncio.run(handler(request))
    return answer.status, json.loads(answer.body)


def _message(sender: str, text: str) -> bytes:
    return json.dumps({"sender": sender, "message": text}).encode("utf-8")


@pytest.fixture
def setup() -> tuple[Any, FakeModel, Clock, Any]:
    clock = Clock()
    store = _in_memory_store()
    model = FakeModel(store)
    handler = _handler(
        _channel(Limits(max_chars=50, rate_messages=3, rate_seconds=60), clock), model
    )
    return handler, model, clock, store


def test_a_message_reaches_the_model_and_the_replies_come_back(setup: Any) -> None:
    handler, model, _, store = setup
    status, body = _post(handler, _message("s1", "Hallo"), store)
    assert status == 200
    assert body == [{"recipient_id": "s1", "text": "Antwort"}]
    assert model.seen == ["Hallo"]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("", "utter_nachricht_leer"),
        ("  \n ", "utter_nachricht_leer"),
        ("x" * 51, "utter_nachricht_zu_lang"),
        ("x" * 100_000, "utter_nachricht_zu_lang"),
    ],
)
def test_guard_rejections_are_friendly_replies_without_the_model(
    setup: Any, text: str, response: str
) -> None:
    handler, model, _, store = setup
    status, body = _post(handler, _message("s1", text), store)
    assert status == 200
    assert body == [{"recipient_id": "s1", "text": TEXTS[response]}]
    assert model.seen == []


def test_too_many_messages_are_answered_until_the_window_has_passed(setup: Any) -> None:
    handler, model, clock, store = setup
    for _ in range(3):
        assert _post(handler, _message("s1", "Hallo"), store)[1][0]["text"] == "Antwort"
    status, body = _post(handler, _message("s1", "Hallo"), store)
    assert (status, body[0]["text"]) == (200, TEXTS["utter_zu_viele_nachrichten"])
    assert _post(handler, _message("s2", "Hallo"), store)[1][0]["text"] == "Antwort"
    clock.now += 61
    assert _post(handler, _message("s1", "Hallo"), store)[1][0]["text"] == "Antwort"
    assert len(model.seen) == 5


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        (b"kein json", "kein_json", 400),
        (b'{"sender": "s1", "message": "\xc3\x28"}', "kein_utf8", 400),
        (b'{"message": "Hallo"}', "unvollstaendig", 400),
        (b'{"sender": "s1", "message": null}', "unvollstaendig", 400),
        (b"x" * (2 * 1024 * 1024), "zu_gross", 413),
    ],
)
def test_unreadable_requests_get_a_german_json_error(
    setup: Any, body: bytes, code: str, status: int
) -> None:
    handler, model, _, store = setup
    answer_status, answer = _post(handler, body, store)
    assert answer_status == status
    assert answer["fehler"] == code
    assert answer["meldung"] in TEXTS.values()
    assert model.seen == []


def test_a_failing_model_gives_a_friendly_reply_and_a_log_without_the_text(
    setup: Any, caplog: pytest.LogCaptureFixture
) -> None:
    handler, model, _, store = setup
    model.fail = True
    with caplog.at_level(logging.DEBUG):
        status, body = _post(handler, _message("s1", MARKER), store)
    assert status == 200
    assert body == [{"recipient_id": "s1", "text": TEXTS["utter_technischer_fehler"]}]
    assert "konnte nicht verarbeitet werden" in caplog.text
    # The traceback names the exception but the handler logs no message text of its own.
    assert all(MARKER not in record.getMessage() for record in caplog.records)


def test_the_conversation_is_deleted_after_a_turn_that_ran_the_delete_action(
    setup: Any,
) -> None:
    handler, _, _, store = setup
    _post(handler, _message("s1", "Hallo"), store)
    _post(handler, _message("s2", "Hallo"), store)
    assert asyncio.run(store.retrieve("s1")) is not None
    status, body = _post(handler, _message("s1", "/daten_loeschen"), store)
    assert status == 200 and body[0]["text"] == "Antwort", "the confirmation still arrives"
    assert asyncio.run(store.retrieve("s1")) is None
    assert asyncio.run(store.retrieve("s2")) is not None


def test_deletion_in_a_sqlite_store_behind_rasas_wrappers(tmp_path: Path) -> None:
    from rasa.core.tracker_store import (
        AwaitableTrackerStore,
        FailSafeTrackerStore,
        SQLTrackerStore,
    )
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    sql = SQLTrackerStore(Domain.empty(), db=str(tmp_path / "tracker.db"))
    store = FailSafeTrackerStore(AwaitableTrackerStore(sql))
    asyncio.run(store.save(DialogueStateTracker.from_events("bleibt", [UserUttered("Hallo")])))
    tracker = DialogueStateTracker.from_events("weg", _delete_turn("weg"))
    asyncio.run(store.save(tracker))

    assert not asyncio.run(delete_if_requested(store, "bleibt"))
    assert asyncio.run(delete_if_requested(store, "weg"))
    assert asyncio.run(store.retrieve("weg")) is None
    assert asyncio.run(store.retrieve("bleibt")) is not None
    assert not asyncio.run(delete_if_requested(store, "weg")), "nothing left to delete"


def test_other_stores_are_emptied_through_save() -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    class OverwritingStore(TrackerStore):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(None)
            self.saved: dict[str, DialogueStateTracker] = {}

        async def save(self, tracker: DialogueStateTracker) -> None:
            self.saved[tracker.sender_id] = tracker

        async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
            return self.saved.get(sender_id)

    store = OverwritingStore()
    asyncio.run(store.save(DialogueStateTracker.from_events("weg", _delete_turn("weg"))))
    assert asyncio.run(delete_if_requested(store, "weg"))
    assert store.saved["weg"].events == type(store.saved["weg"].events)()


def test_tracker_store_is_read_from_the_agent_on_the_app() -> None:
    assert tracker_store_of(SimpleNamespace(ctx=SimpleNamespace())) is None
    store = object()
    app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))
    assert tracker_store_of(app) is store


def test_other_channels_get_guard_and_deletion_with_one_call() -> None:
    """A channel that calls on_new_message itself (socket.io, Telegram) wraps it via blueprint."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from sanic import Blueprint

    store = _in_memory_store()
    model = FakeModel(store)
    turns = GuardedTurns(Guard(Limits(max_chars=20), clock=Clock()), TEXTS)
    captured: dict[str, Any] = {}

    def channel_blueprint(on_new_message: Any) -> Blueprint:
        captured["on_new_message"] = on_new_message
        return Blueprint("probe_channel_bp")

    blueprint = turns.blueprint(channel_blueprint, model)
    listeners = [listener for listener in blueprint._future_listeners]
    assert [listener.event for listener in listeners] == ["before_server_start"]
    app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))
    asyncio.run(listeners[0].listener(app, None))

    output = CollectingOutputChannel()
    guarded = captured["on_new_message"]
    asyncio.run(guarded(UserMessage("eine viel zu lange Nachricht", output, "s1")))
    asyncio.run(guarded(UserMessage("Hallo", output, "s1")))
    asyncio.run(guarded(UserMessage("/daten_loeschen", output, "s1")))
    assert [m["text"] for m in output.messages] == [
        TEXTS["utter_nachricht_zu_lang"],
        "Antwort",
        "Antwort",
    ]
    assert model.seen == ["Hallo", "/daten_loeschen"]
    assert asyncio.run(store.retrieve("s1")) is None


def test_credentials_load_the_guarded_channel_under_the_rest_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASA_WIDGET_ORIGINS", "http://127.0.0.1:8080")  # `asa-bot run` sets it
    from rasa.core.channels import channel
    from rasa.core.run import create_http_input_channels
    from sanic import Sanic

    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    assert GuardedRestInput in [type(c) for c in channels]
    Sanic.test_mode = True
    app = Sanic("probe_guarded_rest")
    channel.register(channels, app, route="/webhooks/")
    assert "webhooks/rest/webhook" in {route.path for route in app.router.routes}


def test_turns_refuse_missing_texts() -> None:
    with pytest.raises(ValueError, match="utter_"):
        GuardedTurns(Guard(Limits()), {})
