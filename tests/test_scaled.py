"""Scale-out profile without services: settings, generated files, checks and the process watch."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot import scaled, scaled_files, scaled_settings
from bot.errors import ConfigError, SetupError
from bot.serve import _Server

ROOT = Path(__file__).resolve().parent.parent


def _settings(tmp_path: Path, **values: str) -> scaled_settings.ScaledSettings:
    return scaled_settings.load_scaled_settings({"ASA_DATA_DIR": str(tmp_path), **values})


def _closed_port() -> int:
    """A loopback port nobody listens on (bound and released again)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_defaults_are_the_local_services_and_two_workers_after_the_public_port(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    assert settings.postgres_url == "postgresql://postgres@127.0.0.1:5432/test"
    assert (settings.postgres.address, settings.postgres_database) == ("127.0.0.1:5432", "test")
    assert (settings.redis.address, settings.redis_db) == ("127.0.0.1:6379", 0)
    assert settings.rabbitmq is None
    assert settings.worker_ports == (5006, 5007)
    assert settings.proxy_url == "http://127.0.0.1:5005"
    assert settings.run_dir == tmp_path / "scaled" / "5005"
    assert settings.log_dir == tmp_path / "logs" / "scaled-5005"


def test_urls_are_read_into_their_parts(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        ASA_POSTGRES_URL="postgres://asa:ge%2Fheim@db.local/bot",
        ASA_REDIS_URL="redis://:pw@cache:6380/3",
        ASA_RABBITMQ_URL="amqp://user:secret@mq:5673",
        ASA_RASA_WORKERS="3",
        ASA_RASA_WORKER_PORT="7000",
    )
    assert settings.postgres_url == "postgresql://asa:ge%2Fheim@db.local/bot"
    assert settings.postgres.password == "ge/heim"
    assert settings.postgres.port == 5432
    assert (settings.redis.host, settings.redis.port, settings.redis.password) == (
        "cache",
        6380,
        "pw",
    )
    assert settings.redis_db == 3
    assert settings.rabbitmq == scaled_settings.Endpoint("mq", 5673, "user", "secret", "")
    assert settings.worker_ports == (7000, 7001, 7002)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ASA_POSTGRES_URL": "mysql://root@127.0.0.1/test"}, "ASA_POSTGRES_URL"),
        ({"ASA_POSTGRES_URL": "postgresql://postgres@127.0.0.1:5432"}, "keine Datenbank"),
        ({"ASA_POSTGRES_URL": "postgresql://postgres@127.0.0.1:x/test"}, "Port ist keine Zahl"),
        ({"ASA_POSTGRES_SCHEMA": "a; DROP TABLE events"}, "ASA_POSTGRES_SCHEMA"),
        ({"ASA_REDIS_URL": "redis://127.0.0.1:6379/zwei"}, "Datenbank muss eine Zahl"),
        ({"ASA_RABBITMQ_URL": "amqp://guest:guest@127.0.0.1/vhost"}, "virtueller Host"),
        ({"ASA_RABBITMQ_QUEUE": "a b"}, "ASA_RABBITMQ_QUEUE"),
        ({"ASA_RASA_WORKERS": "0"}, "ASA_RASA_WORKERS"),
        ({"ASA_RASA_WORKERS": "zwei"}, "ganze Zahl"),
        ({"ASA_RASA_WORKER_PORT": "65535"}, "65535"),
        ({"ASA_RASA_WORKER_PORT": "5004"}, "überschneidet sich"),
    ],
)
def test_unusable_values_are_refused_in_german(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        _settings(tmp_path, **values)


def test_child_environment_carries_the_services_and_the_schema_only_when_set(
    tmp_path: Path,
) -> None:
    plain = _settings(tmp_path).process_env({"POSTGRESQL_SCHEMA": "fremd", "PATH": "/bin"})
    assert "POSTGRESQL_SCHEMA" not in plain
    assert plain["PATH"] == "/bin"
    assert plain["ASA_POSTGRES_URL"] == "postgresql://postgres@127.0.0.1:5432/test"
    assert (plain["ASA_REDIS_HOST"], plain["ASA_REDIS_PORT"], plain["ASA_REDIS_DB"]) == (
        "127.0.0.1",
        "6379",
        "0",
    )
    assert plain["ASA_REDIS_PASSWORD"] == ""
    assert (plain["SQL_POOL_SIZE"], plain["SQL_MAX_OVERFLOW"]) == ("5", "15")
    threads = ("TF_INTER_OP_PARALLELISM_THREADS", "TF_INTRA_OP_PARALLELISM_THREADS")
    assert [plain[name] for name in threads] == ["1", "1"]
    assert "ASA_RABBITMQ_HOST" not in plain

    env = _settings(
        tmp_path, ASA_POSTGRES_SCHEMA="asa_test", ASA_RABBITMQ_URL="amqp://127.0.0.1"
    ).process_env({"SQL_POOL_SIZE": "9", "TF_INTRA_OP_PARALLELISM_THREADS": "2"})
    assert env["POSTGRESQL_SCHEMA"] == "asa_test"
    assert env["SQL_POOL_SIZE"] == "9"
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"
    assert (env["ASA_RABBITMQ_USER"], env["ASA_RABBITMQ_PASSWORD"]) == ("guest", "guest")
    assert env["ASA_RABBITMQ_PORT"] == "5672"


def test_rasa_reads_the_scaled_endpoints_with_the_runner_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.utils import read_endpoints_from_path

    settings = _settings(
        tmp_path, ASA_REDIS_URL="redis://:pw@127.0.0.1:6380/2", ASA_RABBITMQ_URL="amqp://mq"
    )
    for name, value in settings.process_env({}).items():
        monkeypatch.setenv(name, value)
    endpoints = read_endpoints_from_path(scaled_files.ENDPOINTS_FILE)
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.tracker_store.url == "postgresql://postgres@127.0.0.1:5432/test"
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.lock_store.type == "stores.redis_lock.AtomicRedisLockStore"
    assert endpoints.lock_store.url == "127.0.0.1"
    assert endpoints.lock_store.kwargs == {
        "port": "6380",
        "db": "2",
        "username": "",
        "password": "pw",
    }
    assert endpoints.event_broker is None
    assert endpoints.action.url == settings.base.actions_url

    with_broker = tmp_path / "endpoints.yml"
    with_broker.write_text(scaled_files.endpoints_text(settings), encoding="utf-8")
    broker = read_endpoints_from_path(with_broker).event_broker
    assert broker.type == "pika"
    assert broker.url == "mq"
    assert broker.kwargs["queues"] == ["asa_events"]
    assert (broker.kwargs["username"], broker.kwargs["port"]) == ("guest", "5672")


def test_lock_store_is_built_the_way_rasa_builds_custom_lock_stores() -> None:
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from stores.redis_lock import AtomicRedisLockStore

    config = EndpointConfig(
        url="127.0.0.1",
        type="stores.redis_lock.AtomicRedisLockStore",
        port="6399",
        db="4",
        password="",
    )
    store = LockStore.create(config)  # no connection is made before the first command
    assert isinstance(store, AtomicRedisLockStore)
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6399, 4)


