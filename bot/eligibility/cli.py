"""The `asa-bot check` sub-command: facts as JSON in, one JSON result (or a German trace) out."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.errors import AsaError

EXIT_OK = 0
EXIT_EINGABE = 2
EXIT_INTERN = 70


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `check` sub-command to the `asa-bot` parser."""
    parser = sub.add_parser(
        "check",
        help="Förderoptionen zu Angaben (JSON) prüfen",
        description=(
            "Liest ein JSON-Objekt mit Angaben und gibt für jede Förderoption eine Einschätzung "
            "als JSON aus. Die Entscheidung trifft die Agentur für Arbeit oder das Jobcenter."
        ),
    )
    parser.add_argument(
        "datei",
        nargs="?",
        default="-",
        metavar="DATEI",
        help="JSON-Datei mit Angaben; '-' oder weglassen liest von der Standardeingabe",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="statt JSON eine lesbare Begründung aller angewandten Regeln ausgeben",
    )
    parser.set_defaults(func=handle)


class _EingabeFehler(AsaError):
    """The input could not be read or is not a JSON object."""


def _lesen(datei: str) -> str:
    if datei == "-":
        roh = sys.stdin.buffer.read()
    else:
        try:
            with open(datei, "rb") as handle:
                roh = handle.read()
        except OSError as fehler:
            raise _EingabeFehler(
                f"Datei {datei!r} kann nicht gelesen werden: {fehler.strerror}"
            ) from None
    try:
        return roh.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _EingabeFehler("Eingabe ist nicht UTF-8-kodiert") from None


def _json_objekt(text: str) -> dict[str, object]:
    def _keine_doppelten(paare: list[tuple[str, object]]) -> dict[str, object]:
        ergebnis: dict[str, object] = {}
        for schluessel, wert in paare:
            if schluessel in ergebnis:
                raise _EingabeFehler(f"{schluessel}: Feld kommt mehrfach vor")
            ergebnis[schluessel] = wert
        return ergebnis

    def _keine_sonderzahlen(wort: str) -> object:
        raise _EingabeFehler(f"Eingabe ist kein gültiges JSON: {wort} ist nicht erlaubt")

    try:
        daten = json.loads(
            text, object_pairs_hook=_keine_doppelten, parse_constant=_keine_sonderzahlen
        )
    except json.JSONDecodeError as fehler:
        raise _EingabeFehler(
            f"Eingabe ist kein gültiges JSON (Zeile {fehler.lineno}, Spalte {fehler.colno}: "
            f"{fehler.msg})"
        ) from None
    except RecursionError:
        raise _EingabeFehler("Eingabe ist zu tief verschachtelt") from None
    if not isinstance(daten, dict):
        raise _EingabeFehler("Eingabe muss ein JSON-Objekt mit Angaben sein")
    return daten


def _fehler(text: str) -> None:
    einzeilig = " ".join(text.split())
    print(f"asa-bot check: {einzeilig}", file=sys.stderr)


def handle(args: argparse.Namespace) -> int:
    """Run `check`; returns 0 on success, 2 for bad input, 70 for an unexpected internal error."""
    try:
        from bot.eligibility import evaluate, parse_facts

        facts = parse_facts(_json_objekt(_lesen(str(args.datei))))
        ergebnis = evaluate(facts)
        if args.explain:
            ausgabe = ergebnis.erklaerung()
        else:
            ausgabe = json.dumps(ergebnis.to_dict(), ensure_ascii=False, indent=2)
    except AsaError as fehler:
        _fehler(str(fehler))
        return EXIT_EINGABE
    except Exception as fehler:  # the CLI promises one line on stderr, never a traceback
        _fehler(f"interner Fehler ({type(fehler).__name__}): {fehler}")
        return EXIT_INTERN
    sys.stdout.buffer.write((ausgabe + "\n").encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK
