"""The Rasa launcher checks action server replies as strictly as Rasa and passes the API token."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_server

VALID = {
    "events": [
        {"event": "slot", "name": "zielgruppe", "value": "betrieb", "timestamp": None},
        {"event": "active_loop", "name": None},
    ],
    "responses": [{"response": "utter_greet"}],
}
INVALID = [
    {"events": "kein Array"},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": ["kein Objekt"]},
    ["keine Antwort"],
]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    rasa_server.use_compiled_action_validation()
    return RemoteAction("validate_betrieb_form", None)


def test_compiled_validator_is_the_one_jsonschema_validate_picks() -> None:
    schema = RemoteAction.action_response_format_spec()
    validator = rasa_server.compiled_action_response_validator()
    assert type(validator) is jsonschema.validators.validator_for(schema)
    assert validator.schema == schema


def test_valid_reply_is_accepted(compiled: RemoteAction) -> None:
    assert compiled._validate_action_result(VALID) is True


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_reply_is_refused_like_rasa_does(compiled: RemoteAction, reply: object) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        compiled._validate_action_result(reply)  # type: ignore[arg-type]
    with pytest.raises(jsonschema.ValidationError) as plain:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(plain.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_patch_is_applied_once(compiled: RemoteAction) -> None:
    first = RemoteAction._validate_action_result
    rasa_server.use_compiled_action_validation()
    assert RemoteAction._validate_action_result is first


def test_token_comes_from_the_environment_only_with_the_api() -> None:
    run = ["run", "--model", "m.tar.gz"]
    assert rasa_server.rasa_arguments(run, {"ASA_RASA_API_TOKEN": "geheim"}) == run
    with_api = rasa_server.rasa_arguments([*run, "--enable-api"], {"ASA_RASA_API_TOKEN": "geheim"})
    assert with_api == [*run, "--enable-api", "--auth-token", "geheim"]
    with pytest.raises(SystemExit, match="ASA_RASA_API_TOKEN"):
        rasa_server.rasa_arguments([*run, "--enable-api"], {})


def test_server_command_runs_this_module() -> None:
    command = rasa_server.server_command("run", "--port", "5005")
    assert command[1:] == ["-m", "bot.rasa_server", "run", "--port", "5005"]
    assert command[0].endswith("python")


class _Status:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def expect_partial(self) -> None:
        self.calls.append("expect_partial")


class _RecordingModel:
    """Stands in for a RasaModel: records what loading does, in order."""

    calls: ClassVar[list[str]] = []

    def __init__(self, **kwargs: object) -> None:
        self.prepared_for_prediction = False
        self._tf_predict_step: object = None

    def compile(self, optimizer: object) -> None:
        self.calls.append("compile")

    def run_inference(self, data: object) -> None:
        self.calls.append(f"predict(prepared={self.prepared_for_prediction})")
        self.prepared_for_prediction = True
        self._tf_predict_step = object()

    def load_weights(self, path: str) -> _Status:
        self.calls.append(f"load_weights({path})")
        return _Status(self.calls)


def test_prediction_only_loading_reads_weights_between_two_predictions() -> None:
    _RecordingModel.calls = []
    model = rasa_server._load_for_prediction(
        _RecordingModel, "weights.tf_model", "train-example", "predict-example", config={}
    )
    assert _RecordingModel.calls == [
        "compile",
        "predict(prepared=False)",
        "load_weights(weights.tf_model)",
        "expect_partial",
        "predict(prepared=False)",
    ]
    assert model.prepared_for_prediction


def test_fine_tuning_loads_as_rasa_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.utils.tensorflow.models import RasaModel

    seen: list[bool] = []

    def rasa_load(cls: type, path: str, example: object, predict: object, finetune: bool) -> str:
        seen.append(finetune)
        return "rasa"

    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_load))
    rasa_server.use_prediction_only_loading()
    assert RasaModel.load("m", "train", "predict", True) == "rasa"
    assert RasaModel.load("m", "train", None, False) == "rasa"
    assert seen == [True, False]
    rasa_server.use_prediction_only_loading()  # a second call changes nothing
    assert RasaModel.load("m", "train", None, False) == "rasa"


def test_sqlite_store_keeps_its_connections_and_other_databases_stay_as_rasa_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy as sa
    from rasa.core import tracker_store
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    rasa_kwargs = tracker_store.create_engine_kwargs
    rasa_server.use_pooled_sqlite_connections()
    pooled = tracker_store.create_engine_kwargs
    rasa_server.use_pooled_sqlite_connections()
    assert tracker_store.create_engine_kwargs is pooled  # a second call changes nothing
    url = "postgresql://asa@127.0.0.1:5432/asa"
    assert tracker_store.create_engine_kwargs(url) == rasa_kwargs(url)

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


# --- Button payloads without the NLU models ----------------------------------------------------

PAYLOAD_DOMAIN = {
    "intents": ["affirm", "info", "faq"],
    "entities": ["situation", "zeitangabe"],
    "responses": {"utter_faq/kosten": [{"text": "Kostenlos."}]},
}


@pytest.fixture(scope="module")
def payload_domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.from_dict(PAYLOAD_DOMAIN)


def _rasa_graph_result(text: str, domain: Any) -> dict[str, Any]:
    """What Rasa's NLU graph gives after its models: RegexMessageHandler over their message."""
    from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
    from rasa.shared.nlu.training_data.message import Message

    # The models' findings, which the payload handler replaces.
    modelled = Message(
        data={"text": text, "intent": {"name": "faq", "confidence": 0.4}},
        output_properties={"intent", "response_selector"},
    )
    modelled.set("response_selector", {"faq": {}}, add_to_output=True)
    handled = RegexMessageHandler().process([modelled], domain)[0]
    parse_data: dict[str, Any] = {
        "text": "",
        "intent": {"name": None, "confidence": 0.0},
        "entities": [],
    }
    parse_data.update(handled.as_dict(only_output_properties=True))
    return parse_data


