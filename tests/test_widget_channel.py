"""The widget's socket.io channel: page origins from ASA_WIDGET_ORIGINS, never none or all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from channels.socketio import WidgetSocketIOInput, parse_origins, session_id_for

ROOT = Path(__file__).resolve().parent.parent


async def _ignore(message: Any) -> None:
    return None


def test_credentials_name_the_channel_with_the_origins_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.shared.utils.io import read_config_file

    monkeypatch.setenv("ASA_WIDGET_ORIGINS", "http://localhost:8080 https://www.example.de")
    credentials = read_config_file(str(ROOT / "credentials.yml"))
    widget = credentials["channels.socketio.WidgetSocketIOInput"]
    assert widget["session_persistence"] is True
    assert widget["user_message_evt"] == "user_uttered"
    assert widget["bot_message_evt"] == "bot_uttered"

    channel = WidgetSocketIOInput.from_credentials(widget)
    channel.blueprint(_ignore)
    assert channel.session_persistence is True
    assert channel.sio.eio.cors_allowed_origins == [
        "http://localhost:8080",
        "https://www.example.de",
    ]


@pytest.mark.parametrize("raw", ["", "  ", None, [], "*", "http://a.de *", ["*"]])
def test_no_origin_or_every_origin_is_refused(raw: object) -> None:
    # Rasa's own default, an empty list, switches python-socketio's origin check off.
    with pytest.raises(ValueError, match="ASA_WIDGET_ORIGINS"):
        parse_origins(raw)
    with pytest.raises(ValueError, match="ASA_WIDGET_ORIGINS"):
        WidgetSocketIOInput.from_credentials({"cors_allowed_origins": raw})


def test_origins_may_be_separated_by_commas_or_given_as_a_list() -> None:
    assert parse_origins("http://a.de,http://b.de") == ["http://a.de", "http://b.de"]
    assert parse_origins(["http://a.de"]) == ["http://a.de"]


def test_a_channel_built_without_credentials_does_not_open_to_every_site() -> None:
    with pytest.raises(ValueError, match="ASA_WIDGET_ORIGINS"):
        WidgetSocketIOInput().blueprint(_ignore)


def test_server_offers_long_polling_only() -> None:
    # Sanic 21.12's WebSocket code fails on Python 3.11; polling must not try to upgrade.
    channel = WidgetSocketIOInput.from_credentials({"cors_allowed_origins": "http://a.de"})
    channel.blueprint(_ignore)
    assert channel.sio.eio.transports == ["polling"]
    assert channel.sio.eio.allow_upgrades is False


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"session_id": "0123456789abcdef0123456789abcdef"}, True),
        ({"session_id": "123456789"}, False),  # e.g. another channel's chat id
        ({"session_id": "ich"}, False),
        ({"session_id": None}, False),
        (None, False),
    ],
)
def test_only_session_ids_of_this_channel_are_continued(data: object, kept: bool) -> None:
    session_id = session_id_for(data)
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)
    assert (isinstance(data, dict) and session_id == data["session_id"]) is kept
