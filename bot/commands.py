"""Registers the sub-commands of `asa-bot`; each module keeps its own arguments and handler."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add every sub-command to the `asa-bot` parser."""
    from bot.eligibility import cli as check_cli

    check_cli.register(sub)