@pytest.mark.parametrize(
    "text",
    [
        "/affirm",
        '/info{"situation": "schule"}',
        '/info{"situation": "schule", "zeitangabe": "2026"}',
        "/affirm@0.7",
        '/info{"unbekannt": "x"}',
        "  /affirm  ",
    ],
)
def test_payload_gives_what_rasas_graph_gives(text: str, payload_domain: Any) -> None:
    parsed = rasa_server.payload_parse_data(text, payload_domain)
    assert parsed is not None
    assert parsed == _rasa_graph_result(text, payload_domain)


@pytest.mark.parametrize(
    "text",
    ["", None, "ja", "Was kostet /affirm?", "/unbekannt", "/faq/kosten", "/", "/{kaputt"],
)
def test_other_text_goes_through_the_graph(text: str | None, payload_domain: Any) -> None:
    assert rasa_server.payload_parse_data(text, payload_domain) is None


def test_processor_uses_the_shortcut_for_payloads_only(
    monkeypatch: pytest.MonkeyPatch, payload_domain: Any
) -> None:
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    graph_calls: list[str] = []

    def graph(self: Any, message: Any, tracker: Any, only: bool = True) -> dict[str, Any]:
        graph_calls.append(message.text)
        return {"text": message.text, "intent": {"name": "faq", "confidence": 0.9}}

    monkeypatch.setattr(MessageProcessor, "_parse_message_with_graph", graph)
    rasa_server.use_payload_shortcut()
    rasa_server.use_payload_shortcut()  # applied once
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.domain = payload_domain
    parse = MessageProcessor._parse_message_with_graph
    assert parse(processor, UserMessage("/affirm"), None)["intent"] == {
        "name": "affirm",
        "confidence": 1.0,
    }
    assert parse(processor, UserMessage("was kostet das"), None)["intent"]["name"] == "faq"
    assert graph_calls == ["was kostet das"]


# --- Reading and writing conversations ---------------------------------------------------------


def test_event_type_table_answers_as_rasa_does() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    rasa_server.use_event_type_table()
    rasa_server.use_event_type_table()  # applied once
    for _ in range(2):  # filled on the first round, read on the second
        for cls in all_subclasses(Event):
            expected = next(c for c in all_subclasses(Event) if c.type_name == cls.type_name)
            assert Event.resolve_by_type(cls.type_name) is expected
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("gibt_es_nicht", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("gibt_es_nicht")


@pytest.fixture
def sql_store(tmp_path: Path) -> Any:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    rasa_server.use_lean_sql_store()
    rasa_server.use_lean_sql_store()  # applied once
    domain = Domain.from_dict({"intents": ["greet"], "slots": {}})
    return SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _stored_types(store: Any, sender: str) -> list[str]:
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender)
        return [row.type_name for row in rows.order_by(store.SQLEvent.id).all()]


def test_saving_a_read_conversation_writes_only_new_events_without_counting(
    sql_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_save_read_conversation(sql_store, monkeypatch))


