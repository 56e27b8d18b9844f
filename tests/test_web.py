"""The demo page's web server, and the settings for the page port and the widget's origins."""

from __future__ import annotations

import re
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from bot import serve
from bot.errors import ConfigError, SetupError
from bot.settings import load_settings
from bot.web import PLACEHOLDER, WEB_ROOT, make_server, render_page
from tests.conftest import free_port

RASA_URL = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def web_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, RASA_URL)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def test_demo_page_embeds_the_widget_with_the_rasa_url_and_a_strict_policy(web_url: str) -> None:
    status, headers, page = _get(web_url + "/")
    assert status == 200
    assert '<html lang="de">' in page
    assert f'<script src="/widget/asa-widget.js" data-server="{RASA_URL}" defer>' in page
    assert PLACEHOLDER not in page
    assert "0800 4 5555 20" in page
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert f"connect-src 'self' {RASA_URL};" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_page_and_widget_load_nothing_from_other_hosts() -> None:
    page = (WEB_ROOT / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="([^"]*)"', page)
    assert loaded, "no script or stylesheet found in the demo page"
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
    for css in [*WEB_ROOT.glob("*.css"), *WEB_ROOT.glob("widget/*.css")]:
        text = css.read_text(encoding="utf-8")
        assert "url(" not in text and "@import" not in text, css.name
    widget = (WEB_ROOT / "widget" / "asa-widget.js").read_text(encoding="utf-8")
    assert 'new URL("vendor/socket.io.min.js", base)' in widget
    assert 'new URL("asa-widget.css", base)' in widget


def test_widget_files_are_served_and_folders_are_not_listed(web_url: str) -> None:
    status, headers, script = _get(web_url + "/widget/asa-widget.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]
    assert "textContent" in script
    assert _get(web_url + "/widget/vendor/socket.io.min.js")[0] == 200
    assert _get(web_url + "/widget/")[0] == 404
    assert _get(web_url + "/../bot/settings.py")[0] == 404


def test_rasa_url_is_escaped_into_the_attribute() -> None:
    page = render_page(f'<script data-server="{PLACEHOLDER}">', 'http://x"><script>')
    assert page == '<script data-server="http://x&quot;&gt;&lt;script&gt;">'


def test_widget_origins_default_to_the_demo_page_and_follow_its_port() -> None:
    assert load_settings({}).widget_origins == ("http://localhost:8080", "http://127.0.0.1:8080")
    settings = load_settings({"ASA_WEB_PORT": "9090", "ASA_HOST": "10.0.0.5"})
    assert settings.web_port == 9090
    assert settings.widget_origins == (
        "http://localhost:9090",
        "http://127.0.0.1:9090",
        "http://10.0.0.5:9090",
    )
    assert settings.process_env()["ASA_WIDGET_ORIGINS"] == " ".join(settings.widget_origins)
    assert settings.web_url == "http://10.0.0.5:9090/"


def test_widget_origins_are_written_as_browsers_send_them() -> None:
    settings = load_settings(
        {"ASA_WIDGET_ORIGINS": "https://WWW.Example.de/, http://a.de:80 https://b.de:8443"}
    )
    assert settings.widget_origins == ("https://www.example.de", "http://a.de", "https://b.de:8443")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ASA_WEB_PORT", "achtzig"),
        ("ASA_WIDGET_ORIGINS", "*"),
        ("ASA_WIDGET_ORIGINS", "www.example.de"),
        ("ASA_WIDGET_ORIGINS", "https://www.example.de/chat"),
        ("ASA_WIDGET_ORIGINS", "ftp://example.de"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings({variable: value})


def test_busy_web_port_names_the_variable_to_change(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        settings = load_settings(
            {
                "ASA_WEB_PORT": str(port),
                "ASA_RASA_PORT": str(free_port()),
                "ASA_ACTIONS_PORT": str(free_port()),
                "ASA_DATA_DIR": str(tmp_path),
            }
        )
        with pytest.raises(SetupError, match="ASA_WEB_PORT"):
            serve._check_ports(settings)
