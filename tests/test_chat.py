"""The terminal chat shows replies and numbered buttons and sends a button's payload."""

from __future__ import annotations

from typing import Any

import pytest

from bot import chat
from bot.errors import AsaError


def test_render_numbers_buttons_in_order() -> None:
    lines, payloads = chat.render(
        [
            {"text": "Hallo!", "buttons": [{"title": "Kosten", "payload": "/faq/kosten"}]},
            {"text": "Noch etwas?", "buttons": [{"title": "Nein", "payload": "/goodbye"}]},
        ]
    )
    assert lines == ["Bot: Hallo!", "  [1] Kosten", "Bot: Noch etwas?", "  [2] Nein"]
    assert payloads == ["/faq/kosten", "/goodbye"]


def test_repl_sends_button_payload_for_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []

    def fake_send(url: str, sender: str, message: str, timeout: float = 30) -> list[Any]:
        sent.append(message)
        return [{"text": "Wähle", "buttons": [{"title": "A", "payload": "/faq/kosten"}]}]

    monkeypatch.setattr(chat, "send", fake_send)
    inputs = iter(["Hallo", "1", "7", "/ende"])
    output: list[str] = []
    assert chat.repl("http://x", read=lambda _: next(inputs), write=output.append) == 0
    assert sent == ["Hallo", "/faq/kosten", "7"]
    assert "  [1] A" in output


def test_unreachable_bot_gives_german_hint() -> None:
    with pytest.raises(AsaError, match="make run"):
        chat.send("http://127.0.0.1:9/webhooks/rest/webhook", "t", "Hallo", timeout=2)