async def _save_read_conversation(sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from sqlalchemy.orm import Query

    tracker = await sql_store.get_or_create_tracker("a")  # new: Rasa counts
    tracker.update(UserUttered("hallo", {"name": "greet", "confidence": 1.0}))
    await sql_store.save(tracker)
    tracker.update(BotUttered("Hallo!"))  # same object, saved again: no count either

    def no_count(self: Any) -> int:
        raise AssertionError("counted again")

    monkeypatch.setattr(Query, "count", no_count)
    await sql_store.save(tracker)
    read = await sql_store.retrieve("a")
    read.update(ActionExecuted("action_listen"))
    await sql_store.save(read)
    assert _stored_types(sql_store, "a") == ["action", "user", "bot", "action"]
    assert list((await sql_store.retrieve("a")).events) == list(read.events)


def test_a_tracker_without_a_known_count_is_counted_as_rasa_does(sql_store: Any) -> None:
    asyncio.run(_save_unknown_count(sql_store))


async def _save_unknown_count(sql_store: Any) -> None:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    first = await sql_store.get_or_create_tracker("b")
    await sql_store.save(first)
    # A tracker built elsewhere with the stored events and one more.
    other = DialogueStateTracker.from_events("b", list(first.events), [])
    other.update(UserUttered("hallo"))
    await sql_store.save(other)
    # A tracker that names more stored events than it has is counted too.
    shrunk = DialogueStateTracker.from_events("b", [ActionExecuted("action_listen")], [])
    shrunk._asa_stored_events = 5
    await sql_store.save(shrunk)
    assert _stored_types(sql_store, "b") == ["action", "user"]


def test_reading_returns_the_rows_of_rasas_own_query(sql_store: Any) -> None:
    asyncio.run(_read_like_rasa(sql_store))


async def _read_like_rasa(sql_store: Any) -> None:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    first = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=2.0)]
    first += [UserUttered("hallo", {"name": "greet", "confidence": 1.0}, timestamp=3.0)]
    second = [ActionExecuted("action_session_start", timestamp=10.0)]
    second += [SessionStarted(timestamp=11.0), SlotSet("x", "y", timestamp=12.0)]
    second += [BotUttered("Hallo!", timestamp=13.0)]
    await sql_store.save(DialogueStateTracker.from_events("d", first + second, []))
    await sql_store.save(DialogueStateTracker.from_events("other", first, []))
    assert await sql_store.retrieve("nobody") is None
    for all_sessions in (False, True):
        with sql_store.session_scope() as session:
            rasa_rows = sql_store._event_query(session, "d", all_sessions).all()
            lean = rasa_server.conversation_query(sql_store, "d", all_sessions)
            assert session.execute(lean).scalars().all() == [row.data for row in rasa_rows]
    latest = await sql_store.retrieve("d")
    assert [e.timestamp for e in latest.events] == [11.0, 12.0, 13.0]
    assert latest._asa_stored_events == 3
    full = await sql_store.retrieve_full_tracker("d")
    assert len(full.events) == 7
    assert not hasattr(full, "_asa_stored_events")  # not the count the next save needs


def test_saving_writes_the_columns_rasa_writes(sql_store: Any) -> None:
    asyncio.run(_save_columns(sql_store))


async def _save_columns(sql_store: Any) -> None:
    import json

    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [
        UserUttered("hallo", {"name": "greet", "confidence": 1.0}, timestamp=3.0),
        ActionExecuted("utter_greet", timestamp=4.0),
    ]
    await sql_store.save(DialogueStateTracker.from_events("e", events, []))
    with sql_store.session_scope() as session:
        rows = sql_store._event_query(session, "e", True).all()
        stored = [
            (r.sender_id, r.type_name, r.timestamp, r.intent_name, r.action_name) for r in rows
        ]
        assert [json.loads(r.data) for r in rows] == [e.as_dict() for e in events]
    assert stored == [("e", "user", 3.0, "greet", None), ("e", "action", 4.0, None, "utter_greet")]


# --- The domain the action server gets ---------------------------------------------------------


