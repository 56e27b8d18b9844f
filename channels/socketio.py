"""Rasa's socket.io channel for the website widget: only listed pages, one session per socket.

Rasa 3.6's `SocketIOInput` needs three corrections with the pinned python-socketio 5.18 and
Sanic 21.12 on Python 3.11; this subclass keeps everything else as Rasa does it:

- Rasa creates the server with `cors_allowed_origins=[]`, which turns the origin check off, so
  any website could open a chat. Here the allow-list comes from credentials.yml
  (`cors_allowed_origins`, filled from ASA_WIDGET_ORIGINS); it is never empty and never '*'.
- Rasa calls `sio.enter_room` without `await` (a coroutine since python-socketio 5.10), so with
  `session_persistence` the browser never joins its session's room and gets no replies. Here the
  session request joins the room properly. A session id the browser sends back is kept only if
  it has the form this channel hands out (32 hex digits), so a socket cannot take over a sender
  of another channel; a message is always filed under the session its socket joined.
- Sanic 21.12's WebSocket code fails on Python 3.11 (`asyncio.wait` with coroutines), so the
  server offers HTTP long-polling only, which every socket.io client speaks.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.guarded import GuardedTurns

logger = logging.getLogger(__name__)

_SESSION_ID = re.compile(r"[0-9a-f]{32}")


def parse_origins(raw: object) -> list[str]:
    """Origins from a space- or comma-separated string or a list; never empty, never '*'."""
    if isinstance(raw, str):
        origins = raw.replace(",", " ").split()
    elif isinstance(raw, list):
        origins = [str(item).strip() for item in raw if str(item).strip()]
    else:
        origins = []
    if not origins or "*" in origins:
        # An empty list would switch python-socketio's origin check off, '*' would allow all.
        raise ValueError(
            "socketio: cors_allowed_origins braucht mindestens eine Website-Adresse "
            "(ASA_WIDGET_ORIGINS); '*' ist nicht erlaubt."
        )
    return origins


def session_id_for(data: object) -> str:
    """The session id the browser asks to continue, if it is one of ours; else a new one."""
    requested = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(requested, str) and _SESSION_ID.fullmatch(requested):
        return requested
    return uuid.uuid4().hex


class WidgetSocketIOInput(SocketIOInput):
    """socket.io input for the widget: allow-listed origins, working session persistence."""

    cors_allowed_origins: tuple[str, ...] = ()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WidgetSocketIOInput:
        credentials = dict(credentials or {})
        origins = parse_origins(credentials.pop("cors_allowed_origins", None))
        channel: WidgetSocketIOInput = super().from_credentials(credentials)
        channel.cors_allowed_origins = tuple(origins)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # The shared guard (size, rate) before the model; deletion on request after the turn.
        blueprint: Blueprint = GuardedTurns.from_settings().blueprint(
            super().blueprint, on_new_message
        )
        sio = self.sio
        # engine.io reads both on every request: an Origin outside the list gets HTTP 400.
        sio.eio.cors_allowed_origins = parse_origins(list(self.cors_allowed_origins))
        sio.eio.transports = ["polling"]
        sio.eio.allow_upgrades = False

        namespace = self.namespace or "/"
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]
        sessions: dict[str, str] = {}

        async def session_request(sid: str, data: object) -> None:
            session_id = session_id_for(data)
            sessions[sid] = session_id
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: object) -> None:
            session_id = sessions.get(sid)
            if session_id is None or not isinstance(data, dict):
                logger.warning("socket.io message before session_request ignored.")
                return
            await rasa_handle_message(sid, {**data, "session_id": session_id})

        async def disconnect(sid: str, reason: object = None) -> None:
            sessions.pop(sid, None)

        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        sio.on("disconnect", disconnect, namespace=namespace)
        return blueprint
