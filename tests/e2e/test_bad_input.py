"""Bad input against the real bot over REST: every message gets a sensible answer or a clear
rejection, the server stays healthy, and stored conversations are not harmed.

A conversation is started before the suite and continued after it (last test of this module):
its state and its stored events must have survived everything in between.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain_text import response_texts
from bot.guard import CHANNEL_RESPONSES
from tests.conftest import BotProcess
from tests.e2e.http import healthy, post, request, say, stored_events, texts

TEXTS = response_texts(CHANNEL_RESPONSES)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def before_suite(api_bot: BotProcess) -> dict[str, Any]:
    """A young person's conversation, stopped at the question about needing help."""
    sender = f"vorher-{uuid.uuid4().hex}"
    say(api_bot, sender, "/bin_jugendlich")
    status, replies = say(api_bot, sender, '/info{"situation":"in_ausbildung"}')
    assert status == 200 and "ohne Hilfe" in texts(replies), replies
    return {"sender": sender, "events": stored_events(api_bot.tracker_db, sender)}


def _fresh() -> str:
    return f"bad-{uuid.uuid4().hex}"


def _assert_sensible(status: int, replies: Any, sender: str) -> str:
    assert status == 200, replies
    assert isinstance(replies, list) and replies, "no answer at all"
    assert all(reply.get("recipient_id") == sender for reply in replies)
    return texts(replies)


@pytest.mark.parametrize(
    ("message", "response"),
    [
        ("", "utter_nachricht_leer"),
        ("   \n\t  ", "utter_nachricht_leer"),
        ("x" * 100_000, "utter_nachricht_zu_lang"),
        ("Frage " * 20_000, "utter_nachricht_zu_lang"),
    ],
)
def test_empty_and_huge_messages_get_the_guard_reply(
    api_bot: BotProcess, before_suite: dict[str, Any], message: str, response: str
) -> None:
    sender = _fresh()
    text = _assert_sensible(*say(api_bot, sender, message), sender)
    assert text == TEXTS[response]
    assert healthy(api_bot)


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        (b'{"sender": "a", "message": "Gr\xfc\xdfe \xff"}', "kein_utf8", 400),
        (b"\xff\xfe\x00\x01", "kein_utf8", 400),
        (b'{"sender": "a", "message": ', "kein_json", 400),
        (b"{'sender': 'a', 'message': 'Hallo'}", "kein_json", 400),
        (b"sender=a&message=Hallo", "kein_json", 400),
        (b"[" * 50_000 + b"]" * 50_000, "kein_json", 400),
        (b'{"sender": "a"}', "unvollstaendig", 400),
        (b'{"message": "Hallo"}', "unvollstaendig", 400),
        (b'{"sender": ["a"], "message": "Hallo"}', "unvollstaendig", 400),
        (b'{"sender": "a", "message": {"text": "Hallo"}}', "unvollstaendig", 400),
        (b" " * (1024 * 1024 + 1), "zu_gross", 413),
    ],
)
def test_unreadable_requests_get_a_clear_json_error(
    api_bot: BotProcess, before_suite: dict[str, Any], body: bytes, code: str, status: int
) -> None:
    answer_status, answer = post(api_bot, body)
    assert answer_status == status, answer
    assert answer == {"fehler": code, "meldung": answer["meldung"]}
    assert answer["meldung"] in TEXTS.values()
    assert healthy(api_bot)


@pytest.mark.parametrize(
    "message",
    [
        "😀🎉👍",
        "🙈",
        "<script>alert('x')</script><b>Hallo</b>",
        '<img src=x onerror="alert(1)">',
        "'; DROP TABLE events; --",
        "Robert'); DELETE FROM events WHERE 1=1; --",
        "\u0000\u0001\u0002 Steuerzeichen",
        "Zero\u200bwidth\u202eRTL",
        "{{slot}} {0} %s ${ASA_RASA_API_TOKEN}",
        "/info{kein json",
        "/gibt_es_nicht",
        '/info{"situation":"mars"}',
        '/info{"alter": 500}',
        '/info{"zeitangabe": "seit -3 Monaten"}',
        "Ich bin 500 Jahre alt.",
        "/restart",
    ],
)
def test_odd_messages_get_a_sensible_answer(
    api_bot: BotProcess, before_suite: dict[str, Any], message: str
) -> None:
    sender = _fresh()
    say(api_bot, sender, "Hallo")
    answer = _assert_sensible(*say(api_bot, sender, message), sender)
    assert "<script>" not in answer and "onerror" not in answer
    assert "Traceback" not in answer and TEXTS["utter_technischer_fehler"] not in answer
    assert healthy(api_bot)


def _young_person_at(bot: BotProcess, sender: str, question: str, steps: list[str]) -> None:
    reply = ""
    for step in steps:
        status, replies = say(bot, sender, step)
        reply = _assert_sensible(status, replies, sender)
    assert question in reply, reply


_BIS_ZUM_AUFENTHALT = [
    "/bin_jugendlich",
    '/info{"situation":"sucht_ausbildung"}',
    "/affirm",
    "/affirm",
    "/affirm",
    '/info{"staatsangehoerigkeit":"drittstaat"}',
    "/affirm",
    '/info{"aufenthaltsstatus":"duldung"}',
]


