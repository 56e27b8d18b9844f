"""Our bot against a plain `rasa init` bot on the same machine, in one run (`make bench`).

For both bots: time from start to ready, memory (RSS of the server processes, from /proc),
latency per message for one conversation and for 20 concurrent conversations of 10 turns,
throughput, and training time from scratch and with nothing changed. Also the scale-out profile
(`asa-bot run-scaled`) under the 20-conversation load, and, for our bot and its scale-out
profile, 20 conversations of typed text only (no button pressed). Each 20-conversation load runs
three times per bot; the round with the median throughput is reported. Then the plain bot and the
scale-out profile, both still running, take turns with 20-conversation rounds: the scale-out
target is the median ratio of these pairs. Writes JSON and a
Markdown table to `--out` and prints the ratios against the targets. Everything listens on
127.0.0.1 only; every process started here is stopped at the end, also after an error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.load import (
    CONVERSATIONS,
    TURNS,
    concurrent_conversations,
    post,
    single_conversation,
)
from benchmarks.processes import (
    Started,
    cpu_seconds,
    free_port,
    free_port_pair,
    rss_mb,
    running,
    start,
    stop,
    stopped_on_error,
    wait_ready,
)
from benchmarks.report import markdown, ratios

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RASA = BIN / "rasa"
ASA_BOT = BIN / "asa-bot"

TRAIN_TIMEOUT = 1800.0
#: The 20-conversation load runs this many times per bot; the round with the median throughput
#: is reported, with every round's throughput beside it (one round lasts only a few seconds).
LOAD_ROUNDS = 3
#: After both have been measured on their own, the plain bot and the scale-out profile take turns
#: with this many 20-conversation rounds each, in alternating order; the target ratio is the median
#: of the pairs' ratios. Both meet the same machine: the host's speed drifts over minutes.
PAIRED_ROUNDS = 5

# --- Conversations -----------------------------------------------------------------------------


def _script_turns(name: str) -> list[str]:
    """The user messages of a staff-training script in training/."""
    from bot.staff_training.skripte import SKRIPT_ORDNER, skript_laden

    return [step.nutzer for step in skript_laden(SKRIPT_ORDNER / f"{name}.yml").schritte]


def our_conversations() -> tuple[list[list[str]], list[list[str]]]:
    """(single-conversation rounds, 10-turn conversations) in German: a company, a young person."""
    company = _script_turns("betrieb-erstausbildung-pruefungsangst")
    young = _script_turns("suchender-vorphase-bab")
    questions = [
        "Wie erreiche ich den Arbeitgeber-Service?",
        "Was steht in der Kooperationsvereinbarung?",
        "Muss ich den Azubi dafür freistellen?",
        "Danke, tschüss",
    ]
    company_10 = [*company, *questions][:TURNS]
    young_10 = young[:TURNS]
    return [company, young], [company_10, young_10]


def our_typed_conversations() -> list[list[str]]:
    """Two 10-turn conversations typed in German, no button pressed: the NLU models read each turn.

    The scripts of `our_conversations` press buttons in most turns, as users of the widget do;
    the plain bot's messages are all typed. These show what typed text costs our bot.
    """
    company = [
        "Hallo",
        "Wir sind ein Ausbildungsbetrieb",
        "Unser Azubi hat Probleme in der Berufsschule",
        "Was kostet AsA flex?",
        "Wie erreiche ich den Arbeitgeber-Service?",
        "Was steht in der Kooperationsvereinbarung?",
        "Muss ich den Azubi dafür freistellen?",
        "Wie lange dauert die Unterstützung?",
        "Wer entscheidet, ob wir teilnehmen können?",
        "Danke, tschüss",
    ]
    young = [
        "Hi",
        "Ich suche einen Ausbildungsplatz",
        "Ich bin 19",
        "ja",
        "nein",
        "Was ist eine Einstiegsqualifizierung?",
        "Bekomme ich Geld während der Ausbildung?",
        "Wo finde ich die Berufsberatung?",
        "Geht AsA auch in Teilzeit?",
        "Tschüss",
    ]
    return [company[:TURNS], young[:TURNS]]


def plain_conversations() -> tuple[list[list[str]], list[list[str]]]:
    """The same shape for the `rasa init` bot, with its own sample intents."""
    happy = ["hello", "I am feeling great", "goodbye"]
    sad = ["hi", "I am sad", "yes", "are you a bot?", "bye"]
    unhappy = ["hey there", "very sad", "no", "bye bye"]
    ten_a = ["hey", "I am great", "are you a bot?", "perfect", "good afternoon"]
    ten_a += ["I am very sad", "yes", "thanks", "see you later", "goodbye"]
    ten_b = ["good morning", "not good", "no", "am I talking to a human?", "hello there"]
    ten_b += ["extremely good", "great", "hi", "I am unhappy", "cu"]
    return [happy + sad, unhappy + happy], [ten_a, ten_b]


# --- Measuring ---------------------------------------------------------------------------------


def with_cpu(pids: Sequence[int], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a load and add the servers' CPU milliseconds per message (less noisy than latency)."""
    before = cpu_seconds(pids)
    result = run()
    used = cpu_seconds(pids) - before
    result["cpu_ms_per_msg"] = (
        round(used * 1000 / result["messages"], 1) if result["messages"] else 0
    )
    return result


