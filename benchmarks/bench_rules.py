"""Benchmark of one eligibility evaluation: run as a script or via pytest on this file."""

from __future__ import annotations

import statistics
import sys
import timeit
from typing import Any

from bot.eligibility import evaluate, parse_facts

FAKTEN: dict[str, Any] = {
    "rolle": "junger_mensch",
    "stichtag": "2026-04-15",
    "situation": "sucht_ausbildung",
    "vollzeitschulpflicht_erfuellt": True,
    "ausbildungsreife": True,
    "unterstuetzung_noetig": True,
    "staatsangehoerigkeit": "drittstaat",
    "aufenthaltsstatus": "duldung",
    "erwerbstaetigkeit_erlaubt": True,
    "aufenthalt_seit": "2025-01-15",
    "einreise_datum": "2025-01-10",
    "deutsch_niveau": "A2",
    "teilzeit": True,
    "buergergeld": True,
}


def _einmal() -> dict[str, object]:
    return evaluate(parse_facts(FAKTEN)).to_dict()


def test_bench_one_evaluation(benchmark: Any) -> None:
    """pytest-benchmark entry point (not collected by the normal test run)."""
    ergebnis = benchmark(_einmal)
    assert ergebnis["stichtag"] == "2026-04-15"


def main() -> int:
    _einmal()  # warm up: reads the YAML once
    runden = timeit.repeat(_einmal, number=1000, repeat=7)
    pro_lauf_ms = [r / 1000 * 1000 for r in runden]
    bester, median = min(pro_lauf_ms), statistics.median(pro_lauf_ms)
    print(
        f"eine Auswertung (parse_facts + evaluate + to_dict): bester {bester:.3f} ms, "
        f"Median {median:.3f} ms"
    )
    return 0 if median < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
