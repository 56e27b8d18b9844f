"""Small HTTP helpers for the e2e tests: raw bodies, status codes and JSON, no exceptions on 4xx."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.conftest import BotProcess


def request(
    url: str, body: bytes | None = None, *, method: str | None = None, timeout: float = 60.0
) -> tuple[int, Any]:
    """Status and parsed JSON (or the text, if it is not JSON) of one request."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    call = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", errors="replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def post(bot: BotProcess, body: bytes, timeout: float = 60.0) -> tuple[int, Any]:
    return request(bot.rest_url, body, timeout=timeout)


def say(bot: BotProcess, sender: str, text: str, timeout: float = 60.0) -> tuple[int, Any]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    return post(bot, body, timeout)


def texts(replies: Any) -> str:
    assert isinstance(replies, list), replies
    return "\n".join(str(reply.get("text", "")) for reply in replies)


def healthy(bot: BotProcess) -> bool:
    status, _ = request(f"http://127.0.0.1:{bot.rasa_port}/", timeout=10)
    return status == 200 and bot.process.poll() is None


def stored_events(tracker_db: Path, sender: str) -> list[tuple[int, str, str]]:
    """(id, type_name, data) of every stored event of `sender`, oldest first."""
    with sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True, timeout=10) as connection:
        rows = connection.execute(
            "SELECT id, type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [(int(row[0]), str(row[1]), str(row[2])) for row in rows]
