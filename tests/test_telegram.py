"""The Telegram logic without Rasa: splitting, keyboards, reading updates, secrets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram import (
    MAX_CALLBACK_DATA,
    MAX_TEXT,
    CallbackKeys,
    Incoming,
    Kind,
    RecentUpdates,
    answer_callback_body,
    inline_keyboard,
    is_valid_secret,
    is_valid_token,
    message_parts,
    method_url,
    parse_update,
    retry_after,
    secret_matches,
    send_message_body,
    set_webhook_body,
    split_text,
    telegram_length,
)

# --- Splitting ------------------------------------------------------------------------------

# Text made of the pieces that matter for boundaries: words, spaces, sentence ends, line and
# paragraph breaks, emoji outside the BMP (2 UTF-16 units), combining marks and joiners.
_pieces = st.sampled_from(
    ["a", "Wort", " ", "  ", ".", ". ", "! ", "?\n", "\n", "\n\n", "ä", "😀", "e\u0301", "\u200d"]
)
_texts = st.lists(st.one_of(_pieces, st.text(max_size=5)), max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_texts, limit=st.integers(min_value=2, max_value=60))
def test_split_keeps_every_part_within_the_limit_and_the_text_whole(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert "".join(parts) == text
    assert all(telegram_length(part) <= limit for part in parts)
    assert all(part for part in parts)


@settings(max_examples=50, deadline=None)
@given(text=st.text(min_size=0, max_size=20_000))
def test_split_at_the_telegram_limit_on_arbitrary_text(text: str) -> None:
    parts = split_text(text)
    assert "".join(parts) == text
    assert all(telegram_length(part) <= MAX_TEXT for part in parts)


@settings(max_examples=200, deadline=None)
@given(text=_texts, limit=st.integers(min_value=2, max_value=60))
def test_message_parts_are_non_blank_trimmed_and_within_the_limit(text: str, limit: int) -> None:
    parts = message_parts(text, limit)
    assert all(part and part == part.strip() for part in parts)
    assert all(telegram_length(part) <= limit for part in parts)
    assert "".join(parts) == "".join(p.strip() for p in split_text(text, limit))


def test_short_text_is_one_part_and_empty_text_none() -> None:
    assert split_text("Hallo") == ["Hallo"]
    assert split_text("") == []
    assert message_parts("  \n ") == []


def test_split_prefers_paragraphs_then_sentences_then_words() -> None:
    first, second = "A" * 3000, "B" * 3000
    assert split_text(f"{first}\n\n{second}") == [f"{first}\n\n", second]
    satz = "Das ist ein Satz. " * 300  # 5400 characters, no line breaks
    parts = split_text(satz)
    assert len(parts) == 2 and parts[0].endswith("Satz. ")
    woerter = "Wort " * 1000
    assert all(p.endswith(" ") for p in split_text(woerter)[:-1])


def test_split_does_not_cut_an_emoji_or_an_accent() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no spaces
    parts = split_text(text)
    assert [telegram_length(p) for p in parts] == [4096, 1904]
    for accented in ("e\u0301" * 3000, "x" + "e\u0301" * 3000):
        assert all(not p.startswith("\u0301") for p in split_text(accented))
    family = "x" + "👩\u200d👧" * 1500  # joined emoji: never cut next to the joiner
    for part in split_text(family):
        assert not part.startswith("\u200d") and not part.endswith("\u200d")


def test_early_paragraph_break_does_not_make_a_tiny_part() -> None:
    text = "Kurz.\n\n" + "Lang und länger. " * 400
    parts = split_text(text)
    assert len(parts[0]) > MAX_TEXT // 2


def test_limit_must_hold_one_character() -> None:
    with pytest.raises(ValueError):
        split_text("x", 1)


# --- Keyboards ------------------------------------------------------------------------------


def test_keyboard_one_button_per_row_with_payloads_as_callback_data() -> None:
    keys = CallbackKeys()
    buttons = [
        {"title": "Ja", "payload": "/affirm"},
        {"title": "Deutsch", "payload": '/info{"staatsangehoerigkeit":"deutsch"}'},
        {"title": "Nur Titel"},
        {"title": "", "payload": "/leer"},
    ]
    assert inline_keyboard(buttons, keys) == {
        "inline_keyboard": [
            [{"text": "Ja", "callback_data": "/affirm"}],
            [{"text": "Deutsch", "callback_data": '/info{"staatsangehoerigkeit":"deutsch"}'}],
            [{"text": "Nur Titel", "callback_data": "Nur Titel"}],
        ]
    }
    assert inline_keyboard([], keys) is None


@settings(max_examples=200, deadline=None)
@given(payload=st.text(min_size=1, max_size=300))
def test_every_payload_maps_to_short_callback_data_and_back(payload: str) -> None:
    keys = CallbackKeys()
    data = keys.key_for(payload)
    assert 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
    assert keys.payload_for(data) == payload


def test_long_payloads_get_distinct_keys_and_forgotten_keys_map_to_none() -> None:
    keys = CallbackKeys(capacity=2)
    long_a, long_b, long_c = ("/info" + "a" * 100), ("/info" + "b" * 100), ("/info" + "c" * 100)
    key_a, key_b = keys.key_for(long_a), keys.key_for(long_b)
    assert key_a != key_b and key_a.startswith("#")
    assert keys.payload_for(key_a) == long_a  # a use keeps it
    keys.key_for(long_c)  # pushes out the least recently used: b
    assert keys.payload_for(key_b) is None
    assert keys.payload_for(key_a) == long_a
    # Another process maps the same payload to the same key (a hash, not a counter).
    assert CallbackKeys().key_for(long_a) == key_a
    # A short payload that looks like a key is mapped too, so it cannot be confused with one.
    assert keys.key_for("#abc") != "#abc"
    assert CallbackKeys().payload_for("#unbekannt") is None


# --- Updates --------------------------------------------------------------------------------


def _message(text: object = "Hallo", chat_type: str = "private", **extra: object) -> dict:
    message: dict[str, object] = {"message_id": 5, "chat": {"id": 42, "type": chat_type}}
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": 7, "message": message}


def _callback(data: object = "/affirm", with_message: bool = True) -> dict:
    query: dict[str, object] = {"id": "cb-1", "from": {"id": 42}, "data": data}
    if with_message:
        query["message"] = {"message_id": 3, "chat": {"id": 42, "type": "private"}}
    return {"update_id": 8, "callback_query": query}


def test_text_message_start_command_and_other_messages() -> None:
    assert parse_update(_message()) == Incoming(7, 42, Kind.TEXT, "Hallo")
    assert parse_update(_message("/start")) == Incoming(7, 42, Kind.START, "/start")
    assert parse_update(_message("/start abc")).kind is Kind.START  # type: ignore[union-attr]
    assert parse_update(_message("/start@AsaBot")).kind is Kind.START  # type: ignore[union-attr]
    assert parse_update(_message("/startseite")).kind is Kind.TEXT  # type: ignore[union-attr]
    photo = parse_update(_message(None, photo=[{"file_id": "x"}]))
    assert photo == Incoming(7, 42, Kind.OTHER)
    assert parse_update(_message("Hallo")).sender_id == "telegram-42"  # type: ignore[union-attr]


def test_button_press_reads_callback_data() -> None:
    assert parse_update(_callback()) == Incoming(8, 42, Kind.BUTTON, "/affirm", "cb-1")
    assert parse_update(_callback(with_message=False)) == Incoming(
        8, 42, Kind.BUTTON, "/affirm", "cb-1"
    )
    no_data = parse_update(_callback(data=None))
    assert no_data is not None and no_data.text == ""


@pytest.mark.parametrize(
    "update",
    [
        None,
        [],
        {},
        {"update_id": "7", "message": _message()["message"]},
        {"update_id": True, "message": _message()["message"]},
        _message(chat_type="group"),
        _message(chat_type="channel"),
        {"update_id": 9, "edited_message": _message()["message"]},
        {"update_id": 9, "my_chat_member": {}},
        {"update_id": 9, "message": {"text": "ohne Chat"}},
        {"update_id": 9, "callback_query": {"data": "/affirm"}},
        {
            "update_id": 9,
            "callback_query": {
                "id": "cb",
                "data": "/affirm",
                "message": {"chat": {"id": -100, "type": "supergroup"}},
            },
        },
    ],
)
def test_updates_the_bot_does_not_handle(update: object) -> None:
    assert parse_update(update) is None


def test_repeated_updates_are_recognised_within_capacity() -> None:
    recent = RecentUpdates(capacity=3)
    assert [recent.first_time(i) for i in (1, 2, 1, 3, 4)] == [True, True, False, True, True]
    assert recent.first_time(1)  # forgotten after three newer ones
    assert not recent.first_time(4)


# --- Secrets, tokens and request bodies -----------------------------------------------------


def test_secret_comparison() -> None:
    assert secret_matches("geheim-123", "geheim-123")
    assert not secret_matches("geheim-123", "geheim-124")
    assert not secret_matches("geheim-123", None)
    assert not secret_matches("geheim-123", "")
    assert not secret_matches("", "")
    assert not secret_matches("geheim", "gehéim")


def test_token_and_secret_formats() -> None:
    assert is_valid_token("123456789:AAH-abcdefghijklmnopqrstuvwxyz_0123")
    assert not is_valid_token("123456789")
    assert not is_valid_token("123:abc/../../x-abcdefghijklmnopqrstu")
    assert is_valid_secret("a-Z_0")
    assert not is_valid_secret("mit leerzeichen")
    assert not is_valid_secret("x" * 257)


def test_request_bodies() -> None:
    assert method_url("http://127.0.0.1:9/", "1:abc", "sendMessage") == (
        "http://127.0.0.1:9/bot1:abc/sendMessage"
    )
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "/affirm"}]]}
    assert send_message_body(42, "Hi", markup) == {
        "chat_id": 42,
        "text": "Hi",
        "reply_markup": markup,
    }
    assert send_message_body(42, "Hi") == {"chat_id": 42, "text": "Hi"}
    assert answer_callback_body("cb") == {"callback_query_id": "cb"}
    assert len(answer_callback_body("cb", "x" * 500)["text"]) == 200
    assert set_webhook_body("https://x/webhooks/telegram/webhook", "s") == {
        "url": "https://x/webhooks/telegram/webhook",
        "secret_token": "s",
        "allowed_updates": ["message", "callback_query"],
    }


def test_retry_after_is_read_from_a_429_answer() -> None:
    assert retry_after({"ok": False, "parameters": {"retry_after": 3}}) == 3
    assert retry_after({"ok": False, "description": "Too Many Requests"}) is None
    assert retry_after({"parameters": {"retry_after": "3"}}) is None
    assert retry_after({"parameters": {"retry_after": True}}) is None
    assert retry_after(None) is None