def median_round(pids: Sequence[int], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`LOAD_ROUNDS` rounds of a load: the median round by throughput, with all throughputs."""
    rounds = [with_cpu(pids, run) for _ in range(LOAD_ROUNDS)]
    middle = dict(sorted(rounds, key=lambda r: r["throughput_msg_s"])[len(rounds) // 2])
    middle["rounds_throughput_msg_s"] = [r["throughput_msg_s"] for r in rounds]
    # Failures count in every round, not only in the median one.
    middle["errors"] = sum(r["errors"] for r in rounds)
    middle["empty_replies"] = sum(r["empty_replies"] for r in rounds)
    return middle


@dataclass
class Live:
    """A server left running after its own measurement, for the paired rounds."""

    started: Started
    rest_url: str
    conversations: list[list[str]]
    prefix: str
    pids: list[int]

    def round(self, number: int) -> dict[str, Any]:
        return with_cpu(
            self.pids,
            lambda: concurrent_conversations(
                self.rest_url, self.conversations, f"{self.prefix}-pair{number}"
            ),
        )


def paired_rounds(plain: Live, scaled: Live) -> dict[str, Any]:
    """`PAIRED_ROUNDS` pairs of 20-conversation rounds, plain and scale-out in turn.

    The order alternates (plain first, then scale-out first, …), so neither always runs right
    after the other. Each pair's ratio compares two rounds a few seconds apart.
    """
    pairs = []
    for number in range(PAIRED_ROUNDS):
        order = [("plain", plain), ("scaled", scaled)]
        if number % 2:
            order.reverse()
        measured = {name: live.round(number) for name, live in order}
        plain_tp = measured["plain"]["throughput_msg_s"]
        scaled_tp = measured["scaled"]["throughput_msg_s"]
        pairs.append(
            {
                "first": order[0][0],
                "plain_msg_s": plain_tp,
                "scaled_msg_s": scaled_tp,
                "plain_cpu_ms_per_msg": measured["plain"]["cpu_ms_per_msg"],
                "scaled_cpu_ms_per_msg": measured["scaled"]["cpu_ms_per_msg"],
                "errors": measured["plain"]["errors"] + measured["scaled"]["errors"],
                "ratio": round(scaled_tp / plain_tp, 2) if plain_tp else 0.0,
            }
        )
    return {
        "pairs": pairs,
        "ratios": [pair["ratio"] for pair in pairs],
        "median_ratio": statistics.median(pair["ratio"] for pair in pairs),
        "errors": sum(pair["errors"] for pair in pairs),
    }


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    begin = time.monotonic()
    with log.open("ab") as out:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=TRAIN_TIMEOUT,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} fehlgeschlagen, siehe {log}")
    return round(time.monotonic() - begin, 1)


# --- The runs ----------------------------------------------------------------------------------


def base_env() -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "ASA_HOST": "127.0.0.1",
        "ASA_LOG_LEVEL": "WARNING",
    }


def measure_server(
    started: Started,
    ready_urls: Sequence[str],
    rest_url: str,
    conversations: tuple[list[list[str]], list[list[str]]],
    prefix: str,
    runner_is_server: bool,
    warmups: int = 2,
    typed: list[list[str]] | None = None,
    keep: list[Live] | None = None,
) -> dict[str, Any]:
    """Measure a started server and stop it, or, with `keep`, leave it running and add it there."""
    with running(started) if keep is None else stopped_on_error(started):
        ready_s = wait_ready(started, ready_urls)
        rss_ready = rss_mb(started.servers(runner_is_server))
        rounds, tens = conversations
        for _ in range(warmups):  # the first message of each server loads lazy parts
            post(rest_url, f"{prefix}-warmup-{uuid.uuid4().hex[:6]}", rounds[0][0])
        result: dict[str, Any] = {"startup_s": round(ready_s, 1), "rss_ready_mb": rss_ready}
        pids = started.servers(runner_is_server)
        result["one_conversation"] = with_cpu(
            pids, lambda: single_conversation(rest_url, rounds, prefix)
        )
        result["twenty_conversations"] = median_round(
            pids, lambda: concurrent_conversations(rest_url, tens, prefix)
        )
        if typed:
            result["twenty_typed_conversations"] = median_round(
                pids, lambda: concurrent_conversations(rest_url, typed, f"{prefix}-typed")
            )
        result["rss_after_load_mb"] = rss_mb(started.servers(runner_is_server))
        if keep is not None:
            keep.append(Live(started, rest_url, tens, prefix, pids))
        return result


def plain_bot(work: Path, logs: Path, keep: list[Live] | None = None) -> dict[str, Any]:
    env = {**base_env(), "RASA_CACHE_DIRECTORY": str(work / "rasa-cache")}
    project = work / "plain"
    project.mkdir()
    result: dict[str, Any] = {}
    log = logs / "plain-train.log"
    # `rasa init --no-prompt` creates the project and trains it; it starts no shell.
    result["train_scratch_s"] = timed(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(project)], work, env, log
    )
    result["train_unchanged_s"] = timed([str(RASA), "train"], project, env, log)
    port = free_port()
    command = [str(RASA), "run", "--port", str(port), "--interface", "127.0.0.1", "--quiet"]
    started = start("Rasa-Standardbot", command, project, env, logs / "plain-run.log")
    url = f"http://127.0.0.1:{port}"
    result.update(
        measure_server(
            started,
            [url + "/"],
            url + "/webhooks/rest/webhook",
            plain_conversations(),
            "bench-plain",
            runner_is_server=True,
            keep=keep,
        )
    )
    return result


def our_bot(work: Path, logs: Path, scratch: bool) -> dict[str, Any]:
    env = base_env()
    result: dict[str, Any] = {}
    log = logs / "asa-train.log"
    if scratch:
        # A fresh data folder: no model, no Rasa cache.
        scratch_env = {**env, "ASA_DATA_DIR": str(work / "asa-data")}
        result["train_scratch_s"] = timed([str(ASA_BOT), "train"], ROOT, scratch_env, log)
    result["train_unchanged_s"] = timed([str(ASA_BOT), "train"], ROOT, env, log)
    rasa_port, actions_port = free_port(), free_port()
    run_env = {
        **env,
        "ASA_RASA_PORT": str(rasa_port),
        "ASA_ACTIONS_PORT": str(actions_port),
        "ASA_TRACKER_DB": str(work / "tracker.db"),
    }
    started = start(
        "AsA-Bot", [str(ASA_BOT), "run", "--no-train"], ROOT, run_env, logs / "asa-run.log"
    )
    url = f"http://127.0.0.1:{rasa_port}"
    result.update(
        measure_server(
            started,
            [url + "/", f"http://127.0.0.1:{actions_port}/health"],
            url + "/webhooks/rest/webhook",
            our_conversations(),
            "bench-asa",
            runner_is_server=False,
            typed=our_typed_conversations(),
        )
    )
    return result


def our_scaled_bot(work: Path, logs: Path, keep: list[Live] | None = None) -> dict[str, Any]:
    from bot.errors import SetupError
    from bot.scaled import check_postgres, check_redis
    from bot.scaled_settings import load_scaled_settings

    settings = load_scaled_settings()
    try:
        check_postgres(settings)
        check_redis(settings)
    except SetupError as error:
        return {"skipped": str(error)}
    rasa_port, actions_port, worker_port = free_port(), free_port(), free_port_pair()
    env = {
        **base_env(),
        "ASA_RASA_PORT": str(rasa_port),
        "ASA_ACTIONS_PORT": str(actions_port),
        "ASA_RASA_WORKER_PORT": str(worker_port),
        "ASA_RASA_WORKERS": os.environ.get("ASA_RASA_WORKERS", "2"),
    }
    workers = int(env["ASA_RASA_WORKERS"])
    started = start(
        "AsA-Bot (Scale-out)",
        [str(ASA_BOT), "run-scaled", "--no-train"],
        ROOT,
        env,
        logs / "asa-scaled.log",
    )
    url = f"http://127.0.0.1:{rasa_port}"
    ready = [url + "/", f"http://127.0.0.1:{actions_port}/health"]
    ready += [f"http://127.0.0.1:{worker_port + i}/" for i in range(workers)]
    result = measure_server(
        started,
        ready,
        url + "/webhooks/rest/webhook",
        our_conversations(),
        "bench-scaled",
        runner_is_server=False,
        warmups=2 * workers,
        typed=our_typed_conversations(),
        keep=keep,
    )
    result["workers"] = workers
    return result


def _delete_bench_conversations(settings: Any) -> None:
    """Remove the benchmark's conversations from the shared PostgreSQL database."""
    import psycopg2

    connection = psycopg2.connect(settings.postgres_url)
    try:
        with connection, connection.cursor() as cursor:
            if settings.postgres_schema:
                cursor.execute(f"SET search_path TO {settings.postgres_schema}")
            cursor.execute("DELETE FROM events WHERE sender_id LIKE %s", ("bench-scaled-%",))
    finally:
        connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "results" / "bench")
    parser.add_argument(
        "--no-scratch-training",
        action="store_true",
        help="skip our from-scratch training (3-4 min on 2 cores)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out if args.out.is_absolute() else ROOT / args.out
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    logs = out / f"logs-{stamp}"
    logs.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    results: dict[str, Any] = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in load_before],
        "conversations": CONVERSATIONS,
        "turns": TURNS,
    }
    live: dict[str, list[Live]] = {"plain": [], "scaled": []}
    steps: list[tuple[str, Callable[[Path, Path], dict[str, Any]]]] = [
        ("plain", lambda work, logs: plain_bot(work, logs, live["plain"])),
        ("ours", lambda work, logs: our_bot(work, logs, not args.no_scratch_training)),
        ("scaled", lambda work, logs: our_scaled_bot(work, logs, live["scaled"])),
    ]
    with tempfile.TemporaryDirectory(prefix="asa-bench-") as tmp:
        try:
            for name, step in steps:
                print(f"==> {name} …", flush=True)
                try:
                    results[name] = step(Path(tmp), logs)
                except Exception as error:  # reported in the results; the other steps go on
                    results[name] = {"error": str(error)}
                print(json.dumps(results[name], indent=2, ensure_ascii=False), flush=True)
            if live["plain"] and live["scaled"]:
                print("==> plain and scaled in turn …", flush=True)
                results["paired"] = paired_rounds(live["plain"][0], live["scaled"][0])
                print(json.dumps(results["paired"], indent=2, ensure_ascii=False), flush=True)
        finally:
            for kept in (*live["plain"], *live["scaled"]):
                stop(kept.started)
            if "scaled" in results and "skipped" not in results["scaled"]:
                from bot.scaled_settings import load_scaled_settings

                _delete_bench_conversations(load_scaled_settings())
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["ratios"] = ratios(results)
    (out / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (out / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    table = markdown(results)
    (out / "latest.md").write_text(table, encoding="utf-8")
    (out / f"bench-{stamp}.md").write_text(table, encoding="utf-8")
    print("\n" + table)
    print(f"Ergebnisse: {out / f'bench-{stamp}.json'}, {out / 'latest.md'}")
    failed = [k for k in ("plain", "ours", "scaled") if "error" in results.get(k, {})]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
