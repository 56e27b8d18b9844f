"""Deleting conversations: purge by age and deletion on request, on SQLite and on PostgreSQL.

The stores are made by Rasa's own SQLTrackerStore (table `events`), filled with conversations
whose timestamps the test chooses. PostgreSQL runs at 127.0.0.1:5432 (database `test`, user
postgres); each test works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot import privacy
from bot.errors import AsaError, ConfigError

ASA_BOT = Path(sys.executable).parent / "asa-bot"
DAY = 86400.0
NOW = 1_800_000_000.0  # 2027-01-15, the "now" of these tests
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _events(start: float, *, delete_request: bool = False) -> list[Any]:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    events: list[Any] = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 1),
        ActionExecuted("action_listen", timestamp=start + 2),
        UserUttered("Hallo", {"name": "greet"}, timestamp=start + 3),
        BotUttered("Hallo!", timestamp=start + 4),
        ActionExecuted("action_listen", timestamp=start + 5),
    ]
    if delete_request:
        events += [
            UserUttered("/daten_loeschen", {"name": "daten_loeschen"}, timestamp=start + 6),
            ActionExecuted("action_daten_loeschen", timestamp=start + 7),
            SlotSet("zielgruppe", None, timestamp=start + 8),
            BotUttered("Gelöscht.", timestamp=start + 9),
            ActionExecuted("action_listen", timestamp=start + 10),
        ]
    return events


def _save(store: Any, sender: str, events: list[Any]) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def _count(engine: Any, sender: str | None = None) -> int:
    query = "SELECT COUNT(*) FROM events"
    params: dict[str, str] = {}
    if sender is not None:
        query += " WHERE sender_id = :s"
        params["s"] = sender
    with engine.connect() as connection:
        return int(connection.execute(sa.text(query), params).scalar())


def _rasa_store(url: str) -> Any:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return SQLTrackerStore(Domain.empty(), host=url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def _postgres_reachable() -> str | None:
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return " ".join(str(exc.orig).split())
    finally:
        engine.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A schema of its own in the test database, dropped with its rows afterwards."""
    problem = _postgres_reachable()
    if problem:
        message = f"PostgreSQL unter {PG_URL} nicht erreichbar: {problem}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (unter CI=true Pflicht)")
        pytest.skip(message)
    schema = f"asa_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{postgres_schema}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


def _fill(url: str) -> Any:
    """Three conversations: 40 and 31 days old, and one from yesterday that began 90 days ago."""
    store = _rasa_store(url)
    _save(store, "alt-40", _events(NOW - 40 * DAY))
    _save(store, "alt-31", _events(NOW - 31 * DAY))
    _save(store, "aktiv", _events(NOW - 90 * DAY) + _events(NOW - 1 * DAY))
    return store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", timedelta(days=30)),
        ("30", timedelta(days=30)),
        ("48h", timedelta(hours=48)),
        (" 7 D ", timedelta(days=7)),
        ("0h", timedelta(0)),
    ],
)
def test_ages_in_days_or_hours(text: str, expected: timedelta) -> None:
    assert privacy.parse_age(text) == expected


@pytest.mark.parametrize("text", ["", "30 Tage", "-3d", "1.5d", "30m", "d"])
def test_other_ages_are_refused_in_german(text: str) -> None:
    with pytest.raises(ConfigError, match="30d"):
        privacy.parse_age(text)


def test_purge_deletes_conversations_whose_newest_event_is_too_old(store_url: str) -> None:
    store = _fill(store_url)
    engine = store.engine
    per_conversation = _count(engine, "alt-40")
    assert per_conversation == 6 and _count(engine, "aktiv") == 12

    preview = privacy.purge(engine, timedelta(days=30), now=NOW, dry_run=True)
    assert preview == privacy.Deleted(2, 2 * per_conversation)
    assert _count(engine) == 24, "a dry run deletes nothing"

    assert privacy.purge(engine, timedelta(days=30), now=NOW) == preview
    assert _count(engine, "alt-40") == _count(engine, "alt-31") == 0
    assert _count(engine, "aktiv") == 12, "an active conversation keeps its old sessions too"
    assert privacy.purge(engine, timedelta(days=30), now=NOW) == privacy.Deleted(0, 0)

    assert privacy.purge(engine, timedelta(hours=12), now=NOW) == privacy.Deleted(1, 12)
    assert _count(engine) == 0


