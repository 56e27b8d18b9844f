"""Reads the text of named responses from the domain files, for replies sent without the model.

Input channels answer some messages themselves (a rejection by the guard, a malformed request).
Their German text still lives in the domain (domain/guard.yml); this loader takes the first
variant without a condition, as Rasa would for a conversation without slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.errors import SetupError
from bot.settings import PROJECT_ROOT

DOMAIN_DIR = PROJECT_ROOT / "domain"


def response_texts(names: Iterable[str], domain_dir: Path = DOMAIN_DIR) -> dict[str, str]:
    """The unconditioned text of each named response; SetupError names any that is missing."""
    wanted = set(names)
    found: dict[str, str] = {}
    paths = sorted(domain_dir.glob("*.yml")) if domain_dir.is_dir() else []
    for path in paths:
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SetupError(f"Domain-Datei {path} kann nicht gelesen werden: {exc}") from None
        responses = content.get("responses") if isinstance(content, dict) else None
        for name, variants in (responses or {}).items():
            if name not in wanted or name in found or not isinstance(variants, list):
                continue
            for variant in variants:
                if isinstance(variant, dict) and "condition" not in variant:
                    text = variant.get("text")
                    if isinstance(text, str) and text.strip():
                        found[name] = text.strip()
                        break
    missing = sorted(wanted - set(found))
    if missing:
        raise SetupError(
            f"In {domain_dir} fehlt der Text dieser Antworten: {', '.join(missing)} "
            "(erwartet in domain/guard.yml, jeweils mit einer Variante ohne Bedingung)."
        )
    return found
