"""The linear response selector as a Rasa graph component: train, select, store, load."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_response import LinearResponseSelector

TOPICS = {
    "faq/kosten": [
        "was kostet asa flex",
        "muss der betrieb etwas bezahlen",
        "ist die förderung kostenlos",
        "wer trägt die kosten",
        "fallen gebühren an",
    ],
    "faq/dauer": [
        "wie lange dauert die vorphase",
        "wie viele monate geht die begleitende phase",
        "bis wann läuft die unterstützung",
        "wie lange kann man gefördert werden",
        "wann endet asa",
    ],
    "faq/hotline": [
        "wie ist die telefonnummer",
        "wo kann ich anrufen",
        "gibt es eine hotline",
        "welche nummer hat der arbeitgeber-service",
        "telefon bitte",
    ],
}
OTHER = {"greet": ["hallo", "guten tag", "moin"]}


def _training_data() -> TrainingData:
    messages = [
        Message(data={"text": text, "intent": key.split("/")[0], "intent_response_key": key})
        for key, texts in TOPICS.items()
        for text in texts
    ]
    messages += [
        Message(data={"text": text, "intent": intent})
        for intent, texts in OTHER.items()
        for text in texts
    ]
    return TrainingData(messages)


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def _create(storage: LocalModelStorage, **config: object) -> LinearResponseSelector:
    return LinearResponseSelector.create(
        {**LinearResponseSelector.get_default_config(), **config},
        storage,
        Resource("linear_response"),
        _context(),
    )


def _select(component: LinearResponseSelector, text: str) -> dict:
    message = Message(data={"text": text})
    component.process([message])
    return message.get("response_selector")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def test_selects_the_topic_in_rasas_output_shape(storage: LocalModelStorage) -> None:
    component = _create(storage)
    component.train(_training_data())
    selected = _select(component, "wie lange dauert die förderung")
    assert selected["all_retrieval_intents"] == ["faq"]
    response = selected["faq"]["response"]
    assert response["intent_response_key"] == "faq/dauer"
    assert response["utter_action"] == "utter_faq/dauer"
    ranking = selected["faq"]["ranking"]
    assert ranking[0] == {
        "intent_response_key": "faq/dauer",
        "confidence": response["confidence"],
    }
    confidences = [entry["confidence"] for entry in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)
    assert (
        _select(component, "unter welcher nummer erreiche ich euch")["faq"]["response"][
            "intent_response_key"
        ]
        == "faq/hotline"
    )


def test_ranking_length_limits_the_ranking(storage: LocalModelStorage) -> None:
    component = _create(storage, ranking_length=2)
    component.train(_training_data())
    assert len(_select(component, "was kostet das")["faq"]["ranking"]) == 2


def test_a_topic_payload_is_chosen_with_certainty(storage: LocalModelStorage) -> None:
    component = _create(storage)
    component.train(_training_data())
    response = _select(component, "/faq/kosten")["faq"]["response"]
    assert response["intent_response_key"] == "faq/kosten"
    assert response["confidence"] == 1.0
    # An unknown topic in a payload is not trusted; the model ranks the known ones.
    unknown = _select(component, "/faq/gibtsnicht")["faq"]["response"]
    assert unknown["intent_response_key"] in TOPICS
    assert unknown["confidence"] < 1.0


def test_stored_and_loaded_selector_selects_the_same(storage: LocalModelStorage) -> None:
    component = _create(storage)
    component.train(_training_data())
    loaded = LinearResponseSelector.load(
        LinearResponseSelector.get_default_config(),
        storage,
        Resource("linear_response"),
        _context(),
    )
    for text in ["wer bezahlt das", "hotline", "wann ist schluss mit der förderung"]:
        assert _select(loaded, text) == _select(component, text)


def test_without_retrieval_intents_messages_stay_untouched(storage: LocalModelStorage) -> None:
    component = _create(storage)
    component.train(
        TrainingData([Message(data={"text": t, "intent": "greet"}) for t in OTHER["greet"]])
    )
    message = Message(data={"text": "hallo"})
    component.process([message])
    assert message.get("response_selector") is None
    loaded = LinearResponseSelector.load(
        LinearResponseSelector.get_default_config(),
        storage,
        Resource("linear_response"),
        _context(),
    )
    assert loaded.retrieval_intents == []


def test_loading_a_never_trained_resource_gives_an_empty_selector(
    storage: LocalModelStorage,
) -> None:
    loaded = LinearResponseSelector.load(
        LinearResponseSelector.get_default_config(), storage, Resource("never"), _context()
    )
    assert loaded.retrieval_intents == []
