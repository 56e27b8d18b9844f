"""Telegram input channel: the Bot API posts updates to `/webhooks/telegram/webhook`, the bot
answers with sendMessage (inline keyboards for buttons) and answerCallbackQuery.

credentials.yml names it `channels.telegram.TelegramInput`. Token, webhook secret and API address
come from the settings (ASA_TELEGRAM_TOKEN, ASA_TELEGRAM_SECRET, ASA_TELEGRAM_API_URL); without a
token the channel is inactive and only its health route answers. The logic lives in
`bot/telegram.py`; this module only moves data between Sanic, Rasa and the Bot API. Nothing is
logged of what users write or what the bot answers.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.domain_texts import response_texts
from bot.settings import load_settings
from bot.telegram import (
    RESPONSE_BUTTON_EXPIRED,
    RESPONSE_ONLY_TEXT,
    RESPONSE_START,
    RESPONSES,
    RESTART_PAYLOAD,
    SECRET_HEADER,
    START_PAYLOAD,
    CallbackKeys,
    Incoming,
    Kind,
    RecentUpdates,
    answer_callback_body,
    inline_keyboard,
    message_parts,
    method_url,
    parse_update,
    retry_after,
    secret_matches,
    send_message_body,
)
from channels.guarded import GuardedTurns

logger = logging.getLogger(__name__)

#: A check run on every message before it reaches the dialogue: called with the sender id and
#: the text, returns None to let the message through or a text to answer instead.
Guard = Callable[[str, str], str | None]

_TIMEOUT_SECONDS = 10.0
_MAX_RETRY_WAIT_SECONDS = 5


class BotApi:
    """Calls Bot API methods with one shared HTTP session; failures are logged, not raised."""

    def __init__(self, api_url: str, token: str, timeout: float = _TIMEOUT_SECONDS) -> None:
        self._api_url = api_url
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def call(self, method: str, body: Mapping[str, Any]) -> Any:
        """The method's `result`, or None when the call failed (logged without content).

        When Telegram asks to slow down (429) for at most a few seconds, the call is repeated
        once after that wait.
        """
        for attempt in (1, 2):
            status, data = await self._post(method, body)
            if isinstance(data, dict) and data.get("ok") is True:
                return data.get("result")
            wait = retry_after(data) if status == 429 else None
            if attempt == 1 and wait is not None and wait <= _MAX_RETRY_WAIT_SECONDS:
                await asyncio.sleep(wait)
                continue
            if status:
                description = data.get("description") if isinstance(data, dict) else None
                logger.warning(
                    "Telegram %s abgelehnt: HTTP %s %s",
                    method,
                    status,
                    str(description or "")[:200],
                )
            return None
        return None

    async def _post(self, method: str, body: Mapping[str, Any]) -> tuple[int, Any]:
        """HTTP status (0 when there was no answer) and the decoded JSON body."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        url = method_url(self._api_url, self._token, method)
        try:
            async with self._session.post(url, json=dict(body)) as reply:
                return reply.status, await reply.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            # The exception text may contain the URL and with it the token: only its type.
            logger.warning("Telegram %s fehlgeschlagen: %s", method, type(exc).__name__)
            return 0, None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class TelegramOutput(OutputChannel):
    """Sends the bot's responses to one chat; long texts are split, buttons become an inline
    keyboard under the last part."""

    def __init__(self, api: BotApi, keys: CallbackKeys, chat_id: int) -> None:
        self._api = api
        self._keys = keys
        self._chat_id = chat_id

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def _send(self, text: str, reply_markup: Mapping[str, Any] | None = None) -> None:
        parts = message_parts(text)
        for index, part in enumerate(parts):
            markup = reply_markup if index == len(parts) - 1 else None
            await self._api.call("sendMessage", send_message_body(self._chat_id, part, markup))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(text, inline_keyboard(buttons, self._keys))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self._send(str(attachment))

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        logger.debug("Telegram: eigene JSON-Nachricht übergangen (nicht für Telegram gedacht)")


