"""The REST channel with the guard: POST /webhooks/rest/webhook as with Rasa's own `rest`.

credentials.yml names it by module path (`channels.rest.GuardedRestInput`). Rasa mounts a
channel's blueprint under /webhooks/<url_prefix()>, and url_prefix() is name(), which stays
"rest", so the URL does not change. Differences to Rasa's RestInput: every message passes the
guard (size, rate per sender; the reply is a friendly domain text with HTTP 200), a request that
cannot be read gets HTTP 400/413 with a German JSON error instead of an error page or a 500,
`sender` is required (no shared "default" conversation), the message text is never logged, and
`?stream=true` is not offered.
"""

from __future__ import annotations

import inspect
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.guard import BadRequest, read_chat_request
from channels.guarded import GuardedTurns, OnNewMessage, tracker_store_of


class GuardedRestInput(RestInput):
    """Rasa's REST channel behind the guard, with clean JSON errors."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self, turns: GuardedTurns | None = None) -> None:
        self._turns = turns

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        return cls(GuardedTurns.from_settings())

    @property
    def turns(self) -> GuardedTurns:
        if self._turns is None:
            self._turns = GuardedTurns.from_settings()
        return self._turns

    def _error(self, error: BadRequest) -> HTTPResponse:
        body = {"fehler": error.code, "meldung": self.turns.texts[error.response]}
        return response.json(body, status=error.status)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                chat = read_chat_request(request.body or b"")
            except BadRequest as error:
                return self._error(error)
            collector = CollectingOutputChannel()
            message = UserMessage(
                chat.text,
                collector,
                chat.sender,
                input_channel=self.name(),
                metadata=chat.metadata,
            )
            await self.turns.handle(message, on_new_message, tracker_store_of(request.app))
            return response.json(collector.messages)

        return webhook
