"""Scale-out profile: Rasa processes behind nginx, conversations in PostgreSQL, locks in Redis.

`asa-bot run-scaled` starts one action server, `ASA_RASA_WORKERS` Rasa servers on internal
loopback ports and nginx in front of them on `ASA_HOST:ASA_RASA_PORT`, so clients see one URL.
The Rasa servers share the conversations (PostgreSQL tracker store) and take one conversation's
messages one at a time (Redis lock store, `stores.redis_lock`). nginx hands the requests round
robin to the Rasa servers and skips one that does not answer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from bot.errors import ConfigError, SetupError
from bot.rasa_server import server_command
from bot.serve import (
    _POLL_SECONDS,
    _VERBOSITY,
    _port_is_free,
    _Server,
    _start,
    _stop,
    _tail,
    _wait_until_ready,
)
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.training import ensure_model, rasa_executable

#: Endpoints of the profile: PostgreSQL tracker store, Redis lock store, action server.
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.scaled.yml"
#: Where the Rasa servers listen; only nginx talks to them.
WORKER_HOST = "127.0.0.1"
_CONNECT_TIMEOUT = 3.0
_MAX_WORKERS = 16

_DEFAULTS: dict[str, str] = {
    "ASA_POSTGRES_URL": "postgresql://postgres@127.0.0.1:5432/test",
    "ASA_POSTGRES_SCHEMA": "",
    "ASA_REDIS_URL": "redis://127.0.0.1:6379/0",
    "ASA_RABBITMQ_URL": "",
    "ASA_RABBITMQ_QUEUE": "asa_events",
    "ASA_RASA_WORKERS": "2",
    "ASA_RASA_WORKER_PORT": "",
}

#: TensorFlow threads per Rasa process: the processes run side by side, one per core, so each
#: computes with one thread instead of every process spreading its work over all cores.
_TF_THREADS = {"TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1"}

#: Connections each Rasa process keeps to PostgreSQL (Rasa's defaults, 50 + 100, would exhaust
#: PostgreSQL's usual limit of 100 connections with a few processes).
_SQL_POOL = {"SQL_POOL_SIZE": "5", "SQL_MAX_OVERFLOW": "15"}


@dataclass(frozen=True)
class Endpoint:
    """Host, port and credentials of a service, read from its URL."""

    host: str
    port: int
    user: str
    password: str
    path: str

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _split(variable: str, url: str, schemes: tuple[str, ...]) -> SplitResult:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        example = f"{schemes[0]}://host:port/…"
        raise ConfigError(f"{variable}={url!r} ist keine gültige Adresse (erwartet: {example}).")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ConfigError(f"{variable}={url!r}: der Port ist keine Zahl.") from None
    return parts


def _endpoint(parts: SplitResult, default_port: int) -> Endpoint:
    return Endpoint(
        host=parts.hostname or "",
        port=parts.port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        path=parts.path,
    )


def parse_postgres_url(url: str) -> tuple[str, Endpoint, str]:
    """The URL as SQLAlchemy takes it (`postgresql://`), its endpoint and the database name."""
    parts = _split("ASA_POSTGRES_URL", url, ("postgresql", "postgres", "postgresql+psycopg2"))
    database = parts.path.lstrip("/")
    if not database or "/" in database:
        raise ConfigError(
            f"ASA_POSTGRES_URL={url!r} nennt keine Datenbank "
            "(erwartet: postgresql://benutzer@host:5432/datenbank)."
        )
    normalized = parts._replace(scheme="postgresql").geturl()
    return normalized, _endpoint(parts, 5432), database


def parse_redis_url(url: str) -> tuple[Endpoint, int]:
    """Endpoint and database number of a `redis://[user:password@]host[:port][/db]` URL."""
    parts = _split("ASA_REDIS_URL", url, ("redis",))
    raw_db = parts.path.lstrip("/") or "0"
    if not raw_db.isdigit():
        raise ConfigError(f"ASA_REDIS_URL={url!r}: die Datenbank muss eine Zahl sein (z. B. /0).")
    return _endpoint(parts, 6379), int(raw_db)


def parse_rabbitmq_url(url: str) -> Endpoint:
    """Endpoint of an `amqp://user:password@host[:port]` URL (user and password default: guest)."""
    parts = _split("ASA_RABBITMQ_URL", url, ("amqp",))
    if parts.path not in ("", "/"):
        raise ConfigError(
            f"ASA_RABBITMQ_URL={url!r}: ein eigener virtueller Host wird nicht unterstützt; "
            "bitte ohne Pfad angeben (amqp://benutzer:passwort@host:5672)."
        )
    endpoint = _endpoint(parts, 5672)
    return Endpoint(
        endpoint.host, endpoint.port, endpoint.user or "guest", endpoint.password or "guest", ""
    )


@dataclass(frozen=True)
class ScaledSettings:
    """The base settings plus the services and processes of the scale-out profile."""

    base: Settings
    postgres_url: str
    postgres: Endpoint
    postgres_database: str
    postgres_schema: str
    redis: Endpoint
    redis_db: int
    rabbitmq: Endpoint | None
    rabbitmq_queue: str
    workers: int
    worker_port: int

    @property
    def worker_ports(self) -> tuple[int, ...]:
        return tuple(self.worker_port + i for i in range(self.workers))

    @property
    def proxy_url(self) -> str:
        return f"http://{_url_host(self.base.host)}:{self.base.rasa_port}"

    @property
    def run_dir(self) -> Path:
        """nginx configuration, pid file and buffers of this profile's instance."""
        return self.base.data_dir / "scaled" / str(self.base.rasa_port)

    @property
    def log_dir(self) -> Path:
        return self.base.data_dir / "logs" / f"scaled-{self.base.rasa_port}"

    def process_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """Variables for the child processes: those of the base profile plus the services'."""
        env = {**environ, **self.base.process_env()}
        env["ASA_POSTGRES_URL"] = self.postgres_url
        env.pop("POSTGRESQL_SCHEMA", None)
        if self.postgres_schema:
            env["POSTGRESQL_SCHEMA"] = self.postgres_schema  # read by Rasa's SQL tracker store
        for name, value in {**_SQL_POOL, **_TF_THREADS}.items():
            env[name] = environ.get(name) or value
        env.update(
            ASA_REDIS_HOST=self.redis.host,
            ASA_REDIS_PORT=str(self.redis.port),
            ASA_REDIS_DB=str(self.redis_db),
            ASA_REDIS_USER=self.redis.user,
            ASA_REDIS_PASSWORD=self.redis.password,
        )
        if self.rabbitmq is not None:
            env.update(
                ASA_RABBITMQ_HOST=self.rabbitmq.host,
                ASA_RABBITMQ_PORT=str(self.rabbitmq.port),
                ASA_RABBITMQ_USER=self.rabbitmq.user,
                ASA_RABBITMQ_PASSWORD=self.rabbitmq.password,
                ASA_RABBITMQ_QUEUE=self.rabbitmq_queue,
            )
        return env


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def load_scaled_settings(environ: Mapping[str, str] | None = None) -> ScaledSettings:
    """Read the profile's settings (after `.env`, like `load_settings`)."""
    base = load_settings(environ)
    source = os.environ if environ is None else environ
    values = {key: source.get(key) or default for key, default in _DEFAULTS.items()}

    postgres_url, postgres, database = parse_postgres_url(values["ASA_POSTGRES_URL"])
    schema = values["ASA_POSTGRES_SCHEMA"]
    if schema and not schema.replace("_", "").isalnum():
        raise ConfigError(
            f"ASA_POSTGRES_SCHEMA={schema!r}: nur Buchstaben, Ziffern und _ sind erlaubt."
        )
    redis, redis_db = parse_redis_url(values["ASA_REDIS_URL"])
    rabbit = values["ASA_RABBITMQ_URL"]
    rabbitmq = parse_rabbitmq_url(rabbit) if rabbit else None
    queue = values["ASA_RABBITMQ_QUEUE"]
    if not all(c.isalnum() or c in "_.-" for c in queue):
        raise ConfigError(
            f"ASA_RABBITMQ_QUEUE={queue!r}: nur Buchstaben, Ziffern und _ . - sind erlaubt."
        )

    try:
        workers = int(values["ASA_RASA_WORKERS"])
    except ValueError:
        raise ConfigError("ASA_RASA_WORKERS muss eine ganze Zahl sein (z. B. 2).") from None
    if not 1 <= workers <= _MAX_WORKERS:
        raise ConfigError(f"ASA_RASA_WORKERS={workers}: erlaubt sind 1 bis {_MAX_WORKERS}.")
    raw_port = values["ASA_RASA_WORKER_PORT"] or str(base.rasa_port + 1)
    try:
        worker_port = int(raw_port)
    except ValueError:
        raise ConfigError(f"ASA_RASA_WORKER_PORT={raw_port!r} ist keine Portnummer.") from None
    if not 1 <= worker_port <= 65535 - workers + 1:
        raise ConfigError(
            f"ASA_RASA_WORKER_PORT={worker_port}: mit {workers} Rasa-Servern reichen die Ports "
            "über 65535 hinaus."
        )
    if base.rasa_port in range(worker_port, worker_port + workers):
        raise ConfigError(
            f"ASA_RASA_WORKER_PORT={worker_port} überschneidet sich mit ASA_RASA_PORT="
            f"{base.rasa_port}, auf dem nginx lauscht."
        )
    return ScaledSettings(
        base=base,
        postgres_url=postgres_url,
        postgres=postgres,
        postgres_database=database,
        postgres_schema=schema,
        redis=redis,
        redis_db=redis_db,
        rabbitmq=rabbitmq,
        rabbitmq_queue=queue,
        workers=workers,
        worker_port=worker_port,
    )


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


