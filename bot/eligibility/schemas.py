"""Access to the JSON Schemas shipped with the package (`bot/schemas/*.json`)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Literal

SchemaName = Literal["facts", "result"]


@functools.lru_cache(maxsize=2)
def schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema for the facts (input) or the result (output) of `asa-bot check`."""
    text = (
        resources.files("bot").joinpath(f"schemas/{name}.schema.json").read_text(encoding="utf-8")
    )
    daten: dict[str, Any] = json.loads(text)
    return daten
