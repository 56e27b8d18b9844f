"""The `asa-bot` command line: one entry point for the project's own commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """Build the parser; each command module adds its own sub-command via `register`."""
    parser = argparse.ArgumentParser(prog="asa-bot", description="AsA-flex-Beratungsbot")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    # Command modules are imported here, not at module level, so `import bot.cli` stays cheap.
    from bot import commands

    commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from bot.commands import handle_errors

    return handle_errors(args)


if __name__ == "__main__":
    sys.exit(main())
