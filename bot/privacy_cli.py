"""`asa-bot privacy purge`: deletes conversations older than the retention period."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Any


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


def _purge(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from bot import privacy
    from bot.settings import load_settings

    settings = load_settings()
    older_than = privacy.parse_age(args.older_than or f"{settings.retention_days}d")
    url = args.url or settings.tracker_url
    now = datetime.now(timezone.utc)
    deleted = privacy.purge_store(url, older_than, now=now.timestamp(), dry_run=args.dry_run)
    if deleted is None:
        print(f"Keine Gespräche gespeichert ({sa.engine.make_url(url).database} gibt es nicht).")
        return 0
    shown = privacy.shown_url(url)
    cutoff = (now - older_than).strftime("%d.%m.%Y %H:%M UTC")
    rule = f"letzte Nachricht älter als {privacy.describe_age(older_than)} (vor {cutoff})"
    if args.dry_run:
        verb = "würde" if deleted.conversations == 1 else "würden"
        print(f"Probelauf, nichts gelöscht: {deleted} {verb} gelöscht; {rule}; {shown}")
    else:
        print(f"Gelöscht: {deleted}; {rule}; {shown}")
    return 0
