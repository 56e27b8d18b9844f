"""The widget's socket.io endpoint: allowed pages only, and only sessions it handed out."""

from __future__ import annotations

import queue
import re
import urllib.error
import urllib.request
from typing import Any

import socketio

from bot.chat import send
from tests.conftest import BotProcess

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def _handshake(bot: BotProcess, origin: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.rasa_port}{HANDSHAKE}", headers={"Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def _page_origin(bot: BotProcess) -> str:
    return bot.page_url.rstrip("/")


def test_only_the_demo_page_may_open_the_chat(running_bot: BotProcess) -> None:
    status, body = _handshake(running_bot, _page_origin(running_bot))
    assert status == 200
    assert '"upgrades":[]' in body  # long-polling only
    assert _handshake(running_bot, "http://evil.example")[0] == 400
    other_port = f"http://127.0.0.1:{running_bot.rasa_port}"
    assert _handshake(running_bot, other_port)[0] == 400


def test_demo_page_points_the_widget_at_the_bot(running_bot: BotProcess) -> None:
    with urllib.request.urlopen(running_bot.page_url, timeout=10) as response:
        page = response.read().decode("utf-8")
    assert f'data-server="http://127.0.0.1:{running_bot.rasa_port}"' in page


def _connect(bot: BotProcess, events: dict[str, queue.Queue[Any]]) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    for name, inbox in events.items():
        client.on(name, inbox.put)
    client.connect(
        f"http://127.0.0.1:{bot.rasa_port}",
        headers={"Origin": _page_origin(bot)},
        transports=["polling"],
        wait_timeout=10,
    )
    return client


def test_a_socket_cannot_choose_another_sender(running_bot: BotProcess) -> None:
    confirmed: queue.Queue[Any] = queue.Queue()
    replies: queue.Queue[Any] = queue.Queue()
    client = _connect(running_bot, {"session_confirm": confirmed, "bot_uttered": replies})
    try:
        client.emit("session_request", {"session_id": "ich"})  # a REST sender's name
        session_id = confirmed.get(timeout=10)
        assert re.fullmatch(r"[0-9a-f]{32}", session_id)
        client.emit("user_uttered", {"message": "/bin_betrieb", "session_id": "jemand"})
        assert "drei kurze Fragen" in replies.get(timeout=20)["text"]
    finally:
        client.disconnect()

    # The message went to the socket's own session: that conversation is in the company
    # questions, so after an aside the bot asks the open question again.
    texts = [r.get("text", "") for r in send(running_bot.rest_url, session_id, "/mensch_sprechen")]
    assert any("Lage in Ihrem Betrieb" in text for text in texts), texts

    # A new socket (a reloaded page) continues the session it was given.
    again = _connect(running_bot, {"session_confirm": confirmed})
    try:
        again.emit("session_request", {"session_id": session_id})
        assert confirmed.get(timeout=10) == session_id
    finally:
        again.disconnect()