def test_nginx_config_balances_round_robin_skips_dead_servers_and_keeps_socketio_sticky(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, ASA_RASA_PORT="6100", ASA_RASA_WORKERS="3")
    config = scaled_files.nginx_config(settings)
    assert "daemon off;" in config
    assert "listen 127.0.0.1:6100;" in config
    for port in (6101, 6102, 6103):
        assert config.count(f"server 127.0.0.1:{port} ") == 2
    assert "proxy_next_upstream error timeout;" in config
    assert "proxy_next_upstream_tries 3;" in config
    socketio = config[config.index("location /socket.io/") :]
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio
    assert "proxy_pass http://asa_rasa_socketio;" in socketio
    plain = config[config.index("upstream asa_rasa {") : config.index("upstream asa_rasa_socketio")]
    assert "keepalive 16;" in plain
    assert "keepalive_timeout 60s;" in plain
    sticky = config[config.index("upstream asa_rasa_socketio") :]
    assert sticky.index("ip_hash;") < sticky.index("}")
    assert str(settings.run_dir / "nginx.pid") in config
    assert str(settings.log_dir / "nginx-access.log") in config


def test_generated_nginx_config_is_valid_for_the_installed_nginx(tmp_path: Path) -> None:
    try:
        nginx = scaled.find_nginx()
    except SetupError as error:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"{error} (`make nginx`)")
    settings = _settings(tmp_path, ASA_RASA_PORT=str(_closed_port()))
    config, _ = scaled_files.prepare_files(settings)
    error_log = settings.log_dir / "nginx-error.log"
    result = subprocess.run(
        [str(nginx), "-t", "-p", str(settings.run_dir), "-c", str(config), "-e", str(error_log)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("check", "variable", "name"),
    [
        (scaled.check_postgres, "ASA_POSTGRES_URL", "PostgreSQL"),
        (scaled.check_redis, "ASA_REDIS_URL", "Redis"),
        (scaled.check_rabbitmq, "ASA_RABBITMQ_URL", "RabbitMQ"),
    ],
)
def test_unreachable_service_is_named_with_its_address_and_variable(
    tmp_path: Path, check: object, variable: str, name: str
) -> None:
    port = _closed_port()
    scheme = {"PostgreSQL": "postgresql", "Redis": "redis", "RabbitMQ": "amqp"}[name]
    url = (
        f"{scheme}://127.0.0.1:{port}/test"
        if name == "PostgreSQL"
        else f"{scheme}://127.0.0.1:{port}"
    )
    settings = _settings(tmp_path, **{variable: url})
    assert callable(check)
    with pytest.raises(
        SetupError, match=rf"{name} auf 127\.0\.0\.1:{port} nicht erreichbar"
    ) as info:
        check(settings)
    assert variable in str(info.value)


def test_busy_worker_port_names_the_variable_to_change(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        settings = _settings(
            tmp_path,
            ASA_RASA_PORT=str(_closed_port()),
            ASA_ACTIONS_PORT=str(_closed_port()),
            ASA_RASA_WORKERS="1",
            ASA_RASA_WORKER_PORT=str(busy),
        )
        with pytest.raises(SetupError, match=rf"Port {busy} .*Rasa-Server 1.*ASA_RASA_WORKER_PORT"):
            scaled.check_ports(settings)


def _finished(code: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", f"raise SystemExit({code})"])
    process.wait(timeout=30)
    return process


def _running() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_one_dead_worker_is_reported_once_and_the_profile_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "x.log"
    alive = [_running() for _ in range(3)]
    try:
        actions = _Server("Action-Server", alive[0], "", log)
        proxy = _Server("nginx", alive[1], "", log)
        workers = [_Server("Rasa-Server 1", _finished(1), "", log)]
        workers.append(_Server("Rasa-Server 2", alive[2], "", log))
        bot = scaled.ScaledBot(actions, workers, proxy)
        assert bot.check() is None
        assert bot.check() is None
        out = capsys.readouterr().out
        assert out.count("Rasa-Server 1 hat sich beendet") == 1

        alive[2].kill()
        alive[2].wait(timeout=30)
        message = bot.check()
        assert message is not None and "Alle Rasa-Server" in message

        alive[1].kill()
        alive[1].wait(timeout=30)
        message = bot.check()
        assert message is not None and message.startswith("nginx hat sich beendet")
    finally:
        for process in alive:
            process.kill()
            process.wait(timeout=30)


def test_startup_text_names_the_one_url_and_hides_passwords(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ASA_POSTGRES_URL="postgresql://asa:geheim@127.0.0.1:5432/bot")
    log = tmp_path / "x.log"
    process = _finished(0)
    server = _Server("Rasa-Server 1", process, "", log)
    bot = scaled.ScaledBot(server, [server, server], server)
    text = scaled.startup_text(settings, bot, "alle 24 Stunden")
    assert "POST http://127.0.0.1:5005/webhooks/rest/webhook" in text
    assert "Aufbewahrung:  alle 24 Stunden\n" in text
    assert "Rasa-Server 1: http://127.0.0.1:5006" in text
    assert "geheim" not in text and "asa:***@" in text
    assert "Der AsA-Bot ist bereit (Scale-out)" in text


def test_every_scale_out_variable_is_in_env_example_and_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line}
    for name in scaled_settings._DEFAULTS:
        assert name in documented, name
        assert f"| `{name}` |" in readme, name