def test_action_server_gets_response_names_without_texts() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict(
        {
            "intents": ["greet"],
            "slots": {"zielgruppe": {"type": "text", "mappings": [{"type": "custom"}]}},
            "responses": {
                "utter_greet": [{"text": "Hallo!"}, {"text": "Guten Tag!"}],
                "utter_warum_alter": [{"text": "Weil das Alter zählt."}],
            },
            "actions": ["action_erklaere_frage"],
        }
    )
    rasa_server.use_compact_action_domain()
    rasa_server.use_compact_action_domain()  # applied once
    action = RemoteAction("action_erklaere_frage", None)
    tracker = DialogueStateTracker.from_events("c", [], domain.slots)
    sent = action._action_call_format(tracker, domain)
    assert sent["domain"]["responses"] == {"utter_greet": [], "utter_warum_alter": []}
    complete = domain.as_dict()
    assert {k: v for k, v in sent["domain"].items() if k != "responses"} == {
        k: v for k, v in complete.items() if k != "responses"
    }
    assert complete["responses"]["utter_greet"][0]["text"] == "Hallo!"  # Rasa keeps its texts
    assert action._action_call_format(tracker, domain)["domain"] is sent["domain"]
    assert sent["next_action"] == "action_erklaere_frage"
    assert sent["tracker"]["sender_id"] == "c"


def test_compact_domain_leaves_a_domain_without_responses_alone() -> None:
    assert rasa_server.compact_domain({"intents": ["greet"]}) == {"intents": ["greet"]}


# --- The prediction graph's runner -------------------------------------------------------------


class _Step:
    """The calls of the test graph's components, in order."""

    calls: ClassVar[list[str]] = []


def _graph_components() -> tuple[Any, Any]:
    from rasa.engine.graph import GraphComponent

    class Join(GraphComponent):  # type: ignore[misc]
        def __init__(self, config: dict[str, Any]) -> None:
            self.label = config["label"]

        @classmethod
        def create(cls, config: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            return cls(config)

        def run(self, **parts: Any) -> str:
            _Step.calls.append(self.label)
            return self.label + "(" + ",".join(f"{k}={parts[k]}" for k in sorted(parts)) + ")"

    class Fail(Join):
        def run(self, **parts: Any) -> str:
            raise RuntimeError("kaputt")

    return Join, Fail


def _schema(join: Any, fail: Any) -> Any:
    from rasa.engine.graph import GraphSchema, SchemaNode

    def node(label: str, needs: dict[str, str], uses: Any = join) -> Any:
        return SchemaNode(needs, uses, "create", "run", {"label": label})

    return GraphSchema(
        {
            "a": node("a", {"text": "__message__"}),
            "b": node("b", {"x": "a"}),
            "c": node("c", {"x": "a", "y": "b", "z": "__message__"}),
            "unused": node("unused", {"x": "b"}),
            "missing": node("missing", {"x": "gibt_es_nicht"}),
            "broken": node("broken", {"x": "a"}, fail),
        }
    )


def test_sequential_runner_gives_what_rasas_dask_runner_gives(tmp_path: Path) -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    join, fail = _graph_components()
    schema = _schema(join, fail)
    runner_class = rasa_server.sequential_graph_runner_class()
    assert issubclass(runner_class, DaskGraphRunner)
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(schema)
    rasa_runner = DaskGraphRunner(schema, storage, context)
    ours = runner_class(schema, storage, context)
    for targets in (["c"], ["b", "c"], ["a"]):
        for _ in range(2):  # the second run takes the order worked out in the first
            _Step.calls = []
            expected = rasa_runner.run({"__message__": "hallo"}, targets)
            rasa_calls, _Step.calls = sorted(_Step.calls), []
            assert ours.run({"__message__": "hallo"}, targets) == expected
            assert sorted(_Step.calls) == rasa_calls  # each needed node once, nothing else
    assert expected == {"a": "a(text=hallo)"}
    replaced = {"__message__": "hallo", "a": "ersetzt"}
    assert ours.run(replaced, ["c"]) == rasa_runner.run(replaced, ["c"])
    failures = []
    for runner in (rasa_runner, ours):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run({"__message__": "a"}, ["c"])
        with pytest.raises(GraphRunError, match="Missing input"):
            runner.run({"__message__": "hallo"}, ["missing"])
        with pytest.raises(Exception, match="node broken") as failed:
            runner.run({"__message__": "hallo"}, ["broken"])
        failures.append((type(failed.value), str(failed.value), str(failed.value.__cause__)))
    assert failures[0] == failures[1]
    assert failures[1][2] == "kaputt"


def test_prediction_loads_with_the_sequential_runner() -> None:
    from rasa.core import processor
    from rasa.engine.runner.dask import DaskGraphRunner

    rasa_server.use_sequential_graph_runner()
    rasa_server.use_sequential_graph_runner()  # applied once
    assert processor.DaskGraphRunner is not DaskGraphRunner
    assert issubclass(processor.DaskGraphRunner, DaskGraphRunner)
    assert not issubclass(DaskGraphRunner, processor.DaskGraphRunner)
