"""Texts of named domain responses, for channels that answer without the dialogue model.

All text the bot says lives in `domain/*.yml`. A channel that must answer on its own (a greeting
before the dialogue starts, a notice about an unsupported message) reads the response by name;
the unconditioned variant is used, the first one if there are several.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.errors import SetupError
from bot.settings import PROJECT_ROOT

DOMAIN_DIR = PROJECT_ROOT / "domain"


def _responses(domain_dir: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SetupError(f"Die Domain-Datei {path} ist nicht lesbar: {exc}") from None
        if isinstance(content, dict):
            found.update(content.get("responses") or {})
    return found


def response_texts(names: Iterable[str], domain_dir: Path = DOMAIN_DIR) -> dict[str, str]:
    """The text of each named response; SetupError names the first one that is missing."""
    responses = _responses(domain_dir)
    texts: dict[str, str] = {}
    for name in sorted(set(names)):
        variants = responses.get(name) or []
        text = next(
            (
                v["text"]
                for v in variants
                if isinstance(v, dict) and "condition" not in v and isinstance(v.get("text"), str)
            ),
            None,
        )
        if text is None:
            raise SetupError(
                f"Die Antwort {name!r} fehlt in {domain_dir}/*.yml (ein Eintrag unter "
                "`responses:` mit einer Variante ohne Bedingung)."
            )
        texts[name] = text
    return texts
