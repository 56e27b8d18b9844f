"""The guard: message size, rate per sender with bounded memory, strict reading of REST bodies."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain_text import response_texts
from bot.guard import (
    CHANNEL_RESPONSES,
    MAX_BODY_BYTES,
    BadRequest,
    Guard,
    Limits,
    RateLimiter,
    Rejection,
    read_chat_request,
)
from bot.settings import load_settings


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_per_window_then_free_again() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 10.0, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another sender has its own budget"
    clock.now += 9.9
    assert not limiter.allow("a")
    clock.now += 0.2
    assert limiter.allow("a")


def test_window_slides_instead_of_resetting() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 10.0, clock=clock)
    assert limiter.allow("a")
    clock.now += 6
    assert limiter.allow("a")
    clock.now += 5  # first message left the window, second not
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_rejected_messages_do_not_prolong_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 10.0, clock=clock)
    assert limiter.allow("a")
    for _ in range(50):
        clock.now += 0.1
        assert not limiter.allow("a")
    clock.now = 1010.0
    assert limiter.allow("a")


def test_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter(0, 60.0, clock=Clock())
    assert all(limiter.allow("a") for _ in range(1000))
    assert len(limiter) == 0


def test_memory_is_bounded_by_max_senders_least_recent_first() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60.0, clock=clock, max_senders=100)
    for number in range(1000):
        assert limiter.allow(f"s{number}")
    assert len(limiter) == 100
    assert not limiter.allow("s999"), "recent senders are still remembered"
    assert limiter.allow("s0"), "the oldest were forgotten"


def test_silent_senders_are_forgotten_after_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 60.0, clock=clock)
    for number in range(500):
        limiter.allow(f"s{number}")
    clock.now += 61
    limiter.allow("neu")
    assert len(limiter) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=3), st.floats(min_value=0, max_value=30)),
        max_size=200,
    )
)
def test_remembered_senders_never_exceed_the_bound(steps: list[tuple[str, float]]) -> None:
    clock = Clock()
    limiter = RateLimiter(2, 10.0, clock=clock, max_senders=5)
    for sender, pause in steps:
        clock.now += pause
        limiter.allow(sender)
        assert len(limiter) <= 5


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ab"), st.floats(min_value=0, max_value=5)),
        max_size=120,
    )
)
def test_window_bound_holds_exactly_while_senders_fit_in_memory(
    steps: list[tuple[str, float]],
) -> None:
    clock = Clock()
    limiter = RateLimiter(3, 10.0, clock=clock, max_senders=2)
    accepted: dict[str, list[float]] = {}
    for sender, pause in steps:
        clock.now += pause
        if limiter.allow(sender):
            accepted.setdefault(sender, []).append(clock.now)
    for stamps in accepted.values():
        for start in stamps:
            assert len([t for t in stamps if start <= t < start + 10.0]) <= 3


def test_guard_checks_empty_then_length_then_rate() -> None:
    clock = Clock()
    guard = Guard(Limits(max_chars=10, rate_messages=2, rate_seconds=60), clock=clock)
    assert guard.check("a", "") is Rejection.EMPTY
    assert guard.check("a", " \n\t ") is Rejection.EMPTY
    assert guard.check("a", "x" * 11) is Rejection.TOO_LONG
    assert guard.check("a", "x" * 10) is None
    assert guard.check("a", "hallo") is None
    assert guard.check("a", "hallo") is Rejection.TOO_MANY
    assert guard.check("a", "") is Rejection.EMPTY, "rejections do not need the rate budget"


def test_limits_come_from_the_settings() -> None:
    settings_ = load_settings({"ASA_MAX_MESSAGE_CHARS": "500", "ASA_RATE_LIMIT": "5/30"})
    assert Limits.from_settings(settings_) == Limits(500, 5, 30.0)
    assert Limits.from_settings(load_settings({})) == Limits(2000, 20, 60.0)


def test_every_rejection_and_channel_reply_has_a_domain_text() -> None:
    texts = response_texts(CHANNEL_RESPONSES)
    assert set(texts) == CHANNEL_RESPONSES
    assert {r.response for r in Rejection} <= set(texts)


def test_channel_texts_address_nobody_with_sie_or_du() -> None:
    addressing = re.compile(r"\b(Sie|Ihnen|Ihre?[mnrs]?|du|dich|dir|dein\w*|euch|euer)\b")
    for name, text in response_texts(CHANNEL_RESPONSES).items():
        assert not addressing.search(text), f"{name}: {text}"


def _body(**fields: object) -> bytes:
    return json.dumps(fields).encode("utf-8")


def test_a_well_formed_request_is_read() -> None:
    request = read_chat_request(_body(sender="s1", message="Hallo 😀", metadata={"k": 1}))
    assert (request.sender, request.text, request.metadata) == ("s1", "Hallo 😀", {"k": 1})
    assert read_chat_request(_body(sender="s1", message="", metadata=[1])).metadata is None


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        (b"", "kein_json", 400),
        (b"kein json", "kein_json", 400),
        (b'{"sender": "a", "message": ', "kein_json", 400),
        (b"[1, 2]", "kein_json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "kein_json", 400),
        (b'{"sender": "a", "message": "\xff\xfe"}', "kein_utf8", 400),
        (b'{"sender": "a", "message": "\\ud800"}', "kein_utf8", 400),
        (_body(message="Hallo"), "unvollstaendig", 400),
        (_body(sender="a"), "unvollstaendig", 400),
        (_body(sender="a", message=5), "unvollstaendig", 400),
        (_body(sender="", message="Hallo"), "unvollstaendig", 400),
        (_body(sender=7, message="Hallo"), "unvollstaendig", 400),
        (_body(sender="a\x00b", message="Hallo"), "unvollstaendig", 400),
        (_body(sender=" a", message="Hallo"), "unvollstaendig", 400),
        (_body(sender="a" * 129, message="Hallo"), "unvollstaendig", 400),
        (b" " * (MAX_BODY_BYTES + 1), "zu_gross", 413),
    ],
)
def test_unreadable_requests_are_refused_with_a_code(body: bytes, code: str, status: int) -> None:
    with pytest.raises(BadRequest) as refused:
        read_chat_request(body)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert refused.value.response in CHANNEL_RESPONSES


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_body_is_read_or_refused_with_a_known_response(body: bytes) -> None:
    try:
        request = read_chat_request(body)
    except BadRequest as refused:
        assert refused.response in CHANNEL_RESPONSES
    else:
        assert isinstance(request.sender, str) and isinstance(request.text, str)
