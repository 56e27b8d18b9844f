"""Intent classifier: logistic regression over TF-IDF weighted character and word n-grams.

The bot's intents are told apart by short messages full of typos, dialect, missing umlauts and
one-word answers. On this data a linear model over character n-grams (inside word boundaries,
2–4 characters) and word uni- and bigrams generalises better to unseen wordings than DIET's
intent head (3-fold cross-validation, README), trains in seconds and adds no TensorFlow model.
DIET stays in the pipeline for the entities (`intent_classification: false`).

The class weights are balanced, so the large `faq` and `out_of_scope` classes do not swallow the
small ones. The probabilities are the model's own; `FallbackClassifier` reads them as usual.
The trained pipeline is stored with skops, which loads only the types listed in `_TRUSTED`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

#: A button payload of a retrieval intent, e.g. "/faq/kosten". Rasa's RegexMessageHandler only
#: unpacks payloads of the domain's intents ("/bin_betrieb"), so this one reaches the classifier.
_RETRIEVAL_PAYLOAD = re.compile(r"^/(?P<intent>[^/{@\s]+)/[^/{@\s]+$")

#: Types beyond skops' defaults that a stored model of this component may contain.
_TRUSTED = frozenset({"scipy.sparse._csr.csr_matrix"})


class UntrustedModelError(ValueError):
    """The stored classifier contains types this component never writes."""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Predicts the intent and a ranking of intents from the message text alone."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse regularisation strength of the logistic regression.
            "C": 30.0,
            "char_ngram_range": [2, 4],
            "word_ngram_range": [1, 2],
            "max_iter": 1000,
            "random_state": 42,
            # How many intents the ranking lists (0: all).
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Any = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._pipeline = pipeline

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _new_pipeline(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        char_lo, char_hi = self._config["char_ngram_range"]
        word_lo, word_hi = self._config["word_ngram_range"]
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(char_lo, char_hi), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(word_lo, word_hi), sublinear_tf=True),
        )
        model = LogisticRegression(
            C=self._config["C"],
            max_iter=self._config["max_iter"],
            class_weight="balanced",
            random_state=self._config["random_state"],
        )
        return make_pipeline(features, model)

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
        pipeline = self._new_pipeline()
        pipeline.fit(texts, labels)
        self._pipeline = pipeline
        self._persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._pipeline is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        probabilities = self._pipeline.predict_proba(texts)
        intents = [str(name) for name in self._pipeline.classes_]
        length = self._config["ranking_length"]
        for message, row in zip(messages, probabilities, strict=True):
            payload = _RETRIEVAL_PAYLOAD.match((message.get(TEXT) or "").strip())
            if payload and payload["intent"] in intents:
                # A button was pressed: its intent is known, not guessed. The ResponseSelector
                # still picks the answer from the topic named in the payload.
                chosen = {INTENT_NAME_KEY: payload["intent"], PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, chosen, add_to_output=True)
                message.set("intent_ranking", [chosen], add_to_output=True)
                continue
            ranked = sorted(
                zip(intents, (float(p) for p in row), strict=True), key=lambda pair: -pair[1]
            )
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in ranked
            ]
            if length > 0:
                ranking = ranking[:length]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self._pipeline, directory / "pipeline.skops")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / "pipeline.skops"
                if not path.is_file():
                    return cls(config, model_storage, resource)
                untrusted = set(sio.get_untrusted_types(file=path))
                if not untrusted <= _TRUSTED:
                    raise UntrustedModelError(
                        f"Das Intent-Modell {path.name} enthält unerwartete Typen "
                        f"{sorted(untrusted - _TRUSTED)}; bitte neu trainieren (`asa-bot train`)."
                    )
                pipeline = sio.load(path, trusted=sorted(untrusted))
        except ValueError as error:
            if isinstance(error, UntrustedModelError):
                raise
            # Rasa raises ValueError when the resource was never written (no training data).
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, pipeline)
