"""Files the scale-out profile writes at each start: nginx's configuration and the endpoints."""

from __future__ import annotations

from pathlib import Path

from bot.errors import SetupError
from bot.scaled_settings import WORKER_HOST, ScaledSettings, url_host
from bot.settings import PROJECT_ROOT

#: Endpoints of the profile: PostgreSQL tracker store, Redis lock store, action server.
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.scaled.yml"


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
    listen = f"{url_host(settings.base.host)}:{settings.base.rasa_port}"
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


def prepare_files(settings: ScaledSettings) -> tuple[Path, Path]:
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
