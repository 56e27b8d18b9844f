"""The linear intent classifier as a Rasa graph component: train, predict, store, load."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_intent import LinearIntentClassifier, UntrustedModelError

EXAMPLES = {
    "greet": ["hallo", "guten tag", "moin", "hi", "servus", "hallöchen", "hey du", "grüß gott"],
    "deny": ["nein", "nee", "auf keinen fall", "nö", "nicht wirklich", "eher nicht", "no"],
    "faq": [
        "was kostet asa flex",
        "wie lange dauert die vorphase",
        "wer bezahlt die förderung",
        "wie viele stunden pro woche",
        "was ist die begleitende phase",
        "gibt es asa auch in teilzeit",
    ],
}


def _training_data() -> TrainingData:
    return TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def _trained(storage: LocalModelStorage, **config: object) -> LinearIntentClassifier:
    component = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config},
        storage,
        Resource("linear_intent"),
        _context(),
    )
    component.train(_training_data())
    return component


def _predict(component: LinearIntentClassifier, text: str) -> Message:
    message = Message(data={"text": text})
    component.process([message])
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def test_predicts_unseen_wordings_with_a_sorted_ranking(storage: LocalModelStorage) -> None:
    component = _trained(storage)
    assert _predict(component, "hallo zusammen").get("intent")["name"] == "greet"
    assert _predict(component, "nee, eher nicht").get("intent")["name"] == "deny"
    message = _predict(component, "was kostet die vorphase")
    assert message.get("intent")["name"] == "faq"
    confidences = [entry["confidence"] for entry in message.get("intent_ranking")]
    assert confidences == sorted(confidences, reverse=True)
    assert {entry["name"] for entry in message.get("intent_ranking")} == set(EXAMPLES)
    assert sum(confidences) == pytest.approx(1.0)
    assert message.get("intent")["confidence"] == confidences[0]


def test_ranking_length_limits_the_ranking(storage: LocalModelStorage) -> None:
    component = _trained(storage, ranking_length=2)
    assert len(_predict(component, "moin").get("intent_ranking")) == 2


def test_stored_model_loads_and_predicts_the_same(storage: LocalModelStorage) -> None:
    trained = _trained(storage)
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, Resource("linear_intent"), _context()
    )
    for text in ("servus", "auf keinen fall", "wie lange dauert das", "🙂", ""):
        assert _predict(loaded, text).get("intent") == _predict(trained, text).get("intent")


def test_without_training_data_messages_stay_untouched(storage: LocalModelStorage) -> None:
    component = LinearIntentClassifier.create({}, storage, Resource("leer"), _context())
    component.train(TrainingData([Message(data={"text": "hallo", "intent": "greet"})]))
    loaded = LinearIntentClassifier.load({}, storage, Resource("leer"), _context())
    assert _predict(loaded, "hallo").get("intent") is None


class _Fremd:
    """A type the component never writes."""


def test_a_stored_model_with_foreign_types_is_refused(storage: LocalModelStorage) -> None:
    import skops.io as sio

    resource = Resource("fremd")
    with storage.write_to(resource) as directory:
        sio.dump({"pipeline": _Fremd()}, directory / "pipeline.skops")
    with pytest.raises(UntrustedModelError, match="neu trainieren"):
        LinearIntentClassifier.load({}, storage, resource, _context())


def test_a_retrieval_intent_button_payload_is_that_intent(storage: LocalModelStorage) -> None:
    component = _trained(storage)
    for payload in ("/faq/kosten", " /faq/hotline "):
        message = _predict(component, payload)
        assert message.get("intent") == {"name": "faq", "confidence": 1.0}
        assert message.get("intent_ranking") == [{"name": "faq", "confidence": 1.0}]
    # Not a payload of a known intent: classified like any text.
    assert _predict(component, "/gibtsnicht/kosten").get("intent")["confidence"] < 1.0
    assert _predict(component, "/faq/kosten jetzt").get("intent")["confidence"] < 1.0
