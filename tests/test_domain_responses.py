"""Every response the actions and forms may send exists in the domain, with a default variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.dialogue.responses import gesendete_responses

ROOT = Path(__file__).resolve().parent.parent


def _responses() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return found


def test_every_sent_response_is_in_the_domain() -> None:
    missing = sorted(gesendete_responses() - set(_responses()))
    assert missing == []


def test_every_response_has_an_unconditioned_variant() -> None:
    without_default = [
        name
        for name, variants in _responses().items()
        if not any("condition" not in v for v in variants)
    ]
    assert without_default == []


def test_placeholders_are_slots_or_values_the_actions_pass() -> None:
    import re

    passed = {"grund", "option", "gruende", "stichtag", "norm", "hinweise"}
    slots: set[str] = set()
    for path in sorted((ROOT / "domain").glob("*.yml")):
        slots.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("slots") or {})
    unknown = set()
    for name, variants in _responses().items():
        for variant in variants:
            for placeholder in re.findall(r"\{(\w+)\}", variant.get("text", "")):
                if placeholder not in slots | passed:
                    unknown.add(f"{name}: {placeholder}")
    assert sorted(unknown) == []
