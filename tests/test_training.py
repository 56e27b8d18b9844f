"""The model is retrained exactly when a training input changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import training
from bot.settings import load_settings


def _project(tmp_path: Path) -> Path:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "domain").mkdir()
    (tmp_path / "config.yml").write_text("language: de\n", encoding="utf-8")
    (tmp_path / "domain" / "core.yml").write_text("intents: [greet]\n", encoding="utf-8")
    (tmp_path / "data" / "nlu" / "core.yml").write_text("nlu: []\n", encoding="utf-8")
    return tmp_path


def test_fingerprint_is_stable_and_changes_with_content(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = training.training_fingerprint(root)
    assert training.training_fingerprint(root) == first
    (root / "data" / "nlu" / "core.yml").write_text("nlu: [x]\n", encoding="utf-8")
    assert training.training_fingerprint(root) != first


def test_fingerprint_changes_with_new_file_and_versions(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = training.training_fingerprint(root)
    (root / "data" / "rules.yml").write_text("rules: []\n", encoding="utf-8")
    second = training.training_fingerprint(root)
    assert second != first
    assert training.training_fingerprint(root, extra="rasa=9") != second


def test_model_is_current_only_with_matching_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings({"ASA_DATA_DIR": str(tmp_path)})
    monkeypatch.setattr(training, "training_fingerprint", lambda extra="": f"fp|{extra}")
    expected = f"fp|{training._versions()}"
    assert not training.model_is_current(settings)
    settings.model_dir.mkdir(parents=True)
    settings.model_path.write_bytes(b"model")
    assert not training.model_is_current(settings), "a model without stamp is not current"
    stamp = settings.model_dir / "asa.fingerprint"
    stamp.write_text(expected + "\n", encoding="utf-8")
    assert training.model_is_current(settings)
    stamp.write_text("other\n", encoding="utf-8")
    assert not training.model_is_current(settings)