# --- Generated files ---------------------------------------------------------------------------


def endpoints_text(settings: ScaledSettings) -> str:
    """`endpoints.scaled.yml`, plus the RabbitMQ event broker when `ASA_RABBITMQ_URL` is set."""
    text = ENDPOINTS_FILE.read_text(encoding="utf-8")
    if settings.rabbitmq is None:
        return text
    return (
        text.rstrip("\n")
        + "\n\n# Added by `asa-bot run-scaled` because ASA_RABBITMQ_URL is set.\n"
        + "event_broker:\n"
        + "  type: pika\n"
        + "  url: ${ASA_RABBITMQ_HOST}\n"
        + "  port: ${ASA_RABBITMQ_PORT}\n"
        + "  username: ${ASA_RABBITMQ_USER}\n"
        + "  password: ${ASA_RABBITMQ_PASSWORD}\n"
        + "  queues:\n"
        + "    - ${ASA_RABBITMQ_QUEUE}\n"
    )


def nginx_config(settings: ScaledSettings) -> str:
    """nginx configuration: one public address, round robin over the Rasa servers.

    Paths are quoted, so a project folder with spaces works; nginx must not see a `"` in them.
    """
    run_dir = settings.run_dir
    logs = settings.log_dir
    servers = "\n".join(
        f"        server {WORKER_HOST}:{port} max_fails=1 fail_timeout=10s;"
        for port in settings.worker_ports
    )
    listen = f"{_url_host(settings.base.host)}:{settings.base.rasa_port}"
    # nginx variables ($…) are written literally; only {…} below are filled in.
    return f"""# Written by `asa-bot run-scaled` at every start; changes here are overwritten.
daemon off;
master_process on;
worker_processes 1;
pid "{run_dir / "nginx.pid"}";
error_log "{logs / "nginx-error.log"}" warn;

events {{
    worker_connections 1024;
}}

http {{
    client_body_temp_path "{run_dir / "tmp" / "client_body"}";
    proxy_temp_path "{run_dir / "tmp" / "proxy"}";
    fastcgi_temp_path "{run_dir / "tmp" / "fastcgi"}";
    uwsgi_temp_path "{run_dir / "tmp" / "uwsgi"}";
    scgi_temp_path "{run_dir / "tmp" / "scgi"}";

    log_format asa '$time_iso8601 $request_method $uri $status '
                   'upstream=$upstream_addr upstream_status=$upstream_status '
                   'time=$request_time';
    access_log "{logs / "nginx-access.log"}" asa;

    # REST and other HTTP requests: round robin. A Rasa server that refuses the connection or
    # does not answer in time is skipped and left out for 10 s.
    upstream asa_rasa {{
        zone asa_rasa 64k;
{servers}
        # Connections to the Rasa servers stay open between requests (idle ones close after
        # 60 s, before Rasa's own 120 s), so a message does not open a new one.
        keepalive 16;
        keepalive_timeout 60s;
    }}

    # socket.io keeps a session in the Rasa process that opened it: the same client always
    # reaches the same process.
    upstream asa_rasa_socketio {{
        ip_hash;
        zone asa_rasa_socketio 64k;
{servers}
    }}

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}

    server {{
        listen {listen};
        client_max_body_size 1m;

        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_connect_timeout 2s;
        proxy_read_timeout 120s;
        proxy_next_upstream error timeout;
        proxy_next_upstream_tries {settings.workers};

        location / {{
            proxy_set_header Connection "";
            proxy_pass http://asa_rasa;
        }}

        location /socket.io/ {{
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_pass http://asa_rasa_socketio;
        }}
    }}
}}
"""


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

    def wait(self) -> int:
        """Block until Ctrl-C or SIGTERM (exit 0) or until the profile cannot serve (exit 1)."""
        stop = {"signal": False}

        def _handler(signum: int, frame: object) -> None:
            stop["signal"] = True

        previous = signal.signal(signal.SIGTERM, _handler)
        try:
            while not stop["signal"]:
                message = self.check()
                if message:
                    print(message, flush=True)
                    return 1
                time.sleep(_POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        return 0


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def startup_text(settings: ScaledSettings, bot: ScaledBot) -> str:
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
        f"  Action-Server: http://{_url_host(base.host)}:{base.actions_port} "
        f"(PID {bot.actions.process.pid})\n"
        f"  Gespräche:     PostgreSQL {_masked(settings.postgres_url)}{schema}\n"
        f"  Sperren:       Redis {redis.address}/{settings.redis_db}\n"
        f"  Ereignisse:    {broker}\n"
        "Beenden mit Strg+C."
    )


def _prepare_files(settings: ScaledSettings) -> tuple[Path, Path]:
    """Write nginx's configuration and the endpoints; return both paths."""
    run_dir = settings.run_dir
    if '"' in str(run_dir) or '"' in str(settings.log_dir):
        raise SetupError(f"nginx kann keinen Pfad mit Anführungszeichen nutzen: {run_dir}")
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    config = run_dir / "nginx.conf"
    config.write_text(nginx_config(settings), encoding="utf-8")
    if settings.rabbitmq is None:
        return config, ENDPOINTS_FILE
    endpoints = run_dir / "endpoints.yml"
    endpoints.write_text(endpoints_text(settings), encoding="utf-8")
    return config, endpoints


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
    config, endpoints = _prepare_files(settings)

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
            f"http://{_url_host(base.host)}:{base.actions_port}/health",
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
