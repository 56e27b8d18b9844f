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
    monkeypatch.setenv("ASA_TRACKER_STORE_URL", "")
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    assert endpoints.action.url == "http://127.0.0.1:6055/webhook"
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.tracker_store.kwargs == {
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
    }
    assert not endpoints.tracker_store.url, "empty URL: the SQLite file applies"


def test_sqlite_file_is_the_default_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.core.utils import read_endpoints_from_path

    monkeypatch.setenv("ASA_ACTIONS_URL", "http://127.0.0.1:6055/webhook")
    monkeypatch.setenv("ASA_TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ASA_TRACKER_STORE_URL", "")
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    store = TrackerStore.create(endpoints.tracker_store)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, SQLTrackerStore)
    assert str(inner.engine.url) == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert (tmp_path / "tracker.db").is_file()


def test_a_database_url_replaces_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import read_endpoints_from_path

    url = "postgresql://postgres@127.0.0.1:5432/test"
    monkeypatch.setenv("ASA_ACTIONS_URL", "http://127.0.0.1:6055/webhook")
    monkeypatch.setenv("ASA_TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ASA_TRACKER_STORE_URL", url)
    endpoints = read_endpoints_from_path(ROOT / "endpoints.yml")
    # Rasa passes the endpoint's url on as `host`; a host with "://" is the whole URL.
    kwargs = endpoints.tracker_store.kwargs
    assert SQLTrackerStore.get_db_url(host=endpoints.tracker_store.url, **kwargs) == url
