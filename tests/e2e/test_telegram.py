"""Whole conversations over Telegram: the real bot behind the webhook, a fake Bot API on loopback
recording what the bot sends (sendMessage, answerCallbackQuery).

No reply of the bot today comes near Telegram's 4096 characters (the longest, the reasons, has
about 600); every message is checked against the limit here, and a reply of 10,000 characters is
split in tests/test_telegram_channel.py through the same output path.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.chat import send
from bot.domain_texts import response_texts
from bot.settings import load_settings
from bot.telegram import RESPONSE_BUTTON_EXPIRED, RESPONSE_ONLY_TEXT, RESPONSE_START, RESPONSES
from tests.conftest import BotProcess, start_bot, stop_bot
from tests.fake_telegram import SECRET, TOKEN, Call, FakeBotApi, fake_bot_api

TEXTS = response_texts(RESPONSES)
_update_ids = itertools.count(1000)
_chat_ids = itertools.count(5001)


@pytest.fixture(scope="module")
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BotProcess, FakeBotApi]]:
    with fake_bot_api() as fake:
        env = {
            "ASA_TELEGRAM_TOKEN": TOKEN,
            "ASA_TELEGRAM_SECRET": SECRET,
            "ASA_TELEGRAM_API_URL": fake.url,
            "ASA_LOG_LEVEL": "INFO",  # the log check below holds up to INFO
        }
        bot = start_bot(tmp_path_factory.mktemp("telegram"), extra_env=env)
        try:
            yield bot, fake
        finally:
            stop_bot(bot)


class Chat:
    """One private chat: writes messages and presses buttons through the webhook."""

    def __init__(self, bot: BotProcess, fake: FakeBotApi) -> None:
        self.bot, self.fake = bot, fake
        self.chat_id = next(_chat_ids)
        self.history: list[str] = []

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.bot.rasa_port}/webhooks/telegram/webhook"

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(
            self.webhook, data=json.dumps(update).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def _message_update(self, text: str | None) -> dict[str, Any]:
        update_id = next(_update_ids)
        message: dict[str, Any] = {
            "message_id": update_id,
            "from": {"id": self.chat_id, "is_bot": False, "first_name": "Test"},
            "chat": {"id": self.chat_id, "type": "private"},
        }
        if text is None:
            message["photo"] = [{"file_id": "foto", "width": 90, "height": 90}]
        else:
            message["text"] = text
        return {"update_id": update_id, "message": message}

    def sent(self, since: int = 0) -> list[Call]:
        """sendMessage calls to this chat since the call index `since`."""
        return [
            c
            for c in self.fake.calls_since(since, "sendMessage")
            if c.body["chat_id"] == self.chat_id
        ]

    def _record(self, said: str, since: int) -> list[Call]:
        replies = self.sent(since)
        self.history.append(f"> {said}\n" + "\n".join(c.body["text"] for c in replies))
        return replies

    def write(self, text: str | None) -> list[Call]:
        since = self.fake.count()
        assert self.post(self._message_update(text)) == 200
        return self._record(text or "[Foto]", since)

    def keyboard(self) -> list[dict[str, str]]:
        """The buttons under the latest message that has any."""
        for call in reversed(self.sent()):
            if "reply_markup" in call.body:
                return [row[0] for row in call.body["reply_markup"]["inline_keyboard"]]
        raise AssertionError(f"keine Knöpfe im Chat:{self}")

    def press(self, title: str, data: str | None = None) -> list[Call]:
        if data is None:
            button = next((b for b in self.keyboard() if b["text"] == title), None)
            assert button is not None, f"Knopf {title!r} fehlt in {self.keyboard()}:{self}"
            data = button["callback_data"]
        update_id = next(_update_ids)
        callback_id = f"cb-{update_id}"
        update = {
            "update_id": update_id,
            "callback_query": {
                "id": callback_id,
                "from": {"id": self.chat_id, "is_bot": False, "first_name": "Test"},
                "message": {"message_id": 1, "chat": {"id": self.chat_id, "type": "private"}},
                "chat_instance": "1",
                "data": data,
            },
        }
        since = self.fake.count()
        assert self.post(update) == 200
        answers = [
            c.body
            for c in self.fake.calls_since(since, "answerCallbackQuery")
            if c.body["callback_query_id"] == callback_id
        ]
        assert len(answers) == 1, f"Knopfdruck {title!r} nicht beantwortet:{self}"
        return self._record(f"[{title}]", since)

    def __repr__(self) -> str:
        return "\n" + "\n".join(self.history)


def _text(calls: list[Call]) -> str:
    return "\n".join(c.body["text"] for c in calls)


def _senders(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def test_young_person_conversation_by_buttons_to_a_result(
    telegram: tuple[BotProcess, FakeBotApi],
) -> None:
    bot, fake = telegram
    chat = Chat(bot, fake)
    start = chat.write("/start")
    assert start[0].body["text"] == TEXTS[RESPONSE_START], chat
    assert "Wo stehst du gerade?" in _text(start), chat
    assert " Sie " not in _text(start) and "Ihnen" not in _text(start), chat
    assert "Ich bin in Ausbildung" in [b["text"] for b in chat.keyboard()], chat

    frage = _text(chat.press("Ich bin in Ausbildung"))
    assert "ohne Hilfe" in frage, chat
    warum = _text(chat.write("Warum fragst du das?"))
    assert "§ 74 SGB III" in warum, chat

    buttons = {"ohne Hilfe": "Ja", "Staatsangehörigkeit": "Deutsch", "Bürgergeld": "Nein"}
    antwort = warum
    for _ in range(10):
        if "Einschätzung" in antwort:
            break
        title = next((t for k, t in buttons.items() if k in antwort), None)
        assert title is not None, f"unerwartete Frage:{chat}"
        antwort = _text(chat.press(title))
    else:
        raise AssertionError(f"kein Ergebnis nach 10 Antworten:{chat}")
    for erwartet in (
        "Begleitende Phase",
        "passt wahrscheinlich",
        "Berufsberatung bei der Agentur für Arbeit",
        "nur eine Orientierung",
    ):
        assert erwartet in antwort, f"{erwartet!r} fehlt:{chat}"

    begruendung = _text(chat.write("/begruendung"))
    assert "§ 7" in begruendung and "Quelle" in begruendung, chat
    assert "Zusammenfassung" in _text(chat.write("Zusammenfassung bitte")), chat

    # Every message of the conversation fits Telegram (the fake API refuses longer ones too).
    assert all(len(c.body["text"].encode("utf-16-le")) // 2 <= 4096 for c in chat.sent())

    # The servers' logs hold neither the token nor what was written.
    logs = load_settings().data_dir / "logs"
    for log in (logs / "rasa.log", logs / "actions.log", bot.output):
        content = log.read_text(encoding="utf-8", errors="replace")
        assert TOKEN not in content and "Zusammenfassung bitte" not in content, log

    # /start again begins afresh instead of continuing the finished questions.
    neu = chat.write("/start")
    assert neu[0].body["text"] == TEXTS[RESPONSE_START], chat
    assert "Wo stehst du gerade?" in _text(neu), chat


def test_updates_without_or_with_a_wrong_secret_never_reach_the_bot(
    telegram: tuple[BotProcess, FakeBotApi],
) -> None:
    bot, fake = telegram
    chat = Chat(bot, fake)
    since = fake.count()
    assert chat.post(chat._message_update("/start"), secret=None) == 401
    assert chat.post(chat._message_update("/start"), secret="falsches-geheimnis") == 403
    assert chat.post(chat._message_update("/start"), secret=SECRET[:-1]) == 403
    assert fake.calls_since(since) == []
    assert f"telegram-{chat.chat_id}" not in _senders(bot.tracker_db)
    # The same chat with the right secret is served.
    assert chat.write("/start")[0].body["text"] == TEXTS[RESPONSE_START], chat
    assert f"telegram-{chat.chat_id}" in _senders(bot.tracker_db)


def test_photos_and_stale_buttons_get_a_notice(telegram: tuple[BotProcess, FakeBotApi]) -> None:
    bot, fake = telegram
    chat = Chat(bot, fake)
    assert [c.body["text"] for c in chat.write(None)] == [TEXTS[RESPONSE_ONLY_TEXT]], chat
    since = fake.count()
    assert chat.press("alt", data="#nicht-mehr-bekannt") == [], chat
    answer = fake.calls_since(since, "answerCallbackQuery")[0].body
    assert answer["text"] == TEXTS[RESPONSE_BUTTON_EXPIRED]
    assert f"telegram-{chat.chat_id}" not in _senders(bot.tracker_db)


def test_rest_channel_still_works_beside_telegram(telegram: tuple[BotProcess, FakeBotApi]) -> None:
    bot, _ = telegram
    replies = send(bot.rest_url, "rest-neben-telegram", "Hallo")
    assert "Für wen fragen Sie" in "\n".join(r.get("text", "") for r in replies)
    with urllib.request.urlopen(
        f"http://127.0.0.1:{bot.rasa_port}/webhooks/telegram/", timeout=10
    ) as reply:
        assert json.loads(reply.read()) == {"status": "ok"}
