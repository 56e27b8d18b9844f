"""The changes to Rasa's prediction give what Rasa's own code gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot import rasa_prediction


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
    model = rasa_prediction._load_for_prediction(
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
    rasa_prediction.use_prediction_only_loading()
    assert RasaModel.load("m", "train", "predict", True) == "rasa"
    assert RasaModel.load("m", "train", None, False) == "rasa"
    assert seen == [True, False]
    rasa_prediction.use_prediction_only_loading()  # a second call changes nothing
    assert RasaModel.load("m", "train", None, False) == "rasa"


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
    parsed = rasa_prediction.payload_parse_data(text, payload_domain)
    assert parsed is not None
    assert parsed == _rasa_graph_result(text, payload_domain)


@pytest.mark.parametrize(
    "text",
    ["", None, "ja", "Was kostet /affirm?", "/unbekannt", "/faq/kosten", "/", "/{kaputt"],
)
def test_other_text_goes_through_the_graph(text: str | None, payload_domain: Any) -> None:
    assert rasa_prediction.payload_parse_data(text, payload_domain) is None


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
    rasa_prediction.use_payload_shortcut()
    rasa_prediction.use_payload_shortcut()  # applied once
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.domain = payload_domain
    parse = MessageProcessor._parse_message_with_graph
    assert parse(processor, UserMessage("/affirm"), None)["intent"] == {
        "name": "affirm",
        "confidence": 1.0,
    }
    assert parse(processor, UserMessage("was kostet das"), None)["intent"]["name"] == "faq"
    assert graph_calls == ["was kostet das"]


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
    runner_class = rasa_prediction.sequential_graph_runner_class()
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

    rasa_prediction.use_sequential_graph_runner()
    rasa_prediction.use_sequential_graph_runner()  # applied once
    assert processor.DaskGraphRunner is not DaskGraphRunner
    assert issubclass(processor.DaskGraphRunner, DaskGraphRunner)
    assert not issubclass(DaskGraphRunner, processor.DaskGraphRunner)
