"""Starts the action server, the Rasa server and the demo page's web server, waits until all
answer, and stops them cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import SetupError
from bot.rasa_server import server_command
from bot.settings import PROJECT_ROOT, Settings
from bot.training import ensure_model, rasa_executable

if TYPE_CHECKING:
    from bot.privacy import RetentionSchedule

_STOP_GRACE_SECONDS = 15.0
_POLL_SECONDS = 0.5


@dataclass
class _Server:
    name: str
    process: subprocess.Popen[bytes]
    health_url: str
    log_path: Path


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _check_ports(settings: Settings) -> None:
    for variable, port in (
        ("ASA_RASA_PORT", settings.rasa_port),
        ("ASA_ACTIONS_PORT", settings.actions_port),
        ("ASA_WEB_PORT", settings.web_port),
    ):
        if not _port_is_free(settings.host, port):
            raise SetupError(
                f"Port {port} auf {settings.host} ist schon belegt. Läuft der Bot bereits? "
                f"Sonst in .env einen freien Port setzen: {variable}=..."
            )


def use_write_ahead_log(database: Path) -> None:
    """Switch the SQLite conversation store to write-ahead logging; the file keeps the setting.

    Rasa commits once per message. With SQLite's default rollback journal a commit waits for
    several flushes to disk (about 16 ms on this project's machine), with write-ahead logging for
    one (about 3 ms); every commit is still on disk when it returns.
    """
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _start(
    name: str, command: list[str], env: dict[str, str], log_path: Path, health: str
) -> _Server:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the servers in order.
        )
    return _Server(name, process, health, log_path)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _stop_all(servers: list[_Server]) -> None:
    """SIGTERM to every server at once, then wait for each; the slow ones share one grace period."""
    for server in servers:
        if server.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGTERM)
    for server in servers:
        _stop(server)


def _stop(server: _Server) -> None:
    process = server.process
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=_STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=_STOP_GRACE_SECONDS)


def _wait_until_ready(servers: list[_Server], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = list(servers)
    while pending:
        for server in list(pending):
            code = server.process.poll()
            if code is not None:
                raise SetupError(
                    f"Der {server.name} hat sich beim Start beendet (Exit-Code {code}). "
                    f"Letzte Zeilen aus {server.log_path}:\n{_tail(server.log_path)}"
                )
            if _answers(server.health_url):
                pending.remove(server)
        if pending and time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise SetupError(
                f"{names} antwortet nach {timeout:.0f} s noch nicht "
                "(ASA_STARTUP_TIMEOUT erhöhen oder die Logs in var/logs/ ansehen)."
            )
        if pending:
            time.sleep(_POLL_SECONDS)


class RunningBot:
    """Handle on the started servers."""

    def __init__(self, servers: list[_Server]) -> None:
        self._servers = servers

    def failed(self) -> str | None:
        """A German message when one of the servers has ended, else None."""
        for server in self._servers:
            code = server.process.poll()
            if code is not None:
                return (
                    f"Der {server.name} hat sich beendet (Exit-Code {code}). "
                    f"Letzte Zeilen aus {server.log_path}:\n{_tail(server.log_path)}"
                )
        return None

    def wait(self, retention: RetentionSchedule | None = None) -> int:
        """Block until Ctrl-C or SIGTERM (exit 0) or until a server dies (exit 1)."""
        return wait_until_stopped(self.failed, retention)


def wait_until_stopped(
    failure: Callable[[], str | None], retention: RetentionSchedule | None = None
) -> int:
    """Block until Ctrl-C or SIGTERM (exit 0) or until `failure()` returns a message (exit 1).

    Between two checks, `retention` deletes the conversations past the retention period when
    that is due, and what it reports is printed.
    """
    stop = {"signal": False}

    def _handler(signum: int, frame: object) -> None:
        stop["signal"] = True

    # SIGINT too: a process started in the background of a script inherits an ignored SIGINT,
    # and `kill -INT` (or Ctrl-C) must still stop the bot.
    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop["signal"]:
            message = failure()
            if message:
                print(message, flush=True)
                return 1
            report = retention.tick() if retention else None
            if report:
                print(report, flush=True)
            time.sleep(_POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


_VERBOSITY = {"DEBUG": "--debug", "INFO": "--verbose", "WARNING": "--quiet", "ERROR": "--quiet"}


@contextlib.contextmanager
def running_servers(settings: Settings, *, train: bool = True) -> Iterator[RunningBot]:
    """Train if needed, start the servers, yield once all answer, stop all on exit."""
    if train:
        ensure_model(settings)
    elif not settings.model_path.is_file():
        raise SetupError(f"Kein trainiertes Modell unter {settings.model_path}: `asa-bot train`.")
    _check_ports(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    if not settings.tracker_store_url:
        use_write_ahead_log(settings.tracker_db)
    env = {**os.environ, **settings.process_env()}
    rasa = str(rasa_executable())
    logs = settings.data_dir / "logs"
    verbosity = _VERBOSITY[settings.log_level]
    actions = [rasa, "run", "actions", "--actions", "actions", verbosity]
    server = server_command("run", "--model", str(settings.model_path))
    server += ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
    server += ["--interface", settings.host, verbosity]
    server_env = dict(env)
    env.pop("ASA_RASA_API_TOKEN", None)  # only the Rasa server needs it
    if settings.rasa_api_token:
        # HTTP API only with a token; the token goes through the environment, not argv (`ps`).
        server.append("--enable-api")
        server_env["ASA_RASA_API_TOKEN"] = settings.rasa_api_token
    servers: list[_Server] = []
    try:
        servers.append(
            _start(
                "Action-Server",
                [*actions, "--port", str(settings.actions_port)],
                env,
                logs / "actions.log",
                f"http://{settings.host}:{settings.actions_port}/health",
            )
        )
        servers.append(
            _start(
                "Rasa-Server",
                [*server, "--port", str(settings.rasa_port)],
                server_env,
                logs / "rasa.log",
                f"http://{settings.host}:{settings.rasa_port}/",
            )
        )
        web = [sys.executable, "-m", "bot.web", "--host", settings.host]
        servers.append(
            _start(
                "Web-Server (Demoseite)",
                [*web, "--port", str(settings.web_port), "--rasa-url", settings.rasa_url],
                env,
                logs / "web.log",
                settings.web_url,
            )
        )
        _wait_until_ready(servers, settings.startup_timeout)
        yield RunningBot(servers)
    finally:
        _stop_all(list(reversed(servers)))
