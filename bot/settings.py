"""Settings of the bot's processes, read from the environment and an optional `.env` file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.telegram import is_valid_secret, is_valid_token

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_DEFAULTS: dict[str, str] = {
    "ASA_DATA_DIR": "var",
    "ASA_HOST": "127.0.0.1",
    "ASA_RASA_PORT": "5005",
    "ASA_ACTIONS_PORT": "5055",
    "ASA_TRACKER_DB": "",
    "ASA_LOG_LEVEL": "INFO",
    "ASA_STARTUP_TIMEOUT": "300",
    "ASA_TELEGRAM_TOKEN": "",
    "ASA_TELEGRAM_SECRET": "",
    "ASA_TELEGRAM_API_URL": "https://api.telegram.org",
    # Security and privacy
    "ASA_MAX_MESSAGE_CHARS": "2000",
    "ASA_RATE_LIMIT": "20/60",
    "ASA_RASA_API_TOKEN": "",
    "ASA_RETENTION_DAYS": "30",
    "ASA_PURGE_EVERY_HOURS": "24",
    "ASA_TRACKER_STORE_URL": "",
    "ASA_WEB_PORT": "8080",
    "ASA_WIDGET_ORIGINS": "",
}


@dataclass(frozen=True)
class Settings:
    """Where the bot keeps its data and on which loopback ports its two servers listen."""

    data_dir: Path
    host: str
    rasa_port: int
    actions_port: int
    tracker_db: Path
    log_level: str
    startup_timeout: float
    web_port: int
    widget_origins: tuple[str, ...]
    # Telegram channel: active only with a token; secrets stay out of repr() and logs.
    telegram_token: str = field(default="", repr=False)
    telegram_secret: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    # Security and privacy (defaults as in _DEFAULTS)
    max_message_chars: int = 2000
    rate_limit_messages: int = 20
    rate_limit_seconds: float = 60.0
    rasa_api_token: str = ""
    retention_days: int = 30
    purge_every_hours: int = 24
    tracker_store_url: str = ""

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def model_path(self) -> Path:
        return self.model_dir / "asa.tar.gz"

    @property
    def spacy_model_dir(self) -> Path:
        return PROJECT_ROOT / "var" / "spacy" / "de_asa"

    @property
    def rest_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server; the website widget connects here (socket.io)."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        """The demo page with the chat widget."""
        return f"http://{self.host}:{self.web_port}/"

    def process_env(self) -> dict[str, str]:
        """Variables that `endpoints.yml` and the servers read, for child processes."""
        return {
            "ASA_TRACKER_DB": str(self.tracker_db),
            "ASA_ACTIONS_URL": self.actions_url,
            "SANIC_HOST": self.host,
            # Empty: endpoints.yml uses the SQLite file; otherwise a full SQLAlchemy URL.
            "ASA_TRACKER_STORE_URL": self.tracker_store_url,
            # No usage data to Rasa's telemetry and no error reports to Sentry.
            "RASA_TELEMETRY_ENABLED": "false",
            "ASA_WIDGET_ORIGINS": " ".join(self.widget_origins),
        }

    @property
    def tracker_store_shown(self) -> str:
        """Where conversations are kept, for messages: SQLite file or URL without password."""
        if not self.tracker_store_url:
            return str(self.tracker_db)
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", self.tracker_store_url)

    @property
    def tracker_url(self) -> str:
        """SQLAlchemy URL of the conversation store (ASA_TRACKER_STORE_URL or the SQLite file)."""
        return self.tracker_store_url or f"sqlite:///{self.tracker_db}"


def _port(name: str, raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} ist keine Portnummer (erwartet: 1-65535).") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"{name}={port} liegt außerhalb von 1-65535.")
    return port


def _telegram(values: Mapping[str, str]) -> tuple[str, str, str]:
    token = values["ASA_TELEGRAM_TOKEN"].strip()
    secret = values["ASA_TELEGRAM_SECRET"].strip()
    api_url = values["ASA_TELEGRAM_API_URL"].strip().rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise ConfigError(
            f"ASA_TELEGRAM_API_URL={api_url!r} ist keine http(s)-Adresse "
            "(Standard: https://api.telegram.org)."
        )
    if not token:
        return "", secret, api_url
    if not is_valid_token(token):
        raise ConfigError(
            "ASA_TELEGRAM_TOKEN hat nicht die Form, die BotFather ausgibt "
            "(Ziffern, Doppelpunkt, dann Buchstaben, Ziffern, _ oder -)."
        )
    if not secret:
        raise ConfigError(
            "ASA_TELEGRAM_TOKEN ist gesetzt, aber ASA_TELEGRAM_SECRET fehlt. Ein Geheimnis wählen, "
            "z. B. mit: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if not is_valid_secret(secret):
        raise ConfigError(
            "ASA_TELEGRAM_SECRET darf nur A-Z, a-z, 0-9, _ und - enthalten (1-256 Zeichen)."
        )
    return token, secret, api_url


def _int_from(name: str, raw: str, minimum: int = 1) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} ist keine ganze Zahl (erwartet: {minimum} oder mehr)."
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={value}: erwartet wird {minimum} oder mehr.")
    return value


def _rate_limit(raw: str) -> tuple[int, float]:
    """`N/SEKUNDEN` (e.g. `20/60`): at most N messages per sender in that window; `0` = off."""
    text = raw.replace(" ", "")
    if text == "0":
        return 0, 60.0
    count, _, seconds = text.partition("/")
    try:
        limit, window = int(count), float(seconds)
    except ValueError:
        raise ConfigError(
            f"ASA_RATE_LIMIT={raw!r}: erwartet wird NACHRICHTEN/SEKUNDEN, z. B. 20/60, "
            "oder 0 für kein Limit."
        ) from None
    if limit < 0 or not 0 < window <= 86400:
        raise ConfigError(
            f"ASA_RATE_LIMIT={raw!r}: Nachrichten ab 0, Sekunden zwischen 1 und 86400."
        )
    return limit, window


def _tracker_store_url(raw: str) -> str:
    if raw and "://" not in raw:
        raise ConfigError(
            f"ASA_TRACKER_STORE_URL={raw!r} ist keine Datenbank-URL "
            "(z. B. postgresql://benutzer@127.0.0.1:5432/asa); leer lassen für SQLite."
        )
    return raw


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(raw: str) -> str:
    """`raw` as a browser sends it in the Origin header: scheme://host[:port], lower case."""
    if raw == "*":
        raise ConfigError(
            "ASA_WIDGET_ORIGINS=* würde jeder Website den Chat erlauben. Bitte die Adressen der "
            "Seiten nennen, die das Widget einbinden, z. B. https://www.example.de"
        )
    parts = urlsplit(raw.rstrip("/"))
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or port == -1
    ):
        raise ConfigError(
            f"ASA_WIDGET_ORIGINS: {raw!r} ist keine Website-Adresse der Form "
            "https://www.example.de oder http://localhost:8080 (ohne Pfad)."
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def _widget_origins(raw: str, host: str, web_port: int) -> tuple[str, ...]:
    """Pages allowed to open the chat; by default the demo page under both loopback names."""
    if raw.strip():
        items = raw.replace(",", " ").split()
    else:
        names = ["localhost", "127.0.0.1"]
        if host not in (*names, "0.0.0.0", "::"):
            names.append(host)
        items = [f"http://{name}:{web_port}" for name in names]
    return tuple(dict.fromkeys(_origin(item) for item in items))


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = None
) -> Settings:
    """Read settings from `environ` (default: the process environment after loading `.env`).

    Variables already set in the environment win over `.env`.
    """
    if environ is None:
        from dotenv import load_dotenv

        load_dotenv(dotenv_path or PROJECT_ROOT / ".env", override=False)
        environ = os.environ
    values = {key: environ.get(key) or default for key, default in _DEFAULTS.items()}

    data_dir = Path(values["ASA_DATA_DIR"])
    if not data_dir.is_absolute():
        data_dir = PROJECT_ROOT / data_dir
    tracker_db = Path(values["ASA_TRACKER_DB"]) if values["ASA_TRACKER_DB"] else None
    if tracker_db is None:
        tracker_db = data_dir / "tracker.db"
    elif not tracker_db.is_absolute():
        tracker_db = PROJECT_ROOT / tracker_db

    level = values["ASA_LOG_LEVEL"].upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"ASA_LOG_LEVEL={level!r}: erlaubt sind DEBUG, INFO, WARNING, ERROR.")
    try:
        timeout = float(values["ASA_STARTUP_TIMEOUT"])
    except ValueError:
        raise ConfigError("ASA_STARTUP_TIMEOUT muss eine Zahl von Sekunden sein.") from None

    telegram_token, telegram_secret, telegram_api_url = _telegram(values)
    rate_limit = _rate_limit(values["ASA_RATE_LIMIT"])
    web_port = _port("ASA_WEB_PORT", values["ASA_WEB_PORT"])
    return Settings(
        data_dir=data_dir,
        host=values["ASA_HOST"],
        rasa_port=_port("ASA_RASA_PORT", values["ASA_RASA_PORT"]),
        actions_port=_port("ASA_ACTIONS_PORT", values["ASA_ACTIONS_PORT"]),
        tracker_db=tracker_db,
        log_level=level,
        startup_timeout=timeout,
        telegram_token=telegram_token,
        telegram_secret=telegram_secret,
        telegram_api_url=telegram_api_url,
        max_message_chars=_int_from("ASA_MAX_MESSAGE_CHARS", values["ASA_MAX_MESSAGE_CHARS"]),
        rate_limit_messages=rate_limit[0],
        rate_limit_seconds=rate_limit[1],
        rasa_api_token=values["ASA_RASA_API_TOKEN"],
        retention_days=_int_from("ASA_RETENTION_DAYS", values["ASA_RETENTION_DAYS"]),
        purge_every_hours=_int_from(
            "ASA_PURGE_EVERY_HOURS", values["ASA_PURGE_EVERY_HOURS"], minimum=0
        ),
        tracker_store_url=_tracker_store_url(values["ASA_TRACKER_STORE_URL"]),
        web_port=web_port,
        widget_origins=_widget_origins(values["ASA_WIDGET_ORIGINS"], values["ASA_HOST"], web_port),
    )
