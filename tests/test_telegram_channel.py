"""The Telegram input channel against the fake Bot API, with a stand-in for the dialogue.

The real dialogue is tested over Telegram in tests/e2e/test_telegram.py; here the dialogue's
replies are chosen freely, e.g. one longer than any the bot has today, to see it split.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from sanic.exceptions import InvalidUsage

from bot.domain_texts import response_texts
from bot.telegram import (
    RESPONSE_BUTTON_EXPIRED,
    RESPONSE_ONLY_TEXT,
    RESPONSE_START,
    RESPONSES,
    SECRET_HEADER,
    message_parts,
    telegram_length,
)
from channels.telegram import BotApi, Guard, TelegramInput
from tests.conftest import free_port
from tests.fake_telegram import SECRET, TOKEN, FakeBotApi, fake_bot_api

TEXTS = response_texts(RESPONSES)
LONG_PAYLOAD = '/info{"situation":"' + "x" * 80 + '"}'


class Dialogue:
    """Stands in for Rasa's agent: records what reaches it and sends scripted replies."""

    def __init__(self, replies: Mapping[str, list[dict[str, Any]]] | None = None) -> None:
        self.replies = replies or {}
        self.received: list[tuple[str, str]] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append((message.text, message.sender_id))
        for reply in self.replies.get(message.text, []):
            await message.output_channel.send_response(message.sender_id, dict(reply))


class Request:
    """What the channel reads from a Sanic request: headers and the JSON body."""

    def __init__(self, update: object, secret: str | None = SECRET) -> None:
        self.headers = {SECRET_HEADER: secret} if secret is not None else {}
        self._update = update

    @property
    def json(self) -> object:
        if self._update is InvalidUsage:
            raise InvalidUsage("Failed when parsing body as json")
        return self._update


def _message(text: str | None, update_id: int = 1, chat_type: str = "private") -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": update_id, "chat": {"id": 42, "type": chat_type}}
    if text is not None:
        message["text"] = text
    else:
        message["sticker"] = {"file_id": "x"}
    return {"update_id": update_id, "message": message}


def _press(data: str, update_id: int) -> dict[str, Any]:
    chat = {"id": 42, "type": "private"}
    query = {"id": f"cb-{update_id}", "from": {"id": 42}, "message": {"chat": chat}, "data": data}
    return {"update_id": update_id, "callback_query": query}


def _post(
    fake: FakeBotApi,
    dialogue: Dialogue,
    requests: list[Request],
    guard: Guard | None = None,
    api_url: str | None = None,
) -> list[int]:
    """Send the requests to one channel in one event loop; the HTTP statuses it answers."""

    async def run() -> list[int]:
        api = BotApi(api_url or fake.url, TOKEN, timeout=5)
        channel = TelegramInput(api, SECRET, TEXTS, guard=guard)
        try:
            return [await channel.receive(r, api, dialogue) for r in requests]  # type: ignore[arg-type]
        finally:
            await api.close()

    return asyncio.run(run())


def _texts(fake: FakeBotApi) -> list[str]:
    return [c.body["text"] for c in fake.calls if c.method == "sendMessage"]


def test_long_reply_is_split_and_the_keyboard_sits_under_the_last_part() -> None:
    long_text = "\n\n".join(f"Absatz {i}: " + "Ein ganzer Satz mit Inhalt. " * 40 for i in range(9))
    assert telegram_length(long_text) > 2 * 4096
    buttons = [
        {"title": "Weiter", "payload": "/affirm"},
        {"title": "Lang", "payload": LONG_PAYLOAD},
    ]
    dialogue = Dialogue({"Hallo": [{"text": long_text, "buttons": buttons}]})
    with fake_bot_api() as fake:
        assert _post(fake, dialogue, [Request(_message("Hallo"))]) == [200]
        sent = fake.calls_since(0, "sendMessage")
    assert [c.body["text"] for c in sent] == message_parts(long_text)
    assert len(sent) == 3
    assert all(telegram_length(c.body["text"]) <= 4096 for c in sent)
    assert all(c.body["chat_id"] == 42 for c in sent)
    assert [("reply_markup" in c.body) for c in sent] == [False, False, True]
    keyboard = sent[-1].body["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Weiter", "Lang"]
    assert keyboard[0][0]["callback_data"] == "/affirm"
    assert len(keyboard[1][0]["callback_data"].encode()) <= 64


