"""A terminal chat with the running bot over its REST channel (`asa-bot shell`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from bot.errors import AsaError

_QUIT = {"/exit", "/quit", "/ende", "/stop"}


def send(url: str, sender: str, message: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Post one message to the REST channel and return the bot's replies."""
    body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read().decode("utf-8"))
    except urllib.error.URLError as exc:
        raise AsaError(
            f"Der Bot unter {url} ist nicht erreichbar ({exc.reason}). "
            "Läuft er? Starten mit `make run`."
        ) from exc
    if not isinstance(replies, list):
        raise AsaError(f"Unerwartete Antwort vom Bot: {replies!r}")
    return [r for r in replies if isinstance(r, dict)]


def render(replies: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Lines to print and the payloads of numbered buttons, in order."""
    lines: list[str] = []
    payloads: list[str] = []
    for reply in replies:
        if reply.get("text"):
            lines.append(f"Bot: {reply['text']}")
        for button in reply.get("buttons") or []:
            payloads.append(str(button.get("payload", "")))
            lines.append(f"  [{len(payloads)}] {button.get('title', '')}")
    return lines, payloads


def repl(
    url: str,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    sender: str | None = None,
) -> int:
    """Chat until the user types /ende or closes input; a number picks a shown button."""
    sender = sender or f"shell-{uuid.uuid4().hex[:12]}"
    write("Chat mit dem AsA-Bot. Zahl = Button wählen, /ende = beenden.")
    payloads: list[str] = []
    while True:
        try:
            text = read("Ich: ").strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return 0
        if text.lower() in _QUIT:
            return 0
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(payloads):
            text = payloads[int(text) - 1]
        lines, payloads = render(send(url, sender, text))
        for line in lines:
            write(line)
