"""Settings come from the environment with safe loopback defaults and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import PROJECT_ROOT, load_settings


def test_defaults_bind_to_loopback_and_keep_data_under_var() -> None:
    settings = load_settings({})
    assert settings.host == "127.0.0.1"
    assert (settings.rasa_port, settings.actions_port) == (5005, 5055)
    assert settings.data_dir == PROJECT_ROOT / "var"
    assert settings.tracker_db == PROJECT_ROOT / "var" / "tracker.db"
    assert settings.rest_url == "http://127.0.0.1:5005/webhooks/rest/webhook"
    assert settings.model_path == PROJECT_ROOT / "var" / "models" / "asa.tar.gz"


def test_environment_overrides_and_child_process_variables(tmp_path: Path) -> None:
    settings = load_settings(
        {"ASA_DATA_DIR": str(tmp_path), "ASA_RASA_PORT": "6005", "ASA_ACTIONS_PORT": "6055"}
    )
    assert settings.tracker_db == tmp_path / "tracker.db"
    env = settings.process_env()
    assert env["ASA_ACTIONS_URL"] == "http://127.0.0.1:6055/webhook"
    assert env["ASA_TRACKER_DB"] == str(tmp_path / "tracker.db")
    assert env["SANIC_HOST"] == "127.0.0.1"


def test_dotenv_file_is_read_but_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("ASA_RASA_PORT=7005\nASA_ACTIONS_PORT=7055\n", encoding="utf-8")
    monkeypatch.delenv("ASA_RASA_PORT", raising=False)
    monkeypatch.setenv("ASA_ACTIONS_PORT", "8055")
    settings = load_settings(dotenv_path=dotenv)
    assert settings.rasa_port == 7005
    assert settings.actions_port == 8055


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("ASA_RASA_PORT", "fünf", "ASA_RASA_PORT"),
        ("ASA_ACTIONS_PORT", "70000", "ASA_ACTIONS_PORT"),
        ("ASA_LOG_LEVEL", "LOUD", "ASA_LOG_LEVEL"),
        ("ASA_STARTUP_TIMEOUT", "bald", "ASA_STARTUP_TIMEOUT"),
        ("ASA_MAX_MESSAGE_CHARS", "0", "ASA_MAX_MESSAGE_CHARS"),
        ("ASA_MAX_MESSAGE_CHARS", "viel", "ASA_MAX_MESSAGE_CHARS"),
        ("ASA_RATE_LIMIT", "20", "ASA_RATE_LIMIT"),
        ("ASA_RATE_LIMIT", "20/0", "ASA_RATE_LIMIT"),
        ("ASA_RATE_LIMIT", "-1/60", "ASA_RATE_LIMIT"),
        ("ASA_RATE_LIMIT", "zwanzig/60", "ASA_RATE_LIMIT"),
        ("ASA_RETENTION_DAYS", "0", "ASA_RETENTION_DAYS"),
        ("ASA_RETENTION_DAYS", "30d", "ASA_RETENTION_DAYS"),
        ("ASA_PURGE_EVERY_HOURS", "-1", "ASA_PURGE_EVERY_HOURS"),
        ("ASA_PURGE_EVERY_HOURS", "täglich", "ASA_PURGE_EVERY_HOURS"),
        ("ASA_TRACKER_STORE_URL", "127.0.0.1:5432/asa", "ASA_TRACKER_STORE_URL"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings({variable: value})


def test_env_example_documents_every_variable() -> None:
    from bot.settings import _DEFAULTS

    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line}
    documented = {name for name in documented if not name.startswith("#")}
    assert set(_DEFAULTS) <= documented


_TELEGRAM_TOKEN = "123456789:AAH-abcdefghijklmnopqrstuvwxyz_0123"


def test_telegram_is_off_by_default_and_secrets_stay_out_of_repr() -> None:
    assert not load_settings({}).telegram_enabled
    assert load_settings({}).telegram_api_url == "https://api.telegram.org"
    settings = load_settings(
        {
            "ASA_TELEGRAM_TOKEN": _TELEGRAM_TOKEN,
            "ASA_TELEGRAM_SECRET": "geheim_123",
            "ASA_TELEGRAM_API_URL": "http://127.0.0.1:8081/",
        }
    )
    assert settings.telegram_enabled
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert _TELEGRAM_TOKEN not in repr(settings) and "geheim_123" not in repr(settings)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"ASA_TELEGRAM_TOKEN": "kein-token"}, "ASA_TELEGRAM_TOKEN"),
        ({"ASA_TELEGRAM_TOKEN": _TELEGRAM_TOKEN}, "ASA_TELEGRAM_SECRET fehlt"),
        (
            {"ASA_TELEGRAM_TOKEN": _TELEGRAM_TOKEN, "ASA_TELEGRAM_SECRET": "mit leerzeichen"},
            "ASA_TELEGRAM_SECRET darf nur",
        ),
        ({"ASA_TELEGRAM_API_URL": "api.telegram.org"}, "ASA_TELEGRAM_API_URL"),
    ],
)
def test_bad_telegram_settings_name_the_variable(values: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(values)


def test_security_and_privacy_defaults() -> None:
    settings = load_settings({})
    assert settings.max_message_chars == 2000
    assert (settings.rate_limit_messages, settings.rate_limit_seconds) == (20, 60.0)
    assert settings.rasa_api_token == ""
    assert settings.retention_days == 30
    assert settings.purge_every_hours == 24
    assert settings.tracker_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    env = settings.process_env()
    assert env["ASA_TRACKER_STORE_URL"] == ""
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert "ASA_RASA_API_TOKEN" not in env


def test_security_and_privacy_overrides() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/test"
    settings = load_settings(
        {
            "ASA_MAX_MESSAGE_CHARS": "500",
            "ASA_RATE_LIMIT": " 5 / 2.5 ",
            "ASA_RASA_API_TOKEN": "geheim",
            "ASA_RETENTION_DAYS": "7",
            "ASA_PURGE_EVERY_HOURS": "0",
            "ASA_TRACKER_STORE_URL": url,
        }
    )
    assert settings.purge_every_hours == 0
    assert settings.max_message_chars == 500
    assert (settings.rate_limit_messages, settings.rate_limit_seconds) == (5, 2.5)
    assert settings.rasa_api_token == "geheim"
    assert settings.retention_days == 7
    assert settings.tracker_url == url
    assert settings.process_env()["ASA_TRACKER_STORE_URL"] == url
    assert load_settings({"ASA_RATE_LIMIT": "0"}).rate_limit_messages == 0


def test_the_store_is_shown_without_password() -> None:
    url = "postgresql://asa:geheim@127.0.0.1:5432/asa"
    shown = load_settings({"ASA_TRACKER_STORE_URL": url}).tracker_store_shown
    assert shown == "postgresql://asa:***@127.0.0.1:5432/asa"
    assert load_settings({}).tracker_store_shown == str(PROJECT_ROOT / "var" / "tracker.db")