def test_pressed_buttons_reach_the_dialogue_with_their_full_payload() -> None:
    buttons = [{"title": "Lang", "payload": LONG_PAYLOAD}, {"title": "Ja", "payload": "/affirm"}]
    dialogue = Dialogue({"Hallo": [{"text": "Frage?", "buttons": buttons}]})
    with fake_bot_api() as fake:

        async def run() -> None:
            api = BotApi(fake.url, TOKEN, timeout=5)
            channel = TelegramInput(api, SECRET, TEXTS)
            await channel.receive(Request(_message("Hallo")), api, dialogue)  # type: ignore[arg-type]
            keyboard = fake.calls[-1].body["reply_markup"]["inline_keyboard"]
            for number, row in enumerate(keyboard, start=2):
                press = Request(_press(row[0]["callback_data"], number))
                await channel.receive(press, api, dialogue)  # type: ignore[arg-type]
            await api.close()

        asyncio.run(run())
        answers = fake.calls_since(0, "answerCallbackQuery")
    assert dialogue.received == [
        ("Hallo", "telegram-42"),
        (LONG_PAYLOAD, "telegram-42"),
        ("/affirm", "telegram-42"),
    ]
    assert [a.body for a in answers] == [
        {"callback_query_id": "cb-2"},
        {"callback_query_id": "cb-3"},
    ]


def test_start_begins_afresh_greets_and_chooses_the_young_people() -> None:
    dialogue = Dialogue(
        {
            "/neustart": [{"text": "Alles zurückgesetzt. Für wen fragen Sie?"}],
            "/bin_jugendlich": [{"text": "Wo stehst du gerade?", "buttons": []}],
        }
    )
    with fake_bot_api() as fake:
        assert _post(fake, dialogue, [Request(_message("/start"))]) == [200]
        sent = _texts(fake)
    assert [text for text, _ in dialogue.received] == ["/neustart", "/bin_jugendlich"]
    assert sent == [TEXTS[RESPONSE_START], "Wo stehst du gerade?"]


def test_unknown_button_and_non_text_messages_get_a_notice_not_the_dialogue() -> None:
    dialogue = Dialogue()
    with fake_bot_api() as fake:
        requests = [Request(_press("#nicht-mehr-bekannt", 1)), Request(_message(None, 2))]
        assert _post(fake, dialogue, requests) == [200, 200]
        answer = fake.calls_since(0, "answerCallbackQuery")[0].body
        sent = _texts(fake)
    assert dialogue.received == []
    assert answer == {"callback_query_id": "cb-1", "text": TEXTS[RESPONSE_BUTTON_EXPIRED]}
    assert sent == [TEXTS[RESPONSE_ONLY_TEXT]]


def test_requests_without_or_with_a_wrong_secret_change_nothing() -> None:
    dialogue = Dialogue({"Hallo": [{"text": "Hi"}]})
    with fake_bot_api() as fake:
        requests = [
            Request(_message("Hallo", 1), secret=None),
            Request(_message("Hallo", 2), secret="falsch"),
            Request(_message("Hallo", 3), secret=SECRET + "x"),
            Request(_message("Hallo", 4), secret=""),
            Request(InvalidUsage),
        ]
        assert _post(fake, dialogue, requests) == [401, 403, 403, 403, 400]
        assert fake.calls == []
    assert dialogue.received == []


def test_repeated_group_and_unknown_updates_are_confirmed_but_handled_at_most_once() -> None:
    dialogue = Dialogue({"Hallo": [{"text": "Hi"}]})
    with fake_bot_api() as fake:
        requests = [
            Request(_message("Hallo", 5)),
            Request(_message("Hallo", 5)),
            Request(_message("Hallo", 6, chat_type="group")),
            Request({"update_id": 7, "edited_message": {}}),
            Request(["kein", "Update"]),
        ]
        assert _post(fake, dialogue, requests) == [200] * 5
        assert _texts(fake) == ["Hi"]
    assert dialogue.received == [("Hallo", "telegram-42")]


