"""Response selector: picks the knowledge topic of a retrieval intent ("faq/kosten") linearly.

Rasa's `ResponseSelector` trains a TensorFlow model to find, for a message of a retrieval
intent such as `faq`, the topic whose answer the bot gives (`utter_faq/kosten`). This component
does the same with the n-gram model of `components.linear_text`: it trains in seconds, needs no
TensorFlow at run time, and costs well under a millisecond per message.

Its output has the shape Rasa's `ResponseSelector` gives, so Rasa's retrieval actions
(`utter_faq`) and `rasa test nlu` read it unchanged:

    response_selector:
      all_retrieval_intents: [faq]
      faq:
        response: {intent_response_key: faq/kosten, utter_action: utter_faq/kosten,
                   confidence: 0.93, responses: []}
        ranking: [{intent_response_key: faq/kosten, confidence: 0.93}, …]

The answer texts stay in the domain (`responses` is empty); the bot speaks them through
`utter_action`, and they are not copied into every stored user message. A button payload such
as "/faq/kosten" names its topic, which is then chosen with confidence 1.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_text import (
    MODEL_DEFAULTS,
    LinearTextComponent,
    new_pipeline,
    ranked,
    store,
    stored,
)

#: A button payload naming a topic, e.g. "/faq/kosten".
_TOPIC_PAYLOAD = re.compile(r"^/(?P<key>[^/{@\s]+/[^/{@\s]+)$")


def _file(retrieval_intent: str) -> str:
    return f"{retrieval_intent}.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearResponseSelector(LinearTextComponent):
    """For each retrieval intent, a linear model that ranks its topics."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **MODEL_DEFAULTS,
            # How many topics the ranking lists (0: all).
            "ranking_length": 5,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipelines: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        #: Trained model of each retrieval intent, e.g. {"faq": pipeline}.
        self._pipelines: dict[str, Any] = dict(pipelines or {})

    @property
    def retrieval_intents(self) -> list[str]:
        return sorted(self._pipelines)

    def train(self, training_data: TrainingData) -> Resource:
        examples: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for example in training_data.intent_examples:
            text, key = example.get(TEXT), example.get(INTENT_RESPONSE_KEY)
            intent = example.get(INTENT)
            if text and key and intent and key.startswith(f"{intent}/"):
                texts, keys = examples[intent]
                texts.append(text)
                keys.append(key)
        trained: dict[str, Any] = {}
        for intent, (texts, keys) in sorted(examples.items()):
            if len(set(keys)) < 2:
                # One topic only: nothing to choose, and the bot cannot tell it apart either.
                continue
            pipeline = new_pipeline(self._config)
            pipeline.fit(texts, keys)
            trained[intent] = pipeline
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "retrieval_intents.txt").write_text(
                "\n".join(sorted(trained)), encoding="utf-8"
            )
        for intent, pipeline in trained.items():
            store(pipeline, self._model_storage, self._resource, _file(intent))
        self._pipelines = trained
        return self._resource

    def _ranking(self, intent: str, text: str) -> list[tuple[str, float]]:
        pipeline = self._pipelines[intent]
        payload = _TOPIC_PAYLOAD.match(text.strip())
        if payload and payload["key"] in {str(key) for key in pipeline.classes_}:
            return [(payload["key"], 1.0)]
        return ranked(pipeline, [text])[0]

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._pipelines:
            return messages
        length = self._config["ranking_length"]
        for message in messages:
            properties: dict[str, Any] = {
                RESPONSE_SELECTOR_RETRIEVAL_INTENTS: self.retrieval_intents
            }
            for intent in self.retrieval_intents:
                ranking = self._ranking(intent, message.get(TEXT) or "")
                if length > 0:
                    ranking = ranking[:length]
                key, confidence = ranking[0]
                properties[intent] = {
                    RESPONSE_SELECTOR_PREDICTION_KEY: {
                        INTENT_RESPONSE_KEY: key,
                        RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{key}",
                        PREDICTED_CONFIDENCE_KEY: confidence,
                        RESPONSE_SELECTOR_RESPONSES_KEY: [],
                    },
                    RESPONSE_SELECTOR_RANKING_KEY: [
                        {INTENT_RESPONSE_KEY: name, PREDICTED_CONFIDENCE_KEY: value}
                        for name, value in ranking
                    ],
                }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearResponseSelector:
        try:
            with model_storage.read_from(resource) as directory:
                listed = (directory / "retrieval_intents.txt").read_text(encoding="utf-8")
        except (ValueError, FileNotFoundError):
            # Trained without data: the resource or its list was never written.
            return cls(config, model_storage, resource)
        pipelines = {}
        for intent in listed.split():
            pipeline = stored(model_storage, resource, _file(intent))
            if pipeline is not None:
                pipelines[intent] = pipeline
        return cls(config, model_storage, resource, pipelines)
