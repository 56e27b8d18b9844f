"""The scale-out profile against the real services: two Rasa servers behind nginx share one
conversation through PostgreSQL and take its messages one at a time through the Redis lock.

The profile is started once for the module, in a PostgreSQL schema of its own that is dropped at
the end; every conversation has its own sender id.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.chat import send
from bot.scaled_settings import ScaledSettings
from tests.conftest import ASA_BOT, ROOT, free_port, port_answers, stop_process
from tests.e2e.services import (
    drain_queue,
    own_schema,
    rabbitmq_url,
    require_services,
    scaled_settings,
    stored_events,
    user_texts,
)

START_TIMEOUT = 420.0  # two Rasa servers on 2 shared cores
READY = "Der AsA-Bot ist bereit (Scale-out)"


@dataclass
class ScaledProcess:
    process: subprocess.Popen[str]
    output: Path
    rest_url: str
    rasa_port: int
    actions_port: int
    worker_ports: tuple[int, ...]
    settings: ScaledSettings
    schema: str
    rabbitmq_url: str | None
    rabbitmq_queue: str
    rabbitmq_reason: str

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> dict[int, int]:
        """Internal port → PID of each Rasa server, as printed at start-up."""
        found = re.findall(r"Rasa-Server \d+: http://127\.0\.0\.1:(\d+) \(PID (\d+)", self.log())
        return {int(port): int(pid) for port, pid in found}

    def access_log(self) -> Path:
        match = re.search(r"Zugriffe in (\S+nginx-access\.log)", self.log())
        assert match, self.log()
        return Path(match.group(1))

    def events(self, sender: str) -> list[dict[str, Any]]:
        return stored_events(self.settings, self.schema, sender)


def _consecutive_free_ports(count: int) -> int:
    for _ in range(50):
        first = free_port()
        ports = range(first, first + count)
        if all(_free(port) for port in ports):
            return first
    raise AssertionError(f"no {count} consecutive free loopback ports found")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _stop(bot: ScaledProcess, timeout: float = 90.0) -> int:
    """SIGTERM, as a service manager sends it; the runner then stops its children in order."""
    return stop_process(bot.process, signal.SIGTERM, timeout)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledProcess]:
    settings = scaled_settings()
    require_services(settings)
    tmp = tmp_path_factory.mktemp("scaled")
    rabbit, reason = rabbitmq_url()
    queue = f"asa_e2e_{uuid.uuid4().hex[:12]}"
    with own_schema(settings) as schema:
        rasa_port, actions_port = free_port(), free_port()
        worker_port = _consecutive_free_ports(2)
        env = {
            **os.environ,
            "ASA_HOST": "127.0.0.1",
            "ASA_RASA_PORT": str(rasa_port),
            "ASA_ACTIONS_PORT": str(actions_port),
            "ASA_RASA_WORKERS": "2",
            "ASA_RASA_WORKER_PORT": str(worker_port),
            "ASA_POSTGRES_SCHEMA": schema,
            # Events go to a queue of this module's own when RabbitMQ is there.
            "ASA_RABBITMQ_URL": rabbit or "",
            "ASA_RABBITMQ_QUEUE": queue,
        }
        output = tmp / "run-scaled.log"
        with output.open("w") as log:
            process = subprocess.Popen(
                [str(ASA_BOT), "run-scaled", "--no-train"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        bot = ScaledProcess(
            process,
            output,
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            rasa_port,
            actions_port,
            (worker_port, worker_port + 1),
            settings,
            schema,
            rabbit,
            queue,
            reason,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while READY not in bot.log():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"asa-bot run-scaled did not become ready:\n{bot.log()}")
                time.sleep(1)
            yield bot
        finally:
            _stop(bot)
            if rabbit:
                drain_queue(rabbit, queue, delete=True)
            # Keep the servers' logs with the test's other output, not in var/logs.
            log_dir = settings.base.data_dir / "logs" / f"scaled-{rasa_port}"
            if log_dir.is_dir():
                shutil.move(str(log_dir), str(tmp / "logs"))


def _say(bot: ScaledProcess, sender: str, message: str, url: str | None = None) -> str:
    replies = send(url or bot.rest_url, sender, message, timeout=60)
    assert replies, f"no reply to {message!r}"
    return "\n".join(str(r.get("text", "")) for r in replies)


def _proxied_upstreams(log: Path, skip_lines: int, expected: int) -> list[str]:
    """Upstream field of each REST request nginx logged after the first `skip_lines` lines.

    nginx writes a line just after the reply has gone out: wait up to 5 s for `expected` lines.
    """
    deadline = time.monotonic() + 5
    while True:
        lines = log.read_text(encoding="utf-8").splitlines()[skip_lines:]
        found = [re.search(r"upstream=(\S.*?) upstream_status", line) for line in lines]
        upstreams = [
            m.group(1)
            for m, line in zip(found, lines, strict=True)
            if m and "POST /webhooks/rest/webhook" in line
        ]
        if len(upstreams) >= expected or time.monotonic() > deadline:
            return upstreams
        time.sleep(0.1)


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


COMPANY_TURNS = (
    ("Hallo", "Für wen fragen Sie"),
    ("/bin_betrieb", "Wie ist die Lage in Ihrem Betrieb"),
    ('/info{"betrieb_lage":"azubi_da"}', "zum ersten Mal"),
    ("Was kostet AsA flex?", "zum ersten Mal"),
    ("/affirm", "Wo hakt es"),
)
COMPANY_RESULT = (
    '/info{"schwierigkeit":"pruefung"}',
    ("Zulassung als Ausbildungsbetrieb", "Kooperationsvereinbarung", "0800 4 5555 20"),
)


def test_one_conversation_alternates_between_the_two_rasa_servers(scaled: ScaledProcess) -> None:
    sender = f"e2e-scaled-{uuid.uuid4().hex}"
    access_log = scaled.access_log()
    before = _line_count(access_log)
    for message, expected in COMPANY_TURNS:
        assert expected in _say(scaled, sender, message)
    message, expected_all = COMPANY_RESULT
    result = _say(scaled, sender, message)
    for expected in expected_all:
        assert expected in result, result

    upstreams = _proxied_upstreams(access_log, before, len(COMPANY_TURNS) + 1)
    assert len(upstreams) == len(COMPANY_TURNS) + 1, upstreams
    workers = {f"127.0.0.1:{port}" for port in scaled.worker_ports}
    assert set(upstreams) == workers, upstreams
    assert all(a != b for a, b in pairwise(upstreams)), upstreams
    sent = [m for m, _ in COMPANY_TURNS] + [COMPANY_RESULT[0]]
    assert user_texts(scaled.events(sender)) == sent


def test_events_of_a_conversation_reach_the_rabbitmq_queue(scaled: ScaledProcess) -> None:
    if scaled.rabbitmq_url is None:
        message = f"RabbitMQ nicht nutzbar: {scaled.rabbitmq_reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert f"Queue {scaled.rabbitmq_queue}" in scaled.log(), scaled.log()
    sender = f"e2e-scaled-{uuid.uuid4().hex}"
    sent = ["Hallo", "/bin_betrieb"]
    for message in sent:
        _say(scaled, sender, message)
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        events += [
            e
            for e in drain_queue(scaled.rabbitmq_url, scaled.rabbitmq_queue, delete=False)
            if e.get("sender_id") == sender
        ]
        if [e.get("text") for e in events if e.get("event") == "user"] == sent:
            break
        time.sleep(0.5)
    assert [e.get("text") for e in events if e.get("event") == "user"] == sent, events
    assert any(e.get("event") == "bot" for e in events), events


# Five messages whose answers tell them apart.
CONCURRENT = (
    ("/faq/hotline", "0800 4 5555 20"),
    ("/faq/bab", "Berufsausbildungsbeihilfe"),
    ("/faq/nachbetreuung", "Nachbetreuung"),
    ("/faq/vorphase", "§ 75a SGB III"),
    ("/faq/begleitende_phase", "§ 75 SGB III"),
)


def test_concurrent_messages_of_one_conversation_are_processed_one_at_a_time_in_order(
    scaled: ScaledProcess,
) -> None:
    from stores.redis_lock import AtomicRedisLockStore

    settings = scaled.settings
    sender = f"e2e-scaled-{uuid.uuid4().hex}"
    access_log = scaled.access_log()
    before = _line_count(access_log)
    locks = AtomicRedisLockStore(
        host=settings.redis.host,
        port=settings.redis.port,
        db=settings.redis_db,
        username=settings.redis.user or None,
        password=settings.redis.password or None,
    )
    # Hold the conversation's lock as a message in progress would, so all five queue up.
    held = locks.issue_ticket(sender, 60)
    replies: dict[int, str] = {}
    errors: list[BaseException] = []

    def post(index: int, message: str) -> None:
        try:
            replies[index] = _say(scaled, sender, message)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=post, args=(i, message), daemon=True)
        for i, (message, _) in enumerate(CONCURRENT)
    ]
    try:
        for thread in threads:
            thread.start()
            time.sleep(0.3)  # a defined send order; each request queues behind the held ticket
        time.sleep(2.0)
        assert user_texts(scaled.events(sender)) == [], "processed although the lock was held"
        assert not replies, replies
    finally:
        locks.cleanup(sender, held)
    for thread in threads:
        thread.join(timeout=90)
    assert not errors, errors
    assert all(not t.is_alive() for t in threads), "a request did not finish"

    for index, (_, marker) in enumerate(CONCURRENT):
        assert marker in replies[index], (index, replies[index])
    events = scaled.events(sender)
    assert user_texts(events) == [m for m, _ in CONCURRENT]
    # One at a time: each message's turn ends (action_listen) before the next message starts.
    kinds = [
        "user" if e["event"] == "user" else "listen"
        for e in events
        if e["event"] == "user" or (e["event"] == "action" and e.get("name") == "action_listen")
    ]
    assert kinds[kinds.index("user") :] == ["user", "listen"] * len(CONCURRENT), kinds
    # Both Rasa servers took part.
    upstreams = _proxied_upstreams(access_log, before, len(CONCURRENT))
    assert {u.split(", ")[-1] for u in upstreams} == {
        f"127.0.0.1:{p}" for p in scaled.worker_ports
    }, upstreams


YOUNG_TURNS = (
    ("/bin_jugendlich", "Wo stehst du gerade?"),
    ('/info{"situation":"sucht_ausbildung"}', "Vollzeitschulpflicht"),
    ("/affirm", "ohne Hilfe"),
    ("/affirm", "bereit für eine Ausbildung"),
    ("/affirm", "Welche Staatsangehörigkeit hast du?"),
    ('/info{"staatsangehoerigkeit":"deutsch"}', "festen Alltag"),
    ("/deny", "Vorbereitung"),
    ("/deny", "Praktikum"),
    ("/deny", "Bürgergeld"),
    ("/deny", "Vorphase (Hilfe vor der Ausbildung): passt wahrscheinlich"),
)


def test_a_killed_rasa_server_is_skipped_and_the_conversation_goes_on(
    scaled: ScaledProcess,
) -> None:
    sender = f"e2e-scaled-{uuid.uuid4().hex}"
    for message, expected in YOUNG_TURNS[:4]:
        assert expected in _say(scaled, sender, message)
    pids = scaled.worker_pids()
    assert set(pids) == set(scaled.worker_ports), scaled.log()
    victim, survivor = scaled.worker_ports
    os.kill(pids[victim], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while port_answers(victim) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_answers(victim)

    access_log = scaled.access_log()
    before = _line_count(access_log)
    for message, expected in YOUNG_TURNS[4:]:
        reply = _say(scaled, sender, message)
        assert expected in reply, reply
    for expected in (
        "Berufsausbildungsbeihilfe (BAB, Geld während der Vorphase): passt wahrscheinlich",
        "Berufsvorbereitung (BvB): passt nach deinen Angaben nicht",
        "Berufsberatung bei der Agentur für Arbeit",
    ):
        assert expected in reply, reply

    upstreams = _proxied_upstreams(access_log, before, len(YOUNG_TURNS) - 4)
    assert len(upstreams) == len(YOUNG_TURNS) - 4, upstreams
    assert all(u.endswith(f"127.0.0.1:{survivor}") for u in upstreams), upstreams
    sent = [m for m, _ in YOUNG_TURNS]
    assert user_texts(scaled.events(sender)) == sent, "a message was lost"
    assert scaled.process.poll() is None, scaled.log()
    # The runner looks at its processes every half second; on a busy machine the note may lag.
    deadline = time.monotonic() + 30
    while "Rasa-Server 1 hat sich beendet" not in scaled.log() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "Rasa-Server 1 hat sich beendet" in scaled.log()


def test_stop_ends_every_process(scaled: ScaledProcess) -> None:
    pids = scaled.worker_pids()
    assert _stop(scaled) == 0, scaled.log()
    for port in (scaled.rasa_port, scaled.actions_port, *scaled.worker_ports):
        assert not port_answers(port), port
    for pid in pids.values():
        assert not Path(f"/proc/{pid}").exists(), f"Rasa-Server PID {pid} still runs"
