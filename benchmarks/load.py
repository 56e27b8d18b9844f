"""The load of the benchmark: conversations sent over Rasa's REST channel, and their figures.

One conversation at a time, or `CONVERSATIONS` at once in threads; every message's latency and
outcome are counted, every wait is bounded by `REQUEST_TIMEOUT`.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from typing import Any

REQUEST_TIMEOUT = 120.0
CONVERSATIONS = 20
TURNS = 10
SINGLE_ROUNDS = 3


def post(url: str, sender: str, message: str) -> tuple[float, str]:
    """Send one message; (seconds, "ok" | "empty" | "error").

    "empty" is an answer without a reply: a bot may decide to say nothing (the plain bot does so
    for some of its sample messages). "error" is no answer, or not a list of replies.
    """
    body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            replies = json.loads(response.read().decode("utf-8"))
        status = ("ok" if replies else "empty") if isinstance(replies, list) else "error"
    except (urllib.error.URLError, OSError, ValueError):
        status = "error"
    return time.perf_counter() - start, status


def percentiles(values: Sequence[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def single_conversation(url: str, rounds: list[list[str]], prefix: str) -> dict[str, Any]:
    """Conversations one after another, one message at a time."""
    latencies: list[float] = []
    counts = {"ok": 0, "empty": 0, "error": 0}
    for _ in range(SINGLE_ROUNDS):
        for turns in rounds:
            sender = f"{prefix}-{uuid.uuid4().hex[:10]}"
            for message in turns:
                seconds, status = post(url, sender, message)
                latencies.append(seconds)
                counts[status] += 1
    return {
        "messages": len(latencies),
        "errors": counts["error"],
        "empty_replies": counts["empty"],
        **percentiles(latencies),
    }


def concurrent_conversations(
    url: str, conversations: list[list[str]], prefix: str
) -> dict[str, Any]:
    """`CONVERSATIONS` conversations of `TURNS` turns at once, each one message at a time."""
    latencies: list[float] = []
    counts = {"ok": 0, "empty": 0, "error": 0}
    guard = threading.Lock()

    def talk(turns: list[str]) -> None:
        sender = f"{prefix}-{uuid.uuid4().hex[:10]}"
        for message in turns:
            seconds, status = post(url, sender, message)
            with guard:
                latencies.append(seconds)
                counts[status] += 1

    threads = [
        threading.Thread(target=talk, args=(conversations[i % len(conversations)],), daemon=True)
        for i in range(CONVERSATIONS)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + CONVERSATIONS * TURNS * REQUEST_TIMEOUT / 4
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - start
    unfinished = sum(t.is_alive() for t in threads)
    with guard:
        done = list(latencies)
    return {
        "messages": len(done),
        "errors": counts["error"] + unfinished,
        "empty_replies": counts["empty"],
        "wall_s": round(wall, 2),
        "throughput_msg_s": round(len(done) / wall, 2) if wall else 0.0,
        **percentiles(done),
    }