def test_purge_of_a_store_without_events_table(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'leer.db'}")
    assert privacy.purge(engine, timedelta(days=1)) == privacy.Deleted(0, 0)


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_schedule_purges_at_start_then_once_per_interval(store_url: str) -> None:
    store = _fill(store_url)
    clock = _Clock(NOW)
    schedule = privacy.RetentionSchedule(store_url, timedelta(days=30), 24 * 3600.0, clock=clock)
    assert schedule.tick() == (
        "Aufbewahrungsfrist: 2 Gespräche mit 12 Ereignissen gelöscht "
        "(letzte Nachricht älter als 30 Tage)."
    )
    assert _count(store.engine) == 12

    _save(store, "spaeter-alt", _events(NOW - 40 * DAY))
    clock.now = NOW + 23 * 3600
    assert schedule.tick() is None, "not due before the interval has passed"
    assert _count(store.engine, "spaeter-alt") == 6

    clock.now = NOW + 24 * 3600
    assert schedule.tick() == (
        "Aufbewahrungsfrist: 1 Gespräch mit 6 Ereignissen gelöscht "
        "(letzte Nachricht älter als 30 Tage)."
    )
    assert _count(store.engine, "spaeter-alt") == 0
    clock.now = NOW + 48 * 3600
    assert schedule.tick() is None, "nothing to delete is not reported"
    assert _count(store.engine, "aktiv") == 12


def test_schedule_finds_the_table_in_the_profiles_postgresql_schema(postgres_schema: str) -> None:
    store = _rasa_store(f"{PG_URL}?options=-csearch_path%3D{postgres_schema}")
    _save(store, "pg-alt", _events(NOW - 40 * DAY))
    _save(store, "pg-neu", _events(NOW - 1 * DAY))
    schedule = privacy.RetentionSchedule(
        PG_URL, timedelta(days=30), 3600.0, schema=postgres_schema, clock=_Clock(NOW)
    )
    assert schedule.tick() is not None
    assert _count(store.engine, "pg-alt") == 0 and _count(store.engine, "pg-neu") == 6


def test_schedule_switched_off_deletes_nothing(sqlite_url: str) -> None:
    store = _fill(sqlite_url)
    schedule = privacy.RetentionSchedule(sqlite_url, timedelta(days=30), 0, clock=_Clock(NOW))
    assert not schedule.enabled
    assert schedule.tick() is None
    assert _count(store.engine) == 24
    assert "ASA_PURGE_EVERY_HOURS=0" in schedule.describe()


def test_schedule_reports_an_unusable_database_and_tries_again_later(tmp_path: Path) -> None:
    clock = _Clock(NOW)
    url = "postgresql://nobody@127.0.0.1:9/none"
    schedule = privacy.RetentionSchedule(url, timedelta(days=30), 24 * 3600.0, clock=clock)
    report = schedule.tick()
    assert report is not None and report.startswith("Aufbewahrungsfrist: alte Gespräche nicht")
    assert "127.0.0.1:9" in report and report.endswith("Nächster Versuch in 60 Minuten.")
    clock.now = NOW + 3599
    assert schedule.tick() is None, "no new attempt before the retry"
    clock.now = NOW + 3600
    assert schedule.tick() is not None, "tried again after the retry"

    missing = tmp_path / "gibt-es-nicht.db"
    quiet = privacy.RetentionSchedule(f"sqlite:///{missing}", timedelta(days=1), 3600.0)
    assert quiet.tick() is None
    assert not missing.exists(), "no empty database is created"


def test_schedule_describes_itself_for_the_start_up_text() -> None:
    daily = privacy.RetentionSchedule("sqlite://", timedelta(days=30), 24 * 3600.0)
    assert daily.describe() == (
        "Gespräche, deren letzte Nachricht älter als 30 Tage ist, werden beim Start und dann "
        "alle 24 Stunden gelöscht"
    )
    hourly = privacy.RetentionSchedule("sqlite://", timedelta(days=1), 3600.0)
    assert hourly.describe().endswith(
        "älter als 1 Tag ist, werden beim Start und dann jede Stunde gelöscht"
    )


def test_deletion_request_is_read_from_the_last_turn_and_deletes_one_sender(
    store_url: str,
) -> None:
    store = _fill(store_url)
    engine = store.engine
    _save(store, "loeschen", _events(NOW - 10, delete_request=True))
    assert privacy.last_turn_requests_deletion(engine, "loeschen")
    assert not privacy.last_turn_requests_deletion(engine, "aktiv")
    assert not privacy.last_turn_requests_deletion(engine, "unbekannt")

    assert privacy.delete_conversation(engine, "loeschen") == privacy.Deleted(1, 11)
    assert _count(engine, "loeschen") == 0
    assert _count(engine) == 24, "other conversations stay"
    assert privacy.delete_conversation(engine, "loeschen") == privacy.Deleted(0, 0)


