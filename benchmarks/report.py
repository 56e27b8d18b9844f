"""The benchmark's report: the ratios against the targets, and the Markdown table."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    ours, plain, scaled = results["ours"], results["plain"], results.get("scaled", {})

    def throughput(data: dict[str, Any], phase: str = "twenty_conversations") -> float:
        return float(data[phase]["throughput_msg_s"])

    # (key, value, target, check); a check of None marks a figure for information.
    specs: list[tuple[str, Callable[[], float], str, Callable[[float], bool] | None]] = [
        (
            "p50_ratio",
            lambda: ours["one_conversation"]["p50_ms"] / plain["one_conversation"]["p50_ms"],
            "<= 1.3",
            lambda value: value <= 1.3,
        ),
        (
            "scaled_throughput_ratio",
            lambda: float(results["paired"]["median_ratio"]),
            ">= 1.8",
            lambda value: value >= 1.8,
        ),
        (
            "scaled_throughput_ratio_apart",
            lambda: throughput(scaled) / throughput(plain),
            "–",
            None,
        ),
        (
            "startup_ratio",
            lambda: ours["startup_s"] / plain["startup_s"],
            "<= 1.0",
            lambda value: value <= 1.0,
        ),
        (
            "scaled_vs_ours_throughput_ratio",
            lambda: throughput(scaled) / throughput(ours),
            "–",
            None,
        ),
        (
            "scaled_typed_throughput_ratio",
            lambda: throughput(scaled, "twenty_typed_conversations") / throughput(plain),
            "–",
            None,
        ),
    ]
    out: dict[str, Any] = {}
    for key, compute, target, check in specs:
        with contextlib.suppress(KeyError, ZeroDivisionError, TypeError):
            value = compute()
            met = None if check is None else check(value)
            out[key] = {"value": round(value, 2), "target": target, "met": met}
    with contextlib.suppress(KeyError, TypeError):
        retrain = ours["train_unchanged_s"]
        out["retrain_unchanged_s"] = {"value": retrain, "target": "< 15 s", "met": retrain < 15.0}
    return out


def markdown(results: dict[str, Any]) -> str:
    ours, plain, scaled = results["ours"], results["plain"], results.get("scaled", {})

    def cell(data: dict[str, Any], *keys: str) -> str:
        value: Any = data
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return "–"
            value = value[key]
        return str(value)

    rows = [
        ("start to ready (s)", ("startup_s",)),
        ("RSS after start (MB)", ("rss_ready_mb",)),
        ("RSS after load (MB)", ("rss_after_load_mb",)),
        ("1 conversation p50 (ms)", ("one_conversation", "p50_ms")),
        ("1 conversation p95 (ms)", ("one_conversation", "p95_ms")),
        ("1 conversation p99 (ms)", ("one_conversation", "p99_ms")),
        ("20 conversations p50 (ms)", ("twenty_conversations", "p50_ms")),
        ("20 conversations p95 (ms)", ("twenty_conversations", "p95_ms")),
        ("20 conversations p99 (ms)", ("twenty_conversations", "p99_ms")),
        ("20 conversations throughput (msg/s)", ("twenty_conversations", "throughput_msg_s")),
        (
            "20 conversations throughput, every round (msg/s)",
            ("twenty_conversations", "rounds_throughput_msg_s"),
        ),
        ("server CPU per message, 1 conversation (ms)", ("one_conversation", "cpu_ms_per_msg")),
        (
            "server CPU per message, 20 conversations (ms)",
            ("twenty_conversations", "cpu_ms_per_msg"),
        ),
        (
            "20 typed conversations throughput (msg/s)",
            ("twenty_typed_conversations", "throughput_msg_s"),
        ),
        (
            "server CPU per message, 20 typed conversations (ms)",
            ("twenty_typed_conversations", "cpu_ms_per_msg"),
        ),
        ("no answer / empty reply (messages)", ()),
        ("training from scratch (s)", ("train_scratch_s",)),
        ("training, nothing changed (s)", ("train_unchanged_s",)),
    ]
    lines = [
        f"Measured {results['date']} on {results['machine']}.",
        "",
        "| | our bot | our bot, scale-out | plain `rasa init` bot |",
        "|---|---:|---:|---:|",
    ]

    def summed(data: dict[str, Any], key: str) -> int:
        phases = ("one_conversation", "twenty_conversations", "twenty_typed_conversations")
        return sum(int(data.get(phase, {}).get(key, 0)) for phase in phases)

    for label, keys in rows:
        if not keys:
            cells = [
                f"{summed(d, 'errors')} / {summed(d, 'empty_replies')}" if d else "–"
                for d in (ours, scaled, plain)
            ]
        else:
            cells = [cell(d, *keys) for d in (ours, scaled, plain)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| target | value | met |", "|---|---:|---|"]
    names = {
        "p50_ratio": "1-conversation p50, ours / plain ≤ 1.3",
        "scaled_throughput_ratio": (
            "20-conversation throughput, scale-out / plain ≥ 1.8 (median of the paired rounds)"
        ),
        "scaled_throughput_ratio_apart": (
            "20-conversation throughput, scale-out / plain, each measured on its own (info)"
        ),
        "startup_ratio": "start-up, ours / plain ≤ 1.0",
        "retrain_unchanged_s": "our training with nothing changed < 15 s",
        "scaled_vs_ours_throughput_ratio": "20-conversation throughput, scale-out / ours (info)",
        "scaled_typed_throughput_ratio": (
            "20 typed conversations' throughput, scale-out / plain's 20 conversations (info)"
        ),
    }
    for key, data in results["ratios"].items():
        met = "–" if data["met"] is None else ("yes" if data["met"] else "no")
        lines.append(f"| {names[key]} | {data['value']} | {met} |")
    paired = results.get("paired")
    if paired:
        lines += [
            "",
            "Paired rounds (plain and scale-out in turn, 20 conversations each):",
            "",
            "| pair | first | plain (msg/s) | scale-out (msg/s) | ratio | no answer |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for number, pair in enumerate(paired["pairs"], 1):
            lines.append(
                f"| {number} | {pair['first']} | {pair['plain_msg_s']} | "
                f"{pair['scaled_msg_s']} | {pair['ratio']} | {pair['errors']} |"
            )
    before, after = results["load_average_before"][0], results["load_average_after"][0]
    lines += ["", f"Load average (1 min) before / after the run: {before} / {after}."]
    return "\n".join(lines) + "\n"
