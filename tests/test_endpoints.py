"""endpoints.yml takes the action server URL and the SQLite file from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_environment_variables_are_substituted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.utils import read_endpoints_from_path

    monkeypatch.setenv("ASA_ACTIONS_URL", "http://127.0.0.1:6055/webhook")
    monkeypatch.setenv("ASA_TRACKER_DB", str(tmp_path / "tracker.db"))
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    assert endpoints.action.url == "http://127.0.0.1:6055/webhook"
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.tracker_store.kwargs == {
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
    }
