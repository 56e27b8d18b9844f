"""Channels read the texts of named domain responses; a missing one is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain_texts import response_texts
from bot.errors import SetupError
from bot.telegram import RESPONSES


def test_the_unconditioned_variant_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "responses:\n"
        "  utter_x:\n"
        "    - condition: [{type: slot, name: s, value: v}]\n"
        "      text: Bedingt\n"
        "    - text: Für alle\n"
        "    - text: Zweite Variante\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yml").write_text("responses:\n  utter_y:\n    - text: Y\n", encoding="utf-8")
    assert response_texts(["utter_x", "utter_y"], tmp_path) == {
        "utter_x": "Für alle",
        "utter_y": "Y",
    }


def test_a_missing_response_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("responses: {}\n", encoding="utf-8")
    with pytest.raises(SetupError, match="utter_fehlt"):
        response_texts(["utter_fehlt"], tmp_path)


def test_telegram_texts_exist_speak_du_and_fit_telegram() -> None:
    texts = response_texts(RESPONSES)
    assert set(texts) == RESPONSES
    assert all("{" not in text for text in texts.values())  # sent as they are, no slots
    assert all(" Sie " not in text for text in texts.values())
    assert "dir" in texts["utter_telegram_start"]
    assert len(texts["utter_telegram_knopf_abgelaufen"]) <= 200  # callback answer limit


def test_the_payloads_the_channel_sends_exist_in_the_domain() -> None:
    import yaml

    from bot.settings import PROJECT_ROOT
    from bot.telegram import RESTART_PAYLOAD, START_PAYLOAD

    intents: set[str] = set()
    for path in (PROJECT_ROOT / "domain").glob("*.yml"):
        intents.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("intents") or [])
    assert {RESTART_PAYLOAD.lstrip("/"), START_PAYLOAD.lstrip("/")} <= intents
