"""Checks every incoming chat message before the dialogue model sees it: size and rate per sender.

Pure logic without Rasa. An input channel calls `Guard.check(sender, text)` once per message; a
returned `Rejection` names the domain response (domain/guard.yml) the channel sends instead of
running the model. Time comes from an injectable clock, so tests need no sleeping.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.settings import Settings


class Rejection(Enum):
    """Why a message is not passed on; the value is the domain response sent instead."""

    EMPTY = "utter_nachricht_leer"
    TOO_LONG = "utter_nachricht_zu_lang"
    TOO_MANY = "utter_zu_viele_nachrichten"

    @property
    def response(self) -> str:
        return self.value


#: Responses a channel may send without the dialogue model (all in domain/guard.yml).
CHANNEL_RESPONSES: frozenset[str] = frozenset(
    {
        *(rejection.response for rejection in Rejection),
        "utter_technischer_fehler",
        "utter_anfrage_kein_json",
        "utter_anfrage_kein_utf8",
        "utter_anfrage_unvollstaendig",
        "utter_anfrage_zu_gross",
    }
)

#: How many senders the rate limiter remembers at most; the least recently seen go first.
DEFAULT_MAX_SENDERS = 10_000


class RateLimiter:
    """At most `limit` accepted messages per sender within any `window` seconds.

    Memory is bounded: per sender at most `limit` timestamps, at most `max_senders` senders;
    senders silent for longer than `window` are forgotten, and beyond `max_senders` the least
    recently seen sender is forgotten first. A limit of 0 turns the limiter off.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = DEFAULT_MAX_SENDERS,
    ) -> None:
        if limit < 0 or window <= 0 or max_senders < 1:
            raise ValueError("limit >= 0, window > 0 and max_senders >= 1 expected")
        self.limit = limit
        self.window = window
        self.max_senders = max_senders
        self._clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        """Number of senders currently remembered."""
        return len(self._seen)

    def allow(self, sender: str) -> bool:
        """Count one message of `sender` and say whether it is within the limit."""
        if self.limit == 0:
            return True
        now = self._clock()
        self._forget_silent(now)
        stamps = self._seen.pop(sender, None)
        if stamps is None:
            stamps = deque(maxlen=self.limit)
        self._seen[sender] = stamps  # most recently seen last
        while len(self._seen) > self.max_senders:
            self._seen.popitem(last=False)
        if len(stamps) == self.limit and now - stamps[0] < self.window:
            return False
        stamps.append(now)
        return True

    def _forget_silent(self, now: float) -> None:
        while self._seen:
            sender, stamps = next(iter(self._seen.items()))
            if stamps and now - stamps[-1] < self.window:
                break
            del self._seen[sender]


@dataclass(frozen=True)
class Limits:
    """The guard's limits; `rate_messages == 0` means no rate limit."""

    max_chars: int = 2000
    rate_messages: int = 20
    rate_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_chars=settings.max_message_chars,
            rate_messages=settings.rate_limit_messages,
            rate_seconds=settings.rate_limit_seconds,
        )


class Guard:
    """Decides per message whether it reaches the dialogue model."""

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = DEFAULT_MAX_SENDERS,
    ) -> None:
        self.limits = limits
        self._rate = RateLimiter(
            limits.rate_messages, limits.rate_seconds, clock=clock, max_senders=max_senders
        )

    def check(self, sender: str, text: str) -> Rejection | None:
        """None if the message may pass; otherwise why not.

        Only messages that pass count towards the rate limit, so a rejected message never
        prolongs a wait.
        """
        if not text.strip():
            return Rejection.EMPTY
        if len(text) > self.limits.max_chars:
            return Rejection.TOO_LONG
        if not self._rate.allow(sender):
            return Rejection.TOO_MANY
        return None

    @property
    def senders_remembered(self) -> int:
        return len(self._rate)


#: Request bodies above this size are refused unread (HTTP 413); below, an over-long message
#: gets the friendly `utter_nachricht_zu_lang` like in any other channel.
MAX_BODY_BYTES = 1024 * 1024
MAX_SENDER_CHARS = 128


@dataclass(frozen=True)
class ChatRequest:
    """A readable REST request: who sends what (the text may still be empty or too long)."""

    sender: str
    text: str
    metadata: dict[str, Any] | None = None


class BadRequest(Exception):
    """A request that cannot be read; `code` goes into the JSON error, `response` is its text."""

    def __init__(self, code: str, response: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.response = response
        self.status = status


def _valid_sender(sender: object) -> bool:
    return (
        isinstance(sender, str)
        and 0 < len(sender) <= MAX_SENDER_CHARS
        and sender.strip() == sender
        and not any(unicodedata.category(char) in {"Cc", "Cs"} for char in sender)
    )


def read_chat_request(body: bytes, max_bytes: int = MAX_BODY_BYTES) -> ChatRequest:
    """Parse a REST body `{"sender": "...", "message": "...", "metadata": {...}}` strictly."""
    if len(body) > max_bytes:
        raise BadRequest("zu_gross", "utter_anfrage_zu_gross", status=413)
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("kein_utf8", "utter_anfrage_kein_utf8") from None
    try:
        data = json.loads(decoded)
    except (ValueError, RecursionError):
        raise BadRequest("kein_json", "utter_anfrage_kein_json") from None
    if not isinstance(data, dict):
        raise BadRequest("kein_json", "utter_anfrage_kein_json")
    sender, text = data.get("sender"), data.get("message")
    if not _valid_sender(sender) or not isinstance(text, str):
        raise BadRequest("unvollstaendig", "utter_anfrage_unvollstaendig")
    try:
        text.encode("utf-8")  # a lone surrogate escaped as \ud800 is valid JSON, not UTF-8
    except UnicodeEncodeError:
        raise BadRequest("kein_utf8", "utter_anfrage_kein_utf8") from None
    metadata = data.get("metadata")
    return ChatRequest(str(sender), text, metadata if isinstance(metadata, dict) else None)
