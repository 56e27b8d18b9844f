"""Checks the cross-validation reports of `rasa test nlu` against an intent macro-F1 threshold.

Usage: check_nlu_report.py REPORT_DIR [--min-f1 0.90]. Prints intent and response-selection
figures and the weakest intents, and writes a short summary to REPORT_DIR/summary.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _lesen(path: Path) -> dict[str, dict[str, float]]:
    if not path.is_file():
        return {}
    daten: dict[str, dict[str, float]] = json.loads(path.read_text(encoding="utf-8"))
    return daten


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report_dir", type=Path)
    parser.add_argument("--min-f1", type=float, default=0.90)
    args = parser.parse_args(argv)

    intents = _lesen(args.report_dir / "intent_report.json")
    if not intents:
        print(f"Kein intent_report.json in {args.report_dir}", file=sys.stderr)
        return 2
    antworten = _lesen(args.report_dir / "response_selection_report.json")
    makro = intents["macro avg"]["f1-score"]
    zeilen = [f"Intent macro-F1: {makro:.3f} (Schwelle {args.min_f1:.2f})"]
    zeilen.append(f"Intent weighted-F1: {intents['weighted avg']['f1-score']:.3f}")
    if antworten:
        zeilen.append(f"Antwortauswahl macro-F1: {antworten['macro avg']['f1-score']:.3f}")
    einzeln = {
        name: werte["f1-score"]
        for name, werte in intents.items()
        if isinstance(werte, dict) and "support" in werte and not name.endswith("avg")
    }
    schwach = sorted(einzeln.items(), key=lambda item: item[1])[:5]
    zeilen.append("Schwächste Intents: " + ", ".join(f"{n} {f:.2f}" for n, f in schwach))
    text = "\n".join(zeilen)
    print(text)
    (args.report_dir / "summary.txt").write_text(text + "\n", encoding="utf-8")
    if makro < args.min_f1:
        print(f"Intent macro-F1 {makro:.3f} liegt unter {args.min_f1:.2f}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
