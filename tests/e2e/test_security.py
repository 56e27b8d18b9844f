"""Security of the running bot: HTTP API off or behind a token, loopback only, kind rate limit,
no message texts in the logs at INFO."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

from bot.domain_text import response_texts
from bot.settings import PROJECT_ROOT, load_settings
from tests.conftest import BotProcess
from tests.e2e.http import request, say, texts

LINUX = sys.platform.startswith("linux")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/conversations/someone/tracker"),
        ("POST", "/conversations/someone/messages"),
        ("PUT", "/conversations/someone/tracker/events"),
        ("GET", "/status"),
        ("POST", "/model/parse"),
        ("DELETE", "/model"),
    ],
)
def test_http_api_is_off_by_default(running_bot: BotProcess, method: str, path: str) -> None:
    body = b"{}" if method in {"POST", "PUT"} else None
    status, _ = request(f"http://127.0.0.1:{running_bot.rasa_port}{path}", body, method=method)
    assert status in (403, 404), f"{method} {path} answered {status}"


def test_http_api_with_token_refuses_requests_without_it(api_bot: BotProcess) -> None:
    base = f"http://127.0.0.1:{api_bot.rasa_port}"
    sender = f"api-{uuid.uuid4().hex}"
    assert texts(say(api_bot, sender, "Hallo")[1])
    tracker = f"{base}/conversations/{sender}/tracker"
    assert request(tracker)[0] == 401
    assert request(f"{tracker}?token=falsch")[0] == 401
    assert request(f"{base}/status")[0] == 401
    status, body = request(f"{tracker}?token={api_bot.api_token}")
    assert status == 200 and body["sender_id"] == sender


@pytest.mark.skipif(not LINUX, reason="reads /proc, which only Linux has")
def test_api_token_is_not_visible_in_the_process_list(api_bot: BotProcess) -> None:
    seen = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes()
        except OSError:
            continue
        seen += 1
        assert api_bot.api_token.encode() not in arguments, cmdline
    assert seen > 3


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex as in /proc/net/tcp*) of sockets listening on `port`."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not LINUX, reason="reads /proc/net/tcp, which only Linux has")
def test_both_servers_listen_on_loopback_only(running_bot: BotProcess) -> None:
    loopback = "0100007F"  # 127.0.0.1, little-endian hex
    for name, port in (("Rasa", running_bot.rasa_port), ("actions", running_bot.actions_port)):
        addresses = _listening_addresses(port)
        assert addresses, f"nothing listens on the {name} port {port}"
        assert addresses == {loopback}, f"{name} server listens on {addresses} (not 127.0.0.1)"


def test_too_many_messages_get_a_kind_reply(running_bot: BotProcess) -> None:
    settings = load_settings()
    limit = settings.rate_limit_messages
    if limit == 0 or limit > 60:
        pytest.skip(f"ASA_RATE_LIMIT ist in dieser Umgebung {limit}/…; geprüft wird 1–60")
    kind = response_texts(["utter_zu_viele_nachrichten"])["utter_zu_viele_nachrichten"]
    sender = f"rate-{uuid.uuid4().hex}"
    for number in range(limit):
        status, replies = say(running_bot, sender, "Was kostet AsA flex?")
        assert status == 200 and kind not in texts(replies), f"message {number + 1} refused"
    status, replies = say(running_bot, sender, "Was kostet AsA flex?")
    assert status == 200
    assert texts(replies) == kind
    status, replies = say(running_bot, f"rate-{uuid.uuid4().hex}", "Was kostet AsA flex?")
    assert status == 200 and kind not in texts(replies), "another sender is not affected"


def test_message_texts_do_not_reach_the_logs_at_info(api_bot: BotProcess) -> None:
    marker = f"Geheim{uuid.uuid4().hex}"
    sender = f"log-{uuid.uuid4().hex}"
    messages = [
        f"Hallo, ich heiße {marker}",
        "/bin_jugendlich",
        f"Ich mache eine Ausbildung als {marker}",
        f'/info{{"situation":"{marker}"}}',
        f"{marker} " * 1000,  # too long: rejected by the guard
        f"Was kostet AsA flex? {marker}",
    ]
    for message in messages:
        assert say(api_bot, sender, message)[0] == 200
    logs = sorted((PROJECT_ROOT / "var" / "logs").glob("*.log"))
    assert logs, "no log files in var/logs"
    rasa_log = (PROJECT_ROOT / "var" / "logs" / "rasa.log").read_text(errors="replace")
    this_run = f"Starting Rasa server on http://127.0.0.1:{api_bot.rasa_port}"
    assert this_run in rasa_log, "the bot under test does not log to var/logs at INFO"
    for path in [*logs, api_bot.output]:
        assert marker not in path.read_text(errors="replace"), f"message text in {path}"
