"""Telegram Bot API without Rasa: reading updates, splitting long texts, inline keyboards.

The input channel in `channels/telegram.py` is a thin adapter around these functions. Nothing
here performs I/O; the HTTP calls are made by the channel and by `bot/telegram_cli.py`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

#: Longest text of one message, counted as Telegram counts (UTF-16 code units).
MAX_TEXT: Final = 4096
#: Longest `callback_data` of an inline button, in bytes.
MAX_CALLBACK_DATA: Final = 64
#: Longest text of a callback answer (the short notice above the chat).
MAX_CALLBACK_ANSWER: Final = 200
#: Header in which Telegram repeats the `secret_token` given to setWebhook.
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
#: Path of the webhook below the Rasa server (`/webhooks/<channel name>/webhook`).
WEBHOOK_PATH: Final = "/webhooks/telegram/webhook"
#: Update kinds the bot asks Telegram for.
ALLOWED_UPDATES: Final = ("message", "callback_query")
#: `/start` begins a fresh conversation: first this (its answer is not sent), then the greeting,
#: then START_PAYLOAD, since Telegram is the channel for young people.
RESTART_PAYLOAD: Final = "/neustart"
START_PAYLOAD: Final = "/bin_jugendlich"

#: Domain responses the channel sends itself, without the dialogue model.
RESPONSE_START: Final = "utter_telegram_start"
RESPONSE_ONLY_TEXT: Final = "utter_telegram_nur_text"
RESPONSE_BUTTON_EXPIRED: Final = "utter_telegram_knopf_abgelaufen"
RESPONSES: Final = frozenset({RESPONSE_START, RESPONSE_ONLY_TEXT, RESPONSE_BUTTON_EXPIRED})

_TOKEN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,100}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'»«“”)\]]*\s")
_JOINERS = {"\u200d", "\u200c", "\u2060"}


def is_valid_token(token: str) -> bool:
    """A bot token as BotFather issues it: `<digits>:<letters, digits, _ or ->`."""
    return _TOKEN.fullmatch(token) is not None


def is_valid_secret(secret: str) -> bool:
    """Telegram accepts 1-256 characters A-Z, a-z, 0-9, `_` and `-` as `secret_token`."""
    return _SECRET.fullmatch(secret) is not None


def secret_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the webhook secret with the header a request carried."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def method_url(api_url: str, token: str, method: str) -> str:
    """`{API_URL}/bot{TOKEN}/{method}`; the result contains the token and must not be logged."""
    return f"{api_url.rstrip('/')}/bot{token}/{method}"


# --- Splitting long texts -------------------------------------------------------------------


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _fitting_prefix(text: str, limit: int) -> int:
    """Number of characters of `text` whose Telegram length stays within `limit`."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _attached(char: str) -> bool:
    """Characters that belong to the one before them (combining marks, variation selectors)."""
    return (
        unicodedata.combining(char) != 0
        or char in _JOINERS
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tone modifiers
    )


def _cut(text: str, window: int) -> int:
    """Where to end the next part, at most `window` characters in: the latest paragraph, line,
    sentence or word boundary that is not too early, else a cut between two whole characters."""
    head = text[:window]
    paragraph = head.rfind("\n\n")
    line = head.rfind("\n")
    sentence = max((m.end() for m in _SENTENCE_END.finditer(head)), default=0)
    for cut in (
        paragraph + 2 if paragraph >= 0 else 0,
        line + 1 if line >= 0 else 0,
        sentence,
    ):
        if cut > 0 and cut >= window // 2:
            return cut
    word = max(head.rfind(" "), head.rfind("\t"), line)
    if word >= 0:
        return word + 1
    cut = window
    while cut > 1 and (_attached(text[cut]) or text[cut - 1] in _JOINERS):
        cut -= 1
    return cut


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split `text` into parts of at most `limit` UTF-16 code units each.

    Parts end at paragraph, line, sentence or word boundaries where possible; the boundary's
    whitespace stays at the end of the earlier part, so `"".join(parts) == text`.
    """
    if limit < 2:
        raise ValueError("limit must allow at least one character of any kind")
    parts: list[str] = []
    rest = text
    while rest:
        window = _fitting_prefix(rest, limit)
        if window == len(rest):
            parts.append(rest)
            break
        cut = _cut(rest, window)
        parts.append(rest[:cut])
        rest = rest[cut:]
    return parts


def message_parts(text: str, limit: int = MAX_TEXT) -> list[str]:
    """The messages to send for `text`: the split parts without surrounding blank space."""
    return [part.strip() for part in split_text(text, limit) if part.strip()]


# --- Inline keyboards -----------------------------------------------------------------------


class CallbackKeys:
    """Maps button payloads to `callback_data` of at most 64 bytes and back.

    Short payloads are sent as they are. A longer one (or one that starts with the key marker)
    is sent as `#` plus its SHA-256 in URL-safe Base64 and remembered here, the most recently
    used `capacity` of them; a key that is no longer known maps to None.
    """

    MARKER: Final = "#"

    def __init__(self, capacity: int = 10_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._known: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def fits(cls, payload: str) -> bool:
        """Whether `payload` can be sent as `callback_data` unchanged."""
        size = len(payload.encode("utf-8"))
        return 0 < size <= MAX_CALLBACK_DATA and not payload.startswith(cls.MARKER)

    def key_for(self, payload: str) -> str:
        if self.fits(payload):
            return payload
        digest = hashlib.sha256(payload.encode("utf-8")).digest()
        key = self.MARKER + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
        self._known[key] = payload
        self._known.move_to_end(key)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return key

    def payload_for(self, data: str) -> str | None:
        if not data.startswith(self.MARKER):
            return data
        payload = self._known.get(data)
        if payload is not None:
            self._known.move_to_end(data)
        return payload


def inline_keyboard(
    buttons: Sequence[Mapping[str, Any]], keys: CallbackKeys
) -> dict[str, list[list[dict[str, str]]]] | None:
    """`reply_markup` for Rasa buttons (`title`, `payload`): one button per row, since the titles
    are whole sentences. A button without payload sends its title. None when nothing is left."""
    rows: list[list[dict[str, str]]] = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip() or title
        if not title:
            continue
        rows.append([{"text": title, "callback_data": keys.key_for(payload)}])
    return {"inline_keyboard": rows} if rows else None


def send_message_body(
    chat_id: int, text: str, reply_markup: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Parameters of sendMessage: plain text (no parse mode), optionally with a keyboard."""
    body: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if reply_markup is not None:
        body["reply_markup"] = dict(reply_markup)
    return body