class TelegramInput(InputChannel):
    """Webhook for the Telegram Bot API; inactive when `api` is None (no token set)."""

    def __init__(
        self,
        api: BotApi | None,
        secret: str = "",
        texts: Mapping[str, str] | None = None,
        guard: Guard | None = None,
    ) -> None:
        missing = RESPONSES - set(texts or {})
        if api is not None and missing:
            raise ValueError(f"texts lack the responses {sorted(missing)}")
        self._api = api
        self._secret = secret
        self._texts = dict(texts or {})
        self._guard = guard
        self._keys = CallbackKeys()
        self._recent = RecentUpdates()

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> TelegramInput:
        settings = load_settings()
        if not settings.telegram_enabled:
            logger.info("Telegram ist nicht eingerichtet (ASA_TELEGRAM_TOKEN leer).")
            return cls(None)
        return cls(
            BotApi(settings.telegram_api_url, settings.telegram_token),
            settings.telegram_secret,
            response_texts(RESPONSES),
            guard=None,  # a shared check of sender and text plugs in here
        )

    @property
    def active(self) -> bool:
        return self._api is not None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # The shared guard (size, rate) before the model; deletion on request after the turn.
        blueprint: Blueprint = GuardedTurns.from_settings().blueprint(
            self._blueprint, on_new_message
        )
        return blueprint

    def _blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        hook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.active else "inactive"})

        if self._api is None:
            return hook
        api = self._api

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            status = await self.receive(request, api, on_new_message)
            return response.json({"ok": status == 200}, status=status)

        @hook.listener("after_server_stop")
        async def close_session(*_: Any) -> None:
            await api.close()

        return hook

    async def receive(
        self,
        request: Request,
        api: BotApi,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> int:
        """Check the secret, then handle the update; returns the HTTP status for Telegram."""
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            logger.warning("Telegram-Webhook ohne Secret-Header abgewiesen")
            return 401
        if not secret_matches(self._secret, given):
            logger.warning("Telegram-Webhook mit falschem Secret abgewiesen")
            return 403
        try:
            update = request.json
        except InvalidUsage:
            return 400
        incoming = parse_update(update)
        if incoming is not None and self._recent.first_time(incoming.update_id):
            await self._handle(api, incoming, on_new_message)
        # Telegram repeats an update until it gets a 2xx, so ignored ones are confirmed too.
        return 200

    async def _handle(
        self,
        api: BotApi,
        incoming: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        output = TelegramOutput(api, self._keys, incoming.chat_id)
        sender = incoming.sender_id
        if incoming.kind is Kind.OTHER:
            await output.send_text_message(sender, self._texts[RESPONSE_ONLY_TEXT])
            return
        text = incoming.text
        if incoming.kind is Kind.BUTTON:
            assert incoming.callback_id is not None
            payload = self._keys.payload_for(text) if text else None
            notice = None if payload else self._texts[RESPONSE_BUTTON_EXPIRED]
            answer = answer_callback_body(incoming.callback_id, notice)
            await api.call("answerCallbackQuery", answer)
            if not payload:
                return
            text = payload
        if self._guard is not None:
            rejection = self._guard(sender, text)
            if rejection:
                await output.send_text_message(sender, rejection)
                return
        if incoming.kind is Kind.START:
            # The restart's own answer asks every audience who they are: it is not sent.
            await self._dialogue(on_new_message, RESTART_PAYLOAD, CollectingOutputChannel(), sender)
            await output.send_text_message(sender, self._texts[RESPONSE_START])
            text = START_PAYLOAD
        await self._dialogue(on_new_message, text, output, sender)

    async def _dialogue(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        output: OutputChannel,
        sender: str,
    ) -> None:
        try:
            await on_new_message(UserMessage(text, output, sender, input_channel=self.name()))
        except asyncio.CancelledError:
            logger.error("Telegram: Verarbeitung einer Nachricht abgebrochen")
            raise
        except Exception as exc:  # the update is confirmed anyway; Telegram must not resend it
            logger.error("Telegram: Nachricht nicht verarbeitet: %s", type(exc).__name__)
