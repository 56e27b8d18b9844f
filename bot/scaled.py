"""Scale-out profile: Rasa processes behind nginx, conversations in PostgreSQL, locks in Redis.

`asa-bot run-scaled` starts one action server, `ASA_RASA_WORKERS` Rasa servers on internal
loopback ports and nginx in front of them on `ASA_HOST:ASA_RASA_PORT`, so clients see one URL.
The Rasa servers share the conversations (PostgreSQL tracker store) and take one conversation's
messages one at a time (Redis lock store, `stores.redis_lock`). nginx hands the requests round
robin to the Rasa servers and skips one that does not answer.

Here: the checks before anything starts and the processes. The settings are in
`bot.scaled_settings`, the files written at each start in `bot.scaled_files`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.errors import SetupError
from bot.rasa_server import server_command
from bot.scaled_files import prepare_files
from bot.scaled_settings import WORKER_HOST, Endpoint, ScaledSettings, url_host
from bot.serve import (
    _VERBOSITY,
    _port_is_free,
    _Server,
    _start,
    _stop,
    _tail,
    _wait_until_ready,
    wait_until_stopped,
)
from bot.training import ensure_model, rasa_executable

if TYPE_CHECKING:
    from bot.privacy import RetentionSchedule

_CONNECT_TIMEOUT = 3.0


# --- Checks before anything starts -------------------------------------------------------------


def _tcp_error(endpoint: Endpoint) -> str | None:
    """None when something accepts connections at the endpoint, else the reason."""
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=_CONNECT_TIMEOUT):
            return None
    except OSError as error:
        return error.strerror or str(error) or type(error).__name__


def check_postgres(settings: ScaledSettings) -> None:
    """Raise a German `SetupError` when PostgreSQL is unreachable or refuses the login."""
    endpoint = settings.postgres
    reason = _tcp_error(endpoint)
    if reason:
        raise SetupError(
            f"PostgreSQL auf {endpoint.address} nicht erreichbar ({reason}). Läuft der "
            "Datenbankserver? Die Adresse steht in ASA_POSTGRES_URL."
        )
    import psycopg2  # the driver Rasa's SQL tracker store uses

    try:
        connection = psycopg2.connect(settings.postgres_url, connect_timeout=int(_CONNECT_TIMEOUT))
    except psycopg2.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise SetupError(
            f"PostgreSQL auf {endpoint.address} lässt die Anmeldung nicht zu ({first_line}). "
            "Benutzer, Passwort und Datenbank in ASA_POSTGRES_URL prüfen."
        ) from None
    try:
        if settings.postgres_schema:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                    (settings.postgres_schema,),
                )
                if cursor.fetchone() is None:
                    raise SetupError(
                        f"Das Schema {settings.postgres_schema!r} fehlt in der Datenbank "
                        f"{settings.postgres_database!r}: anlegen mit `CREATE SCHEMA "
                        f"{settings.postgres_schema};` oder ASA_POSTGRES_SCHEMA leeren."
                    )
    finally:
        connection.close()


def check_redis(settings: ScaledSettings) -> None:
    """Raise a German `SetupError` when Redis is unreachable or refuses the login."""
    endpoint = settings.redis
    reason = _tcp_error(endpoint)
    if reason:
        raise SetupError(
            f"Redis auf {endpoint.address} nicht erreichbar ({reason}). Läuft der Redis-Server? "
            "Die Adresse steht in ASA_REDIS_URL."
        )
    import redis

    client = redis.Redis(
        host=endpoint.host,
        port=endpoint.port,
        db=settings.redis_db,
        username=endpoint.user or None,
        password=endpoint.password or None,
        socket_timeout=_CONNECT_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        raise SetupError(
            f"Redis auf {endpoint.address} antwortet nicht wie erwartet ({error}). "
            "Passwort und Datenbank in ASA_REDIS_URL prüfen."
        ) from None
    finally:
        client.close()


def check_rabbitmq(settings: ScaledSettings) -> None:
    """Raise a German `SetupError` when RabbitMQ is set but unreachable or refuses the login."""
    endpoint = settings.rabbitmq
    if endpoint is None:
        return
    reason = _tcp_error(endpoint)
    if reason:
        raise SetupError(
            f"RabbitMQ auf {endpoint.address} nicht erreichbar ({reason}). Läuft der Broker? "
            "Die Adresse steht in ASA_RABBITMQ_URL; leer lassen, um ohne Broker zu starten."
        )
    import asyncio

    import aio_pika

    async def _login() -> None:
        connection = await aio_pika.connect(
            host=endpoint.host,
            port=endpoint.port,
            login=endpoint.user,
            password=endpoint.password,
            timeout=_CONNECT_TIMEOUT,
        )
        await connection.close()

    try:
        asyncio.run(_login())
    except Exception as error:  # aio-pika raises several unrelated types here
        raise SetupError(
            f"RabbitMQ auf {endpoint.address} lässt die Anmeldung nicht zu ({error}). "
            "Benutzer und Passwort in ASA_RABBITMQ_URL prüfen."
        ) from None


def check_ports(settings: ScaledSettings) -> None:
    """Raise a German `SetupError` naming the variable to change when a port is taken."""
    base = settings.base
    wanted = [
        (base.host, base.rasa_port, "ASA_RASA_PORT", "nginx"),
        (base.host, base.actions_port, "ASA_ACTIONS_PORT", "Action-Server"),
    ]
    wanted += [
        (WORKER_HOST, port, "ASA_RASA_WORKER_PORT", f"Rasa-Server {i}")
        for i, port in enumerate(settings.worker_ports, start=1)
    ]
    for host, port, variable, name in wanted:
        if not _port_is_free(host, port):
            raise SetupError(
                f"Port {port} auf {host} ({name}) ist schon belegt. Läuft der Bot bereits? "
                f"Sonst in .env einen freien Port setzen: {variable}=..."
            )


def find_nginx() -> Path:
    """The nginx executable (Debian puts it into /usr/sbin, which may not be on the PATH)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise SetupError(
            "nginx ist nicht installiert. `make run-scaled` installiert es "
            "(scripts/install-nginx.sh, braucht apt-get und Root-Rechte oder sudo)."
        )
    return Path(found)


