"""A fake Telegram Bot API on a free loopback port that records every call.

It answers the methods the bot uses like Telegram does, including its limits: a text over 4096
UTF-16 code units or a `callback_data` over 64 bytes is refused with 400, an unknown token with
401.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456789:TEST-token_for-the-fake-Bot-API"
SECRET = "test-secret_0123456789"


@dataclass(frozen=True)
class Call:
    method: str
    body: dict[str, Any]


def _too_long(text: str) -> bool:
    return len(text.encode("utf-16-le")) // 2 > 4096


class FakeBotApi:
    """Records calls; `url` is the value for ASA_TELEGRAM_API_URL."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] = {}
        #: The next `throttled` sendMessage calls get 429 "retry after `retry_after` seconds".
        self.throttled = 0
        self.retry_after = 1
        self._lock = threading.Lock()
        self._next_message_id = 1
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                status, reply = fake._answer(self.path, body)
                data = json.dumps(reply).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix, _, method = path.lstrip("/").partition("/")
        if prefix != f"bot{self.token}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self._lock:
            self.calls.append(Call(method, body))
            if method == "sendMessage" and self.throttled > 0:
                self.throttled -= 1
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after},
                }
            if method == "sendMessage":
                text = str(body.get("text", ""))
                if not text.strip():
                    return 400, {"ok": False, "description": "Bad Request: message text is empty"}
                if _too_long(text):
                    return 400, {"ok": False, "description": "Bad Request: message is too long"}
                markup = body.get("reply_markup") or {}
                for row in markup.get("inline_keyboard", []):
                    for button in row:
                        if not 1 <= len(button["callback_data"].encode("utf-8")) <= 64:
                            return 400, {"ok": False, "description": "BUTTON_DATA_INVALID"}
                message_id = self._next_message_id
                self._next_message_id += 1
                chat = {"id": body.get("chat_id"), "type": "private"}
                return 200, {"ok": True, "result": {"message_id": message_id, "chat": chat}}
            if method == "answerCallbackQuery":
                return 200, {"ok": True, "result": True}
            if method == "setWebhook":
                self.webhook = dict(body)
                return 200, {"ok": True, "result": True, "description": "Webhook was set"}
            if method == "getWebhookInfo":
                info = {"url": self.webhook.get("url", ""), "pending_update_count": 0}
                return 200, {"ok": True, "result": info}
            if method == "getMe":
                me = {"id": 123456789, "is_bot": True, "username": "asa_test_bot"}
                return 200, {"ok": True, "result": me}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def calls_since(self, index: int, method: str | None = None) -> list[Call]:
        with self._lock:
            new = self.calls[index:]
        return [c for c in new if method is None or c.method == method]

    def count(self) -> int:
        with self._lock:
            return len(self.calls)

    def start(self) -> None:
        thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def fake_bot_api(token: str = TOKEN) -> Iterator[FakeBotApi]:
    api = FakeBotApi(token)
    api.start()
    try:
        yield api
    finally:
        api.stop()
