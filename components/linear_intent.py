"""Intent classifier: logistic regression over TF-IDF weighted character and word n-grams.

The bot's intents are told apart by short messages full of typos, dialect, missing umlauts and
one-word answers. On this data a linear model over character n-grams (inside word boundaries,
2–4 characters) and word uni- and bigrams generalises better to unseen wordings than DIET's
intent head (3-fold cross-validation, README), trains in seconds and adds no TensorFlow model.
DIET stays in the pipeline for the entities (`intent_classification: false`).

The class weights are balanced, so the large `faq` and `out_of_scope` classes do not swallow the
small ones. The probabilities are the model's own; `FallbackClassifier` reads them as usual.
The trained pipeline is stored with skops (`components.linear_text`).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_text import (
    MODEL_DEFAULTS,
    LinearTextComponent,
    UntrustedModelError,
    new_pipeline,
    ranked,
    store,
    stored,
)

__all__ = ["LinearIntentClassifier", "UntrustedModelError"]

#: A button payload of a retrieval intent, e.g. "/faq/kosten". Rasa's RegexMessageHandler only
#: unpacks payloads of the domain's intents ("/bin_betrieb"), so this one reaches the classifier.
_RETRIEVAL_PAYLOAD = re.compile(r"^/(?P<intent>[^/{@\s]+)/[^/{@\s]+$")

#: The stored pipeline's file name in the component's resource.
_FILE = "pipeline.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LinearTextComponent, IntentClassifier):
    """Predicts the intent and a ranking of intents from the message text alone."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **MODEL_DEFAULTS,
            # How many intents the ranking lists (0: all).
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._pipeline = pipeline

    def train(self, training_data: TrainingData) -> Resource:
        texts: list[str] = []
        labels: list[str] = []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            if text and intent:
                texts.append(text)
                labels.append(intent)
        if len(set(labels)) < 2:
            # Nothing to tell apart: no model, and `process` leaves messages untouched.
            return self._resource
        pipeline = new_pipeline(self._config)
        pipeline.fit(texts, labels)
        self._pipeline = pipeline
        store(pipeline, self._model_storage, self._resource, _FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._pipeline is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        intents = {str(name) for name in self._pipeline.classes_}
        length = self._config["ranking_length"]
        for message, labels in zip(messages, ranked(self._pipeline, texts), strict=True):
            payload = _RETRIEVAL_PAYLOAD.match((message.get(TEXT) or "").strip())
            if payload and payload["intent"] in intents:
                # A button was pressed: its intent is known, not guessed. The ResponseSelector
                # still picks the answer from the topic named in the payload.
                chosen = {INTENT_NAME_KEY: payload["intent"], PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, chosen, add_to_output=True)
                message.set("intent_ranking", [chosen], add_to_output=True)
                continue
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in labels
            ]
            if length > 0:
                ranking = ranking[:length]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        pipeline = stored(model_storage, resource, _FILE)
        return cls(config, model_storage, resource, pipeline)