# --- Running -----------------------------------------------------------------------------------


class ScaledBot:
    """Handle on the started processes: action server, Rasa servers, nginx."""

    def __init__(self, actions: _Server, workers: list[_Server], proxy: _Server) -> None:
        self.actions = actions
        self.workers = workers
        self.proxy = proxy
        self._reported: set[int] = set()

    def check(self, report: bool = True) -> str | None:
        """A German message when the profile can no longer serve, else None.

        A single Rasa server that ended is reported once (nginx skips it); the profile goes on
        while at least one Rasa server runs.
        """
        for server in (self.proxy, self.actions):
            code = server.process.poll()
            if code is not None:
                return (
                    f"{server.name} hat sich beendet (Exit-Code {code}). "
                    f"Letzte Zeilen aus {server.log_path}:\n{_tail(server.log_path)}"
                )
        alive = 0
        for server in self.workers:
            code = server.process.poll()
            if code is None:
                alive += 1
            elif report and server.process.pid not in self._reported:
                self._reported.add(server.process.pid)
                print(
                    f"Achtung: {server.name} hat sich beendet (Exit-Code {code}); nginx leitet "
                    f"an die übrigen weiter. Log: {server.log_path}",
                    flush=True,
                )
        if alive == 0:
            return "Alle Rasa-Server haben sich beendet; Logs in " + str(self.workers[0].log_path)
        return None

    def wait(self, retention: RetentionSchedule | None = None) -> int:
        """Block until Ctrl-C or SIGTERM (exit 0) or until the profile cannot serve (exit 1)."""
        return wait_until_stopped(self.check, retention)


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def startup_text(settings: ScaledSettings, bot: ScaledBot, retention: str) -> str:
    """What `asa-bot run-scaled` prints once every process answers."""
    base = settings.base
    workers = "\n".join(
        f"    {server.name}: http://{WORKER_HOST}:{port} (PID {server.process.pid}, "
        f"Log {server.log_path})"
        for server, port in zip(bot.workers, settings.worker_ports, strict=True)
    )
    schema = f", Schema {settings.postgres_schema}" if settings.postgres_schema else ""
    broker = (
        f"RabbitMQ {settings.rabbitmq.address}, Queue {settings.rabbitmq_queue}"
        if settings.rabbitmq
        else "aus (ASA_RABBITMQ_URL leer)"
    )
    redis = settings.redis
    return (
        "\nDer AsA-Bot ist bereit (Scale-out).\n"
        f"  REST:          POST {base.rest_url}\n"
        '                 {"sender": "ich", "message": "Was kostet AsA flex?"}\n'
        f"  nginx:         {settings.proxy_url} (PID {bot.proxy.process.pid}), Round Robin über "
        f"{len(bot.workers)} Rasa-Server; Zugriffe in {settings.log_dir / 'nginx-access.log'}\n"
        f"{workers}\n"
        f"  Action-Server: http://{url_host(base.host)}:{base.actions_port} "
        f"(PID {bot.actions.process.pid})\n"
        f"  Gespräche:     PostgreSQL {_masked(settings.postgres_url)}{schema}\n"
        f"  Sperren:       Redis {redis.address}/{settings.redis_db}\n"
        f"  Ereignisse:    {broker}\n"
        f"  Aufbewahrung:  {retention}\n"
        "Beenden mit Strg+C."
    )