@pytest.mark.parametrize(
    "unfit",
    [
        '/info{"zeitangabe":"seit -3 Monaten"}',
        "seit -3 Monaten",
        "seit 500 Jahren",
        '/info{"zeitangabe":"seit dem 31.02.2025"}',
        '/info{"aufenthaltsstatus":"mars"}',
        "Ich bin 500 Jahre alt.",
    ],
)
def test_values_outside_every_range_leave_the_questions_intact(
    api_bot: BotProcess, before_suite: dict[str, Any], unfit: str
) -> None:
    sender = _fresh()
    _young_person_at(api_bot, sender, "Seit wann lebst du in Deutschland?", _BIS_ZUM_AUFENTHALT)
    _assert_sensible(*say(api_bot, sender, unfit), sender)
    status, replies = say(api_bot, sender, "seit 10 Monaten")
    answer = _assert_sensible(status, replies, sender)
    assert "Wann bist du nach Deutschland gekommen?" in answer, answer


@pytest.mark.parametrize(
    "unfit",
    ['/info{"situation":"mars"}', '/info{"situation":""}', '/info{"situation":["a","b"]}'],
)
def test_unknown_situation_is_asked_again(
    api_bot: BotProcess, before_suite: dict[str, Any], unfit: str
) -> None:
    sender = _fresh()
    _young_person_at(api_bot, sender, "Wo stehst du gerade?", ["/bin_jugendlich"])
    _assert_sensible(*say(api_bot, sender, unfit), sender)
    status, replies = say(api_bot, sender, '/info{"situation":"sucht_ausbildung"}')
    assert "Vollzeitschulpflicht" in _assert_sensible(status, replies, sender)


_LONG_TALK = [
    "Hallo",
    "/bin_jugendlich",
    '/info{"situation":"in_ausbildung"}',
    "Warum fragst du das?",
    "/affirm",
    "Was kostet AsA flex?",
    "weiß nicht",
    "zurück",
    "Wer hilft mir persönlich?",
    "neu starten",
]


def test_a_conversation_of_200_turns_stays_answered_in_bounded_time(
    api_bot: BotProcess, before_suite: dict[str, Any]
) -> None:
    sender = _fresh()
    started = time.monotonic()
    durations: list[float] = []
    for turn in range(200):
        begin = time.monotonic()
        status, replies = say(api_bot, sender, _LONG_TALK[turn % len(_LONG_TALK)], timeout=30)
        durations.append(time.monotonic() - begin)
        _assert_sensible(status, replies, sender)
        assert time.monotonic() - started < 240, f"200 turns take too long ({turn} done)"
    first, last = statistics.median(durations[:20]), statistics.median(durations[-20:])
    assert last < max(1.0, 6 * first), f"turns got slower: {first:.3f}s → {last:.3f}s"
    users = [row for row in stored_events(api_bot.tracker_db, sender) if row[1] == "user"]
    assert len(users) == 200
    assert healthy(api_bot)


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzz_any_text_is_answered_with_a_list(
    api_bot: BotProcess, before_suite: dict[str, Any], text: str
) -> None:
    sender = _fresh()
    status, replies = say(api_bot, sender, text, timeout=30)
    assert status == 200, replies
    assert isinstance(replies, list)
    assert all(reply.get("recipient_id") == sender for reply in replies)
    if not text.strip():
        assert texts(replies) == TEXTS["utter_nachricht_leer"]
    else:
        assert TEXTS["utter_technischer_fehler"] not in texts(replies)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=8,
)


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "sender": st.text(max_size=40) | _JSON,
            "message": st.text(max_size=200) | _JSON,
            "metadata": _JSON,
        },
    ).map(lambda d: json.dumps(d).encode("utf-8"))
    | _JSON.map(lambda v: json.dumps(v).encode("utf-8"))
    | st.binary(max_size=200)
)
def test_fuzz_any_body_gets_a_list_or_a_json_error(
    api_bot: BotProcess, before_suite: dict[str, Any], body: bytes
) -> None:
    status, answer = post(api_bot, body, timeout=30)
    if status == 200:
        assert isinstance(answer, list)
    else:
        assert status == 400, (status, answer)
        assert set(answer) == {"fehler", "meldung"}
        assert answer["meldung"] in TEXTS.values()


def test_zz_server_healthy_and_the_conversation_from_before_goes_on(
    api_bot: BotProcess, before_suite: dict[str, Any]
) -> None:
    """Runs last in this module: nothing stored before the suite was lost."""
    assert healthy(api_bot)
    sender, before = before_suite["sender"], before_suite["events"]
    assert before, "the conversation from before the suite was not stored"
    after = stored_events(api_bot.tracker_db, sender)
    assert after[: len(before)] == before, "stored events were changed or lost"
    status, replies = say(api_bot, sender, "/affirm")
    assert "Staatsangehörigkeit" in texts(replies), replies
    tracker_url = (
        f"http://127.0.0.1:{api_bot.rasa_port}/conversations/{sender}/tracker"
        f"?token={api_bot.api_token}"
    )
    status, tracker = request(tracker_url)
    assert status == 200
    assert tracker["slots"]["situation"] == "in_ausbildung"
    assert tracker["slots"]["unterstuetzung_noetig"] is True
