"""`asa-bot telegram set-webhook URL` and `asa-bot telegram info`: connect the bot to Telegram."""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from bot.errors import AsaError, ConfigError
from bot.settings import Settings, load_settings
from bot.telegram import WEBHOOK_PATH, method_url, set_webhook_body

_TIMEOUT_SECONDS = 15.0


class TelegramError(AsaError):
    """The Bot API could not be reached or refused a call."""


def _settings() -> Settings:
    settings = load_settings()
    if not settings.telegram_enabled:
        raise ConfigError(
            "ASA_TELEGRAM_TOKEN ist nicht gesetzt. Bei @BotFather in Telegram einen Bot anlegen "
            "und den Token mit einem Secret (ASA_TELEGRAM_SECRET) in .env eintragen."
        )
    return settings


def call(settings: Settings, method: str, body: Mapping[str, Any] | None = None) -> Any:
    """Call a Bot API method and return its `result`; German errors without the token."""
    request = urllib.request.Request(
        method_url(settings.telegram_api_url, settings.telegram_token, method),
        data=json.dumps(dict(body or {})).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as reply:
            raw = reply.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        if exc.code in (401, 404):
            raise TelegramError(
                f"Telegram kennt den Token nicht (HTTP {exc.code}). ASA_TELEGRAM_TOKEN mit dem "
                "Token von BotFather vergleichen."
            ) from None
        detail = _description(raw)
        raise TelegramError(
            f"Telegram lehnt {method} ab (HTTP {exc.code}){': ' + detail if detail else ''}."
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TelegramError(
            f"Die Bot API unter {settings.telegram_api_url} ist nicht erreichbar ({reason}). "
            "Netzwerk und ASA_TELEGRAM_API_URL prüfen."
        ) from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise TelegramError(
            f"Die Antwort von {settings.telegram_api_url} auf {method} ist kein JSON. "
            "Stimmt ASA_TELEGRAM_API_URL?"
        ) from None
    if not isinstance(data, dict) or data.get("ok") is not True:
        detail = _description(raw)
        raise TelegramError(f"Telegram lehnt {method} ab{': ' + detail if detail else ''}.")
    return data.get("result")


def _description(raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return ""
    return str(data.get("description") or "")[:300] if isinstance(data, dict) else ""


def check_webhook_url(url: str) -> list[str]:
    """Raise for a URL Telegram would refuse; return hints for one that probably misses the bot."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            f"{url!r} ist keine HTTPS-Adresse. Telegram liefert nur an https://… aus, z. B. "
            f"https://bot.example.org{WEBHOOK_PATH} hinter einem Reverse Proxy."
        )
    hints = []
    if not parts.path.endswith(WEBHOOK_PATH):
        hints.append(
            f"Hinweis: Der Bot empfängt Telegram unter {WEBHOOK_PATH}; die Adresse endet anders. "
            "Das stimmt nur, wenn der Reverse Proxy den Pfad umschreibt."
        )
    if parts.port not in (None, 443, 80, 88, 8443):
        hints.append("Hinweis: Telegram liefert nur an die Ports 443, 80, 88 und 8443 aus.")
    return hints


def _set_webhook(args: argparse.Namespace) -> int:
    hints = check_webhook_url(args.url)
    settings = _settings()
    call(settings, "setWebhook", set_webhook_body(args.url, settings.telegram_secret))
    for hint in hints:
        print(hint)
    print(f"Webhook eingerichtet: Telegram schickt Nachrichten an {args.url}")
    return 0


def _info(args: argparse.Namespace) -> int:
    settings = _settings()
    me = call(settings, "getMe")
    info = call(settings, "getWebhookInfo")
    if isinstance(me, dict):
        print(f"Bot:        @{me.get('username', '?')}")
    if isinstance(info, dict):
        print(f"Webhook:    {info.get('url') or '(keiner eingerichtet)'}")
        print(f"Wartend:    {info.get('pending_update_count', 0)} Updates")
        if info.get("last_error_message"):
            print(f"Letzter Fehler: {info['last_error_message']}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    telegram = sub.add_parser("telegram", help="Telegram-Bot verbinden (Webhook)")
    commands = telegram.add_subparsers(dest="telegram_command", required=True, metavar="BEFEHL")
    set_webhook = commands.add_parser(
        "set-webhook", help=f"Telegram an die öffentliche HTTPS-Adresse …{WEBHOOK_PATH} schicken"
    )
    set_webhook.add_argument("url", help=f"z. B. https://bot.example.org{WEBHOOK_PATH}")
    set_webhook.set_defaults(func=_set_webhook)
    info = commands.add_parser("info", help="zeigt Bot-Namen, Webhook und letzten Fehler")
    info.set_defaults(func=_info)
