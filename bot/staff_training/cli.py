"""The `asa-bot training` sub-commands: list, play and check the staff-training scripts."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.staff_training.ablauf import (
    SchrittErgebnis,
    Senden,
    alle_pruefen,
    fehler_beschreiben,
    neuer_sender,
    schritt_spielen,
)
from bot.staff_training.skripte import (
    SKRIPT_ORDNER,
    Skript,
    skript_finden,
    skripte_laden,
)

Schreiben = Callable[[str], None]
Lesen = Callable[[str], str]

_BREITE = 100
_ENDE = {"q", "quit", "ende", "/ende"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `training` with its sub-commands `list`, `play` and `check` to the `asa-bot` parser."""
    training = sub.add_parser(
        "training",
        help="Schulung mit Gesprächsskripten: auflisten, abspielen, prüfen",
        description=(
            "Gesprächsskripte für die Schulung von Mitarbeitenden. Die Skripte liegen als YAML "
            "im Ordner training/ (Format: training/README.md)."
        ),
    )
    aktionen = training.add_subparsers(dest="training_befehl", required=True, metavar="AKTION")

    liste = aktionen.add_parser("list", help="alle Skripte mit Titel und Zahl der Schritte")
    _ordner_option(liste)
    liste.set_defaults(func=_liste_befehl)

    play = aktionen.add_parser(
        "play", help="ein Skript Schritt für Schritt gegen den laufenden Bot abspielen"
    )
    play.add_argument("name", metavar="NAME", help="Name des Skripts (siehe `training list`)")
    play.add_argument(
        "--auto", action="store_true", help="ohne Pause durchlaufen (sonst Enter je Schritt)"
    )
    _url_option(play)
    _ordner_option(play)
    play.set_defaults(func=_play_befehl)

    check = aktionen.add_parser(
        "check", help="alle Skripte gegen den laufenden Bot prüfen (Exit 1 bei Abweichung)"
    )
    _url_option(check)
    _ordner_option(check)
    check.set_defaults(func=_check_befehl)


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="REST-Webhook des Bots (Standard aus den Einstellungen)")


def _ordner_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skripte",
        type=Path,
        default=None,
        metavar="ORDNER",
        help=f"Ordner mit den Skripten (Standard: {SKRIPT_ORDNER.name}/)",
    )


def _url(args: argparse.Namespace) -> str:
    if args.url:
        return str(args.url)
    from bot.settings import load_settings

    return load_settings().rest_url


def _skripte(args: argparse.Namespace) -> list[Skript]:
    return skripte_laden(args.skripte or SKRIPT_ORDNER)


def _liste_befehl(args: argparse.Namespace) -> int:
    return liste(_skripte(args))


def _play_befehl(args: argparse.Namespace) -> int:
    skript = skript_finden(_skripte(args), args.name)
    return spielen(skript, _url(args), auto=args.auto)


def _check_befehl(args: argparse.Namespace) -> int:
    return pruefen(_skripte(args), _url(args))


def liste(skripte: Sequence[Skript], schreiben: Schreiben = print) -> int:
    """Print name, title and number of turns of every script."""
    breite = max(len("NAME"), *(len(s.name) for s in skripte))
    schreiben(f"{'NAME':<{breite}}  SCHRITTE  TITEL")
    for skript in skripte:
        schreiben(f"{skript.name:<{breite}}  {len(skript.schritte):>8}  {skript.titel}")
    schritte = sum(len(s.schritte) for s in skripte)
    schreiben(f"\n{len(skripte)} Skripte mit zusammen {schritte} Schritten.")
    return 0


def _umbrechen(text: str, einzug: str, folge: str | None = None) -> list[str]:
    zeilen: list[str] = []
    erster = einzug
    for absatz in text.splitlines() or [""]:
        zeilen.extend(
            textwrap.wrap(
                absatz,
                width=_BREITE,
                initial_indent=erster,
                subsequent_indent=folge if folge is not None else " " * len(einzug),
            )
            or [erster.rstrip()]
        )
        erster = folge if folge is not None else " " * len(einzug)
    return zeilen


def schritt_anzeigen(ergebnis: SchrittErgebnis, schreiben: Schreiben = print) -> None:
    """Show one turn: user message, bot replies, then rule, legal reference and learning hint."""
    gesamt = len(ergebnis.skript.schritte)
    schreiben(f"── Schritt {ergebnis.nummer}/{gesamt} " + "─" * 40)
    for zeile in _umbrechen(ergebnis.schritt.nutzer, "Nutzer:  "):
        schreiben(zeile)
    if not ergebnis.texte:
        schreiben("Bot:     (keine Antwort)")
    for text in ergebnis.texte:
        for zeile in _umbrechen(text, "Bot:     ", " " * 9):
            schreiben(zeile)
    if ergebnis.buttons:
        schreiben("         " + "  ".join(f"[{titel}]" for titel in ergebnis.buttons))
    regel = ergebnis.schritt.regel
    if regel is not None:
        for zeile in _umbrechen(f"{regel.text} ({regel.norm})", "  § Regel:       "):
            schreiben(zeile)
    for zeile in _umbrechen(ergebnis.schritt.lernhinweis, "  ➜ Lernhinweis: "):
        schreiben(zeile)
    for text in ergebnis.fehlend:
        schreiben(f"  ✗ Erwartet, aber nicht in der Antwort: „{text}“")


def spielen(
    skript: Skript,
    url: str,
    *,
    auto: bool = False,
    lesen: Lesen = input,
    schreiben: Schreiben = print,
    senden: Senden | None = None,
) -> int:
    """Play one script turn by turn, pausing for Enter unless `auto`; 1 when a reply differs."""
    schreiben(f"Skript: {skript.titel} ({skript.name})")
    for zeile in _umbrechen(skript.beschreibung, ""):
        schreiben(zeile)
    schreiben("")
    sender = neuer_sender(skript)
    abweichungen = 0
    for nummer in range(1, len(skript.schritte) + 1):
        if not auto:
            try:
                eingabe = lesen(f"[Enter: Schritt {nummer} senden, q: beenden] ")
            except (EOFError, KeyboardInterrupt):
                schreiben("")
                return 0
            if eingabe.strip().lower() in _ENDE:
                schreiben("Abgebrochen.")
                return 0
        ergebnis = schritt_spielen(skript, nummer, url, sender, senden)
        schritt_anzeigen(ergebnis, schreiben)
        schreiben("")
        abweichungen += not ergebnis.bestanden
    if abweichungen:
        schreiben(f"Ende des Skripts. {abweichungen} Schritt(e) wichen vom Skript ab.")
        return 1
    schreiben("Ende des Skripts. Alle Antworten passten zum Skript.")
    return 0


def pruefen(
    skripte: Sequence[Skript],
    url: str,
    schreiben: Schreiben = print,
    senden: Senden | None = None,
) -> int:
    """Play every script, list each failed turn, end with the summary; exit 1 on a failure."""
    bericht = alle_pruefen(skripte, url, senden)
    for ergebnis in bericht.fehlgeschlagen:
        for zeile in fehler_beschreiben(ergebnis):
            schreiben(zeile)
    schreiben(bericht.zusammenfassung())
    return 0 if bericht.bestanden else 1
