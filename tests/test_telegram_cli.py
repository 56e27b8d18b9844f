"""`asa-bot telegram set-webhook` and `info` against the fake Bot API."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.telegram import WEBHOOK_PATH
from tests.conftest import free_port
from tests.fake_telegram import SECRET, TOKEN, fake_bot_api

URL = f"https://bot.example.org{WEBHOOK_PATH}"


def _env(monkeypatch: pytest.MonkeyPatch, api_url: str, token: str = TOKEN) -> None:
    monkeypatch.setenv("ASA_TELEGRAM_TOKEN", token)
    monkeypatch.setenv("ASA_TELEGRAM_SECRET", SECRET)
    monkeypatch.setenv("ASA_TELEGRAM_API_URL", api_url)


def test_set_webhook_registers_url_secret_and_update_kinds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fake_bot_api() as fake:
        _env(monkeypatch, fake.url)
        assert main(["telegram", "set-webhook", URL]) == 0
        assert fake.webhook == {
            "url": URL,
            "secret_token": SECRET,
            "allowed_updates": ["message", "callback_query"],
        }
        out = capsys.readouterr().out
        assert f"Webhook eingerichtet: Telegram schickt Nachrichten an {URL}" in out
        assert "Hinweis" not in out
        assert main(["telegram", "info"]) == 0
        info = capsys.readouterr().out
    assert "@asa_test_bot" in info and URL in info


def test_a_different_path_or_port_is_set_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fake_bot_api() as fake:
        _env(monkeypatch, fake.url)
        assert main(["telegram", "set-webhook", "https://bot.example.org:8080/telegram"]) == 0
        assert fake.webhook["url"] == "https://bot.example.org:8080/telegram"
    out = capsys.readouterr().out
    assert WEBHOOK_PATH in out and "443, 80, 88 und 8443" in out


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        (f"http://bot.example.org{WEBHOOK_PATH}", "keine HTTPS-Adresse"),
        ("bot.example.org", "keine HTTPS-Adresse"),
    ],
)
def test_a_url_telegram_refuses_is_not_sent(
    url: str, fragment: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fake_bot_api() as fake:
        _env(monkeypatch, fake.url)
        assert main(["telegram", "set-webhook", url]) == 1
        assert fake.calls == []
    assert fragment in capsys.readouterr().err


def test_errors_are_german_and_never_show_the_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fake_bot_api(token="999:another-bot-token-abcdefghijkl") as fake:
        _env(monkeypatch, fake.url)
        assert main(["telegram", "set-webhook", URL]) == 1
    err = capsys.readouterr().err
    assert "Telegram kennt den Token nicht (HTTP 401)" in err and TOKEN not in err

    _env(monkeypatch, f"http://127.0.0.1:{free_port()}")
    assert main(["telegram", "set-webhook", URL]) == 1
    err = capsys.readouterr().err
    assert "ist nicht erreichbar" in err and TOKEN not in err

    monkeypatch.setenv("ASA_TELEGRAM_TOKEN", "")
    assert main(["telegram", "set-webhook", URL]) == 1
    assert "ASA_TELEGRAM_TOKEN ist nicht gesetzt" in capsys.readouterr().err

    _env(monkeypatch, "http://127.0.0.1:9")
    monkeypatch.setenv("ASA_TELEGRAM_SECRET", "")
    assert main(["telegram", "set-webhook", URL]) == 1
    assert "ASA_TELEGRAM_SECRET fehlt" in capsys.readouterr().err