def test_a_later_turn_no_longer_counts_as_deletion_request() -> None:
    turn = [("action", "action_listen"), ("bot", None), ("action", "action_daten_loeschen")]
    assert privacy.turn_requests_deletion(turn)
    assert not privacy.turn_requests_deletion([("action", "action_listen"), ("user", None), *turn])
    assert not privacy.turn_requests_deletion([("action", "action_daten_loeschen_x")])
    assert not privacy.turn_requests_deletion([])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ASA_BOT), "privacy", "purge", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_cli_purges_the_configured_sqlite_file_with_dry_run_first(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    engine = _fill(f"sqlite:///{db}").engine
    env = {"ASA_TRACKER_DB": str(db), "ASA_TRACKER_STORE_URL": "", "ASA_RETENTION_DAYS": "30"}
    # The CLI uses the real clock: move the conversations so that they are 40 and 31 days old
    # and from yesterday as seen from now.
    shift = time.time() - NOW
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp + :d"), {"d": shift})

    probe = _cli("--dry-run", env=env)
    assert probe.returncode == 0, probe.stderr
    assert "Probelauf" in probe.stdout and "2 Gespräche mit 12 Ereignissen" in probe.stdout
    assert "würden gelöscht; letzte Nachricht älter als 30 Tage (vor " in probe.stdout
    assert _count(engine) == 24

    done = _cli(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gelöscht: 2 Gespräche mit 12 Ereignissen")
    assert _count(engine) == 12

    hours = _cli("--older-than", "12h", env=env)
    assert "Gelöscht: 1 Gespräch mit 12 Ereignissen" in hours.stdout
    assert "12 Stunden" in hours.stdout
    assert _count(engine) == 0


def test_cli_takes_a_url_and_explains_bad_input(tmp_path: Path) -> None:
    db = tmp_path / "anderswo.db"
    _fill(f"sqlite:///{db}")
    env = {"ASA_TRACKER_DB": str(tmp_path / "fehlt.db"), "ASA_TRACKER_STORE_URL": ""}
    nothing = _cli(env=env)
    assert nothing.returncode == 0 and "Keine Gespräche gespeichert" in nothing.stdout

    missing = _cli("--url", f"sqlite:///{tmp_path / 'auch-nicht.db'}", env=env)
    assert missing.returncode == 0 and "Keine Gespräche gespeichert" in missing.stdout
    assert not (tmp_path / "auch-nicht.db").exists(), "no empty database is created"

    by_url = _cli("--url", f"sqlite:///{db}", "--older-than", "10000d", env=env)
    assert by_url.returncode == 0 and "Gelöscht: 0 Gespräche" in by_url.stdout

    bad = _cli("--older-than", "bald", env=env)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert "30d" in bad.stderr

    unreachable = _cli("--url", "postgresql://nobody@127.0.0.1:9/none", env=env)
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    assert "nicht nutzbar" in unreachable.stderr and unreachable.stderr.count("\n") == 1


def test_cli_purges_postgresql_through_the_tracker_store_url(postgres_url: str) -> None:
    store = _rasa_store(postgres_url)
    shift = time.time() - NOW
    _save(store, "pg-alt", _events(NOW - 40 * DAY + shift))
    _save(store, "pg-neu", _events(NOW - 1 * DAY + shift))
    env = {"ASA_TRACKER_STORE_URL": postgres_url}
    done = _cli("--older-than", "30d", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gelöscht: 1 Gespräch mit 6 Ereignissen")
    assert "postgresql://postgres@127.0.0.1:5432/test" in done.stdout
    assert _count(store.engine, "pg-alt") == 0 and _count(store.engine, "pg-neu") == 6


def test_endpoints_with_a_postgresql_url_keep_conversations_there(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import read_endpoints_from_path
    from rasa.shared.core.domain import Domain

    from bot.settings import PROJECT_ROOT

    monkeypatch.setenv("ASA_ACTIONS_URL", "http://127.0.0.1:9/webhook")
    monkeypatch.setenv("ASA_TRACKER_DB", str(tmp_path / "nicht-benutzt.db"))
    monkeypatch.setenv("ASA_TRACKER_STORE_URL", postgres_url)
    endpoints = read_endpoints_from_path(PROJECT_ROOT / "endpoints.yml")
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    _save(store, "pg-gespraech", _events(NOW))
    engine = getattr(store, "_tracker_store", store).engine
    assert engine.dialect.name == "postgresql"
    assert _count(engine, "pg-gespraech") == 6
    assert asyncio.run(store.retrieve("pg-gespraech")) is not None
    assert not (tmp_path / "nicht-benutzt.db").exists()


def test_a_postgresql_server_that_never_answers_is_given_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The runner's loop calls the schedule: a silent server must not hold it (nor Ctrl-C)."""
    import socket
    import threading

    monkeypatch.setattr(privacy, "_CONNECT_TIMEOUT", 2)
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel completes the handshake; nobody ever answers
    url = f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/test"
    outcome: list[BaseException | object] = []

    def _purge() -> None:
        try:
            outcome.append(privacy.purge_store(url, timedelta(days=30), now=NOW, schema="s"))
        except BaseException as error:  # handed over to the test thread
            outcome.append(error)

    worker = threading.Thread(target=_purge, daemon=True)
    try:
        worker.start()
        worker.join(timeout=20)
        assert not worker.is_alive(), "purge_store still waits for a server that never answers"
    finally:
        silent.close()
        worker.join(timeout=20)
    assert len(outcome) == 1 and isinstance(outcome[0], AsaError), outcome
    assert "nicht nutzbar" in str(outcome[0])
