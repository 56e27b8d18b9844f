"""The processes of the benchmark: started, found, measured in /proc, and stopped.

Every server is started in a session of its own and stopped with SIGTERM, then SIGKILL, together
with every process it had started; everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 600.0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def process_tree(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo and len(found) < 500:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def rss_mb(pids: Sequence[int]) -> float:
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


def cpu_seconds(pids: Sequence[int]) -> float:
    """User plus system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port_pair() -> int:
    for _ in range(50):
        first = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", first + 1))
            except OSError:
                continue
        return first
    raise RuntimeError("keine zwei aufeinanderfolgenden freien Ports gefunden")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Started:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    known_pids: set[int] = field(default_factory=set)

    def servers(self, runner_is_server: bool) -> list[int]:
        tree = process_tree(self.process.pid)
        self.known_pids.update(tree)
        return tree if runner_is_server else tree[1:]


def start(name: str, command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Started:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Started(name, process, log)


def stop(started: Started) -> None:
    """SIGTERM (the runners stop their children in order), then SIGKILL whatever is left."""
    started.known_pids.update(process_tree(started.process.pid))
    if started.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(started.process.pid, signal.SIGTERM)
        try:
            started.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(started.process.pid, signal.SIGKILL)
            started.process.wait(timeout=30)
    for pid in started.known_pids - {started.process.pid}:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def wait_ready(started: Started, urls: Sequence[str], timeout: float = START_TIMEOUT) -> float:
    """Seconds from the start of the process until every URL answers 200."""
    begin = time.monotonic()
    pending = list(urls)
    while pending:
        if started.process.poll() is not None:
            tail = started.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{started.name} hat sich beendet:\n{tail}")
        if time.monotonic() - begin > timeout:
            raise RuntimeError(f"{started.name} nach {timeout:.0f} s nicht bereit")
        pending = [url for url in pending if not answers(url)]
        if pending:
            time.sleep(0.2)
        started.servers(runner_is_server=True)
    return time.monotonic() - begin


@contextlib.contextmanager
def running(started: Started) -> Iterator[Started]:
    try:
        yield started
    finally:
        stop(started)


@contextlib.contextmanager
def stopped_on_error(started: Started) -> Iterator[Started]:
    try:
        yield started
    except BaseException:
        stop(started)
        raise