def answer_callback_body(callback_id: str, text: str | None = None) -> dict[str, Any]:
    """Parameters of answerCallbackQuery; `text` is shown briefly above the chat."""
    body: dict[str, Any] = {"callback_query_id": callback_id}
    if text:
        body["text"] = text[:MAX_CALLBACK_ANSWER]
    return body


def retry_after(reply: object) -> int | None:
    """Seconds Telegram asks to wait in a 429 answer (`parameters.retry_after`), if given."""
    if not isinstance(reply, Mapping):
        return None
    parameters = reply.get("parameters")
    if not isinstance(parameters, Mapping):
        return None
    seconds = parameters.get("retry_after")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 0:
        return seconds
    return None


def set_webhook_body(url: str, secret: str) -> dict[str, Any]:
    """Parameters of setWebhook: the public URL, the secret Telegram repeats in every request."""
    return {"url": url, "secret_token": secret, "allowed_updates": list(ALLOWED_UPDATES)}


# --- Reading updates ------------------------------------------------------------------------


class Kind(enum.Enum):
    TEXT = "text"  # a text message
    START = "start"  # the /start command (first contact or a fresh start)
    BUTTON = "button"  # a pressed inline button; `text` holds its callback_data
    OTHER = "other"  # a message without text: photo, sticker, voice, …


@dataclass(frozen=True)
class Incoming:
    """What the bot has to handle from one update."""

    update_id: int
    chat_id: int
    kind: Kind
    text: str = ""
    callback_id: str | None = None

    @property
    def sender_id(self) -> str:
        """Conversation id in the tracker store: one conversation per private chat."""
        return f"telegram-{self.chat_id}"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _private_chat_id(message: object) -> int | None:
    if not isinstance(message, Mapping):
        return None
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or chat.get("type") != "private":
        return None
    return _int(chat.get("id"))


def parse_update(update: object) -> Incoming | None:
    """Read a webhook update; None for everything the bot does not handle (edited messages,
    groups and channels, member changes, malformed data)."""
    if not isinstance(update, Mapping):
        return None
    update_id = _int(update.get("update_id"))
    if update_id is None:
        return None
    message = update.get("message")
    if message is not None:
        chat_id = _private_chat_id(message)
        if chat_id is None:
            return None
        assert isinstance(message, Mapping)
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            return Incoming(update_id, chat_id, Kind.OTHER)
        kind = Kind.START if _START.fullmatch(text.strip()) else Kind.TEXT
        return Incoming(update_id, chat_id, kind, text)
    query = update.get("callback_query")
    if isinstance(query, Mapping):
        callback_id = query.get("id")
        if not isinstance(callback_id, str) or not callback_id:
            return None
        if "message" in query:
            chat_id = _private_chat_id(query.get("message"))
        else:
            sender = query.get("from")
            chat_id = _int(sender.get("id")) if isinstance(sender, Mapping) else None
        if chat_id is None:
            return None
        data = query.get("data")
        return Incoming(
            update_id,
            chat_id,
            Kind.BUTTON,
            data if isinstance(data, str) else "",
            callback_id,
        )
    return None


class RecentUpdates:
    """The last `capacity` update ids, so that an update Telegram delivers twice is handled
    once."""

    def __init__(self, capacity: int = 1000) -> None:
        self._order: deque[int] = deque(maxlen=capacity)
        self._seen: set[int] = set()

    def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        if len(self._order) == self._order.maxlen:
            self._seen.discard(self._order[0])
        self._order.append(update_id)
        self._seen.add(update_id)
        return True