@contextlib.contextmanager
def running_scaled(settings: ScaledSettings, *, train: bool = True) -> Iterator[ScaledBot]:
    """Check ports and services, start every process, yield once all answer, stop in order."""
    base = settings.base
    if train:
        ensure_model(base)
    elif not base.model_path.is_file():
        raise SetupError(f"Kein trainiertes Modell unter {base.model_path}: `asa-bot train`.")
    check_ports(settings)
    check_postgres(settings)
    check_redis(settings)
    check_rabbitmq(settings)
    nginx = find_nginx()
    config, endpoints = prepare_files(settings)

    env = settings.process_env(os.environ)
    rasa = str(rasa_executable())
    verbosity = _VERBOSITY[base.log_level]
    logs = settings.log_dir
    started: list[_Server] = []
    try:
        actions_command = [rasa, "run", "actions", "--actions", "actions", verbosity]
        actions = _start(
            "Action-Server",
            [*actions_command, "--port", str(base.actions_port)],
            env,
            logs / "actions.log",
            f"http://{url_host(base.host)}:{base.actions_port}/health",
        )
        started.append(actions)
        workers: list[_Server] = []
        for number, port in enumerate(settings.worker_ports, start=1):
            command = server_command("run", "--model", str(base.model_path))
            command += ["--endpoints", str(endpoints)]
            command += ["--credentials", "credentials.yml", "--interface", WORKER_HOST]
            command += [verbosity, "--port", str(port)]
            worker = _start(
                f"Rasa-Server {number}",
                command,
                env,
                logs / f"rasa-{port}.log",
                f"http://{WORKER_HOST}:{port}/",
            )
            workers.append(worker)
            started.append(worker)
        _wait_until_ready([actions, *workers], base.startup_timeout)
        nginx_command = [str(nginx), "-p", str(settings.run_dir), "-c", str(config)]
        proxy = _start(
            "nginx",
            [*nginx_command, "-e", str(logs / "nginx-error.log")],
            env,
            logs / "nginx.log",
            settings.proxy_url + "/",
        )
        started.append(proxy)
        _wait_until_ready([proxy], min(base.startup_timeout, 60.0))
        yield ScaledBot(actions, workers, proxy)
    finally:
        # nginx first, so no request reaches a Rasa server that is stopping.
        for server in reversed(started):
            _stop(server)
        # Configuration, pid file and buffers are written anew at each start; logs stay.
        shutil.rmtree(settings.run_dir, ignore_errors=True)
