"""`asa-bot privacy purge`: deletes conversations older than the retention period."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.errors import AsaError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `privacy` with its sub-command `purge` to the `asa-bot` parser."""
    privacy = sub.add_parser("privacy", help="Datenschutz: gespeicherte Gespräche löschen")
    actions = privacy.add_subparsers(dest="privacy_command", required=True, metavar="BEFEHL")
    purge = actions.add_parser(
        "purge",
        help="löscht Gespräche, deren letzte Nachricht älter als die Aufbewahrungsfrist ist",
        description=(
            "Löscht alle Gespräche, deren letztes Ereignis älter ist als die angegebene Dauer "
            "(Standard: ASA_RETENTION_DAYS). Gilt für die SQLite-Datei (ASA_TRACKER_DB) oder die "
            "Datenbank aus ASA_TRACKER_STORE_URL."
        ),
    )
    purge.add_argument(
        "--older-than",
        metavar="DAUER",
        help="z. B. 30d (Tage) oder 48h (Stunden); Standard: ASA_RETENTION_DAYS Tage",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="nur zählen, was gelöscht würde; nichts löschen"
    )
    purge.add_argument(
        "--url", help="SQLAlchemy-URL der Datenbank (Standard aus den Einstellungen)"
    )
    purge.set_defaults(func=_purge)


def _describe(age_seconds: float) -> str:
    hours = int(age_seconds // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return "1 Tag" if days == 1 else f"{days} Tage"
    return "1 Stunde" if hours == 1 else f"{hours} Stunden"


def _purge(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from bot import privacy
    from bot.settings import load_settings

    settings = load_settings()
    older_than = privacy.parse_age(args.older_than or f"{settings.retention_days}d")
    engine = privacy.make_engine(args.url or settings.tracker_url)
    shown = engine.url.render_as_string(hide_password=True)
    sqlite_file = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if sqlite_file is not None and not Path(sqlite_file).is_file():
        print(f"Keine Gespräche gespeichert ({sqlite_file} gibt es nicht).")
        return 0
    now = datetime.now(timezone.utc)
    try:
        deleted = privacy.purge(engine, older_than, now=now.timestamp(), dry_run=args.dry_run)
    except sa.exc.SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise AsaError(f"Datenbank {shown} nicht nutzbar: {reason}") from None
    finally:
        engine.dispose()
    cutoff = (now - older_than).strftime("%d.%m.%Y %H:%M UTC")
    amount = (
        f"{deleted.conversations} {'Gespräch' if deleted.conversations == 1 else 'Gespräche'} "
        f"mit {deleted.events} {'Ereignis' if deleted.events == 1 else 'Ereignissen'}"
    )
    rule = f"letzte Nachricht älter als {_describe(older_than.total_seconds())} (vor {cutoff})"
    if args.dry_run:
        verb = "würde" if deleted.conversations == 1 else "würden"
        print(f"Probelauf, nichts gelöscht: {amount} {verb} gelöscht; {rule}; {shown}")
    else:
        print(f"Gelöscht: {amount}; {rule}; {shown}")
    return 0
