"""Shared fixtures: the e2e marker for tests/e2e and a running bot on free loopback ports."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASA_BOT = Path(sys.executable).parent / "asa-bot"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    """An `asa-bot run` process with its REST URL, demo page and log."""

    process: subprocess.Popen[str]
    rest_url: str
    rasa_port: int
    actions_port: int
    tracker_db: Path
    output: Path
    web_port: int
    api_token: str = ""

    @property
    def page_url(self) -> str:
        """The demo page with the website widget, served by `asa-bot run`."""
        return f"http://127.0.0.1:{self.web_port}/"

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


def start_bot(
    tmp: Path, timeout: float = 240.0, extra_env: Mapping[str, str] | None = None
) -> BotProcess:
    """Start `asa-bot run --no-train` on free ports with its own SQLite file; wait until ready.

    `extra_env` adds or overrides environment variables (e.g. the Telegram settings,
    ASA_RASA_API_TOKEN, ASA_RATE_LIMIT).
    """
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    tracker_db = tmp / "tracker.db"
    env = {
        **os.environ,
        "ASA_RASA_PORT": str(rasa_port),
        "ASA_ACTIONS_PORT": str(actions_port),
        "ASA_WEB_PORT": str(web_port),
        "ASA_WIDGET_ORIGINS": "",  # the default: the demo page on web_port
        "ASA_TRACKER_DB": str(tracker_db),
        "ASA_HOST": "127.0.0.1",
        **(extra_env or {}),
    }
    output = tmp / f"asa-bot-{rasa_port}.log"
    with output.open("w") as log:
        process = subprocess.Popen(
            [str(ASA_BOT), "run", "--no-train"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    bot = BotProcess(
        process,
        f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
        rasa_port,
        actions_port,
        tracker_db,
        output,
        web_port,
        env.get("ASA_RASA_API_TOKEN", ""),
    )
    deadline = time.monotonic() + timeout
    while "Der AsA-Bot ist bereit" not in bot.log():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_bot(bot)
            raise AssertionError(f"asa-bot run did not become ready:\n{bot.log()}")
        time.sleep(0.5)
    return bot


def stop_process(process: subprocess.Popen[str], sig: int, timeout: float) -> int:
    """Send `sig`, wait up to `timeout` seconds (then kill) and return the exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return int(process.returncode)


def stop_bot(bot: BotProcess, timeout: float = 60.0) -> int:
    """Send Ctrl-C (SIGINT) like a user would and return the exit code."""
    return stop_process(bot.process, signal.SIGINT, timeout)


def port_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    bot = start_bot(tmp_path_factory.mktemp("bot"))
    yield bot
    stop_bot(bot)


@pytest.fixture(scope="session")
def api_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    """A second bot with the HTTP API on (token in `api_token`) and without rate limit."""
    bot = start_bot(
        tmp_path_factory.mktemp("api-bot"),
        extra_env={
            "ASA_RASA_API_TOKEN": secrets.token_hex(16),
            "ASA_RATE_LIMIT": "0",
            "ASA_LOG_LEVEL": "INFO",
        },
    )
    yield bot
    stop_bot(bot)
