"""The runner refuses busy ports with an actionable message and reports dead servers."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot import serve
from bot.errors import SetupError
from bot.settings import load_settings


def test_busy_port_names_the_variable_to_change(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        settings = load_settings({"ASA_RASA_PORT": str(port), "ASA_DATA_DIR": str(tmp_path)})
        with pytest.raises(SetupError, match="ASA_RASA_PORT"):
            serve._check_ports(settings)


def test_dead_server_is_reported_with_log_tail(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("Zeile 1\nKaputt: kein Modell\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait(timeout=30)
    server = serve._Server("Rasa-Server", process, "http://127.0.0.1:9/", log)
    bot = serve.RunningBot([server])
    message = bot.failed()
    assert message is not None
    assert "Exit-Code 3" in message
    assert "Kaputt: kein Modell" in message
    assert bot.wait() == 1


def test_start_up_failure_raises_with_log_tail(tmp_path: Path) -> None:
    log = tmp_path / "y.log"
    server = serve._start(
        "Action-Server",
        [sys.executable, "-c", "print('ImportError: actions'); raise SystemExit(1)"],
        {},
        log,
        "http://127.0.0.1:9/health",
    )
    with pytest.raises(SetupError, match="ImportError: actions"):
        serve._wait_until_ready([server], timeout=30)


def test_wait_stops_on_sigint_even_when_the_parent_ignored_it() -> None:
    import os
    import signal
    import threading
    import time

    from bot.serve import RunningBot

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a script's background job
    interrupt = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    safety = threading.Timer(5.0, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        interrupt.start()
        safety.start()
        start = time.monotonic()
        assert RunningBot([]).wait() == 0
        assert time.monotonic() - start < 3.0, "SIGINT was ignored; only the safety SIGTERM stopped"
    finally:
        interrupt.cancel()
        safety.cancel()
        signal.signal(signal.SIGINT, before)


def test_conversation_store_uses_write_ahead_logging(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "tracker.db"
    serve.use_write_ahead_log(database)
    serve.use_write_ahead_log(database)  # a second start finds it set
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_wait_runs_the_retention_schedule_between_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks = iter([None, None, "Der Rasa-Server hat sich beendet (Exit-Code 1)."])

    class _Schedule:
        ticks = 0

        def tick(self) -> str | None:
            self.ticks += 1
            return (
                "Aufbewahrungsfrist: 1 Gespräch mit 6 Ereignissen gelöscht."
                if self.ticks == 1
                else None
            )

    schedule = _Schedule()
    assert serve.wait_until_stopped(lambda: next(checks), schedule) == 1  # type: ignore[arg-type]
    assert schedule.ticks == 2, "one tick after every check that found the servers alive"
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "Aufbewahrungsfrist: 1 Gespräch mit 6 Ereignissen gelöscht.",
        "Der Rasa-Server hat sich beendet (Exit-Code 1).",
    ]
