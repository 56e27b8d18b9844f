"""Registers the sub-commands of `asa-bot`; each handler returns the process exit code."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.errors import AsaError

if TYPE_CHECKING:
    from bot.privacy import RetentionSchedule
    from bot.settings import Settings


def _setup(args: argparse.Namespace) -> int:
    from bot.nlp import build_spacy_model
    from bot.settings import load_settings

    settings = load_settings()
    if build_spacy_model(settings.spacy_model_dir):
        print(f"Deutsches spaCy-Modell gebaut: {settings.spacy_model_dir}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from bot.training import ensure_model

    settings = load_settings()
    if ensure_model(settings, force=args.force):
        print(f"Modell trainiert: {settings.model_path}")
    else:
        print(f"Nichts geändert, vorhandenes Modell wird genutzt: {settings.model_path}")
    return 0


def _retention(settings: Settings, url: str, schema: str = "") -> RetentionSchedule:
    """Deleting old conversations while the bot runs (ASA_RETENTION_DAYS, ASA_PURGE_EVERY_HOURS)."""
    from datetime import timedelta

    from bot.privacy import RetentionSchedule

    older_than = timedelta(days=settings.retention_days)
    return RetentionSchedule(url, older_than, settings.purge_every_hours * 3600.0, schema=schema)


def _run(args: argparse.Namespace) -> int:
    from bot.serve import running_servers
    from bot.settings import load_settings

    settings = load_settings()
    retention = _retention(settings, settings.tracker_url)
    with running_servers(settings, train=not args.no_train) as bot:
        print(
            "\nDer AsA-Bot ist bereit.\n"
            f"  REST:          POST {settings.rest_url}\n"
            '                 {"sender": "ich", "message": "Was kostet AsA flex?"}\n'
            "  Terminal-Chat: in einem zweiten Terminal `make shell`\n"
            f"  Demoseite:     {settings.web_url} (Chat-Widget unten rechts)\n"
            f"  Gespräche:     {settings.tracker_store_shown}\n"
            f"  Aufbewahrung:  {retention.describe()}\n"
            "Beenden mit Strg+C.",
            flush=True,
        )
        code = bot.wait(retention)
        print("Der Bot wird beendet …", flush=True)
    return code


def _run_scaled(args: argparse.Namespace) -> int:
    from bot.scaled import running_scaled, startup_text
    from bot.scaled_settings import load_scaled_settings

    settings = load_scaled_settings()
    retention = _retention(settings.base, settings.postgres_url, settings.postgres_schema)
    with running_scaled(settings, train=not args.no_train) as bot:
        print(startup_text(settings, bot, retention.describe()), flush=True)
        code = bot.wait(retention)
        print("Der Bot wird beendet …", flush=True)
    return code


def _model_path(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    print(load_settings().model_path)
    return 0


def _shell(args: argparse.Namespace) -> int:
    from bot.chat import repl
    from bot.settings import load_settings

    return repl(args.url or load_settings().rest_url)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add every sub-command to the `asa-bot` parser."""
    from bot.eligibility import cli as check_cli

    check_cli.register(sub)

    setup = sub.add_parser("setup", help="baut das deutsche spaCy-Modell (offline)")
    setup.set_defaults(func=_setup)

    train = sub.add_parser("train", help="trainiert das Modell, wenn sich Daten geändert haben")
    train.add_argument("--force", action="store_true", help="auch ohne Änderung neu trainieren")
    train.set_defaults(func=_train)

    run = sub.add_parser("run", help="startet Action-Server und Rasa-Server bis Strg+C")
    run.add_argument(
        "--no-train", action="store_true", help="nicht trainieren, Modell muss da sein"
    )
    run.set_defaults(func=_run)

    scaled = sub.add_parser(
        "run-scaled",
        help="Scale-out: mehrere Rasa-Server hinter nginx, PostgreSQL und Redis, bis Strg+C",
    )
    scaled.add_argument(
        "--no-train", action="store_true", help="nicht trainieren, Modell muss da sein"
    )
    scaled.set_defaults(func=_run_scaled)

    model_path = sub.add_parser("model-path", help="zeigt den Pfad des trainierten Modells")
    model_path.set_defaults(func=_model_path)

    shell = sub.add_parser("shell", help="Chat im Terminal mit dem laufenden Bot")
    shell.add_argument("--url", help="REST-Webhook des Bots (Standard aus den Einstellungen)")
    shell.set_defaults(func=_shell)

    from bot.staff_training import cli as training_cli

    training_cli.register(sub)

    from bot import telegram_cli

    telegram_cli.register(sub)

    from bot import privacy_cli

    privacy_cli.register(sub)


def handle_errors(args: argparse.Namespace) -> int:
    """Run the chosen handler; the project's own errors become one line on stderr."""
    try:
        return int(args.func(args))
    except AsaError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2 if args.command == "check" else 1
    except KeyboardInterrupt:
        return 130
