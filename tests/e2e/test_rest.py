"""End to end over REST: the real action and Rasa servers answer German questions."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

from bot.chat import send
from tests.conftest import BotProcess, port_answers, start_bot, stop_bot
from tests.e2e.http import stored_events


def _texts(bot: BotProcess, sender: str, message: str) -> str:
    return "\n".join(r.get("text", "") for r in send(bot.rest_url, sender, message))


def test_costs_answer_says_free_because_agency_or_jobcenter_pays(running_bot: BotProcess) -> None:
    reply = _texts(running_bot, f"e2e-{uuid.uuid4().hex}", "Was kostet AsA flex?")
    assert "Agentur für Arbeit" in reply
    assert "Jobcenter" in reply
    assert any(word in reply for word in ("kostenlos", "kostet weder", "nichts"))


def test_greeting_offers_buttons(running_bot: BotProcess) -> None:
    replies = send(running_bot.rest_url, f"e2e-{uuid.uuid4().hex}", "Hallo")
    assert replies, "no reply to a greeting"
    assert any(reply.get("buttons") for reply in replies)


def test_hotline_number_is_given(running_bot: BotProcess) -> None:
    reply = _texts(
        running_bot, f"e2e-{uuid.uuid4().hex}", "Wie erreiche ich den Arbeitgeber-Service?"
    )
    assert "0800 4 5555 20" in reply


def test_ctrl_c_stops_both_servers_and_a_conversation_continues_after_restart(
    tmp_path: Path,
) -> None:
    sender, old = f"e2e-{uuid.uuid4().hex}", f"e2e-alt-{uuid.uuid4().hex}"
    bot = start_bot(tmp_path)
    try:
        _texts(bot, sender, "/bin_jugendlich")
        frage = _texts(bot, sender, '/info{"situation":"in_ausbildung"}')
        assert "ohne Hilfe" in frage
        _texts(bot, old, "/bin_betrieb")
    finally:
        code = stop_bot(bot)
    assert code == 0, bot.log()
    assert not port_answers(bot.rasa_port)
    assert not port_answers(bot.actions_port)
    assert not port_answers(bot.web_port)
    assert bot.tracker_db.is_file(), "conversation store was not written"
    assert "Aufbewahrung:  Gespräche, deren letzte Nachricht älter als 30 Tage" in bot.log()
    assert "Aufbewahrungsfrist:" not in bot.log(), "nothing was old enough to be deleted"

    # While the bot was stopped, the second conversation passed the retention period.
    with sqlite3.connect(bot.tracker_db) as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - 31 * 86400 WHERE sender_id = ?", (old,)
        )
    old_events = len(stored_events(bot.tracker_db, old))
    assert old_events > 0

    # Same SQLite file, new processes: the form goes on where it stopped, and the runner has
    # deleted the conversation past the retention period.
    wieder = start_bot(tmp_path)
    try:
        weiter = _texts(wieder, sender, "/affirm")
        deadline = time.monotonic() + 30
        while stored_events(wieder.tracker_db, old) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop_bot(wieder)
    assert "Staatsangehörigkeit" in weiter, weiter
    assert stored_events(wieder.tracker_db, old) == []
    assert f"Aufbewahrungsfrist: 1 Gespräch mit {old_events} Ereignissen gelöscht" in wieder.log()