def test_a_guard_sees_sender_and_text_and_its_answer_replaces_the_dialogue() -> None:
    seen: list[tuple[str, str]] = []

    def guard(sender: str, text: str) -> str | None:
        seen.append((sender, text))
        return "Bitte kürzer." if len(text) > 20 else None

    dialogue = Dialogue({"kurz": [{"text": "Antwort"}]})
    with fake_bot_api() as fake:
        requests = [Request(_message("kurz", 1)), Request(_message("x" * 21, 2))]
        assert _post(fake, dialogue, requests, guard=guard) == [200, 200]
        assert _texts(fake) == ["Antwort", "Bitte kürzer."]
    assert seen == [("telegram-42", "kurz"), ("telegram-42", "x" * 21)]
    assert dialogue.received == [("kurz", "telegram-42")]


@pytest.mark.parametrize("failure", ["wrong token", "no server"])
def test_failed_api_calls_are_logged_without_token_or_text(
    failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    dialogue = Dialogue({"Hallo": [{"text": "Geheime Antwort"}]})
    with fake_bot_api(token="999:other-token-of-another-bot-xyz") as fake:
        api_url = f"http://127.0.0.1:{free_port()}" if failure == "no server" else None
        with caplog.at_level(logging.DEBUG, logger="channels.telegram"):
            assert _post(fake, dialogue, [Request(_message("Hallo"))], api_url=api_url) == [200]
    messages = [r.getMessage() for r in caplog.records if r.name == "channels.telegram"]
    assert any("sendMessage" in m for m in messages), messages
    assert not any(TOKEN in m or "Geheime" in m or "Hallo" in m for m in messages)


def test_a_short_slow_down_is_waited_for_once_a_long_one_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dialogue = Dialogue({"Hallo": [{"text": "Antwort"}]})
    with fake_bot_api() as fake:
        fake.throttled, fake.retry_after = 1, 1
        started = time.monotonic()
        assert _post(fake, dialogue, [Request(_message("Hallo", 1))]) == [200]
        assert time.monotonic() - started >= 1
        assert _texts(fake) == ["Antwort", "Antwort"]  # refused once, then delivered
        assert fake.calls[-1].method == "sendMessage"

        fake.throttled, fake.retry_after = 2, 30
        with caplog.at_level(logging.WARNING, logger="channels.telegram"):
            started = time.monotonic()
            assert _post(fake, dialogue, [Request(_message("Hallo", 2))]) == [200]
            assert time.monotonic() - started < 10
        assert fake.throttled == 1  # asked once, not repeated
    assert any("HTTP 429" in r.getMessage() for r in caplog.records)


def test_channel_is_active_only_with_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASA_TELEGRAM_TOKEN", "")
    assert not TelegramInput.from_credentials(None).active
    monkeypatch.setenv("ASA_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("ASA_TELEGRAM_SECRET", SECRET)
    monkeypatch.setenv("ASA_TELEGRAM_API_URL", "http://127.0.0.1:9")
    assert TelegramInput.from_credentials(None).active
    with pytest.raises(ValueError, match="utter_telegram_start"):
        TelegramInput(BotApi("http://127.0.0.1:9", TOKEN), SECRET, {})


def _routes(channel: TelegramInput, dialogue: Callable[[UserMessage], Any]) -> set[str]:
    return {route.uri for route in channel.blueprint(dialogue)._future_routes}


def test_webhook_route_exists_only_when_active() -> None:
    active = TelegramInput(BotApi("http://127.0.0.1:9", TOKEN), SECRET, TEXTS)
    assert _routes(active, Dialogue()) == {"/", "/webhook"}
    assert _routes(TelegramInput(None), Dialogue()) == {"/"}


def test_credentials_name_the_channel_next_to_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASA_WIDGET_ORIGINS", "http://127.0.0.1:8080")  # `asa-bot run` sets it
    from rasa.core.run import create_http_input_channels

    from bot.settings import PROJECT_ROOT

    monkeypatch.setenv("ASA_TELEGRAM_TOKEN", "")
    channels = create_http_input_channels(None, str(PROJECT_ROOT / "credentials.yml"))
    assert {"rest", "telegram"} <= {c.name() for c in channels}
    telegram = next(c for c in channels if c.name() == "telegram")
    assert isinstance(telegram, TelegramInput) and not telegram.active
