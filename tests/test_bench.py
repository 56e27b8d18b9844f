"""The benchmark's arithmetic (the benchmark itself runs with `make bench`, not in the tests)."""

from __future__ import annotations

from typing import Any

from benchmarks import bench_bots, report


class FakeLive:
    """Answers rounds with fixed throughputs and records the order of the calls."""

    def __init__(self, name: str, throughputs: list[float], calls: list[str]) -> None:
        self.name, self.throughputs, self.calls = name, throughputs, calls

    def round(self, number: int) -> dict[str, Any]:
        self.calls.append(self.name)
        return {"throughput_msg_s": self.throughputs[number], "cpu_ms_per_msg": 1.0, "errors": 0}


def test_paired_rounds_alternate_and_report_the_median_ratio(monkeypatch: Any) -> None:
    monkeypatch.setattr(bench_bots, "PAIRED_ROUNDS", 5)
    calls: list[str] = []
    plain = FakeLive("plain", [30.0, 20.0, 30.0, 40.0, 30.0], calls)
    scaled = FakeLive("scaled", [60.0, 50.0, 45.0, 60.0, 90.0], calls)
    paired = bench_bots.paired_rounds(plain, scaled)  # type: ignore[arg-type]
    assert calls == ["plain", "scaled", "scaled", "plain"] * 2 + ["plain", "scaled"]
    assert paired["ratios"] == [2.0, 2.5, 1.5, 1.5, 3.0]
    assert paired["median_ratio"] == 2.0
    assert [pair["first"] for pair in paired["pairs"]] == ["plain", "scaled"] * 2 + ["plain"]


def test_the_scale_out_target_uses_the_paired_median() -> None:
    def bot(throughput: float) -> dict[str, Any]:
        return {
            "startup_s": 10.0,
            "one_conversation": {"p50_ms": 10.0},
            "twenty_conversations": {"throughput_msg_s": throughput},
            "train_unchanged_s": 0.2,
        }

    results = {
        "plain": bot(40.0),
        "ours": bot(40.0),
        "scaled": bot(60.0),
        "paired": {"median_ratio": 1.75},
    }
    ratios = report.ratios(results)
    assert ratios["scaled_throughput_ratio"] == {"value": 1.75, "target": ">= 1.8", "met": False}
    assert ratios["scaled_throughput_ratio_apart"]["value"] == 1.5
    assert ratios["scaled_throughput_ratio_apart"]["met"] is None
    del results["paired"]
    assert "scaled_throughput_ratio" not in report.ratios(results)
