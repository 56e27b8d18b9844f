"""Settings of the scale-out profile: services, Rasa processes and their environment.

Read from the environment (after `.env`, like `bot.settings`); every value that cannot work is
refused with a German `ConfigError` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from bot.errors import ConfigError
from bot.settings import Settings, load_settings

#: Where the Rasa servers listen; only nginx talks to them.
WORKER_HOST = "127.0.0.1"
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
        return f"http://{url_host(self.base.host)}:{self.base.rasa_port}"

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


def url_host(host: str) -> str:
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
