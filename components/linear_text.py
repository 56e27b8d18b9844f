"""What the project's linear text components share: the n-gram model, storing and loading it.

Both components (`linear_intent`, `linear_response`) learn a logistic regression over TF-IDF
weighted character n-grams (inside word boundaries) and word n-grams of the message text. The
trained scikit-learn pipeline is stored with skops, which loads only the types it knows and the
ones listed in `TRUSTED`; anything else is refused with `UntrustedModelError`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

#: Types beyond skops' defaults that a stored model of these components may contain.
TRUSTED = frozenset({"scipy.sparse._csr.csr_matrix"})

#: The settings of the n-gram model, with their defaults.
MODEL_DEFAULTS: dict[str, Any] = {
    # Inverse regularisation strength of the logistic regression.
    "C": 30.0,
    "char_ngram_range": [2, 4],
    "word_ngram_range": [1, 2],
    "max_iter": 1000,
    "random_state": 42,
}


class UntrustedModelError(ValueError):
    """The stored model contains types these components never write."""


class LinearTextComponent(GraphComponent):
    """What both components share: their settings, where they store, how they are created."""

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearTextComponent:
        return cls(config, model_storage, resource)


def new_pipeline(config: dict[str, Any]) -> Any:
    """An untrained n-gram pipeline; balanced class weights, so large classes don't dominate."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    char_lo, char_hi = config["char_ngram_range"]
    word_lo, word_hi = config["word_ngram_range"]
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(char_lo, char_hi), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(word_lo, word_hi), sublinear_tf=True),
    )
    model = LogisticRegression(
        C=config["C"],
        max_iter=config["max_iter"],
        class_weight="balanced",
        random_state=config["random_state"],
    )
    return make_pipeline(features, model)


def ranked(pipeline: Any, texts: list[str]) -> list[list[tuple[str, float]]]:
    """For each text, all labels with their probabilities, most likely first."""
    labels = [str(name) for name in pipeline.classes_]
    return [
        sorted(zip(labels, (float(p) for p in row), strict=True), key=lambda pair: -pair[1])
        for row in pipeline.predict_proba(texts)
    ]


def store(pipeline: Any, model_storage: ModelStorage, resource: Resource, name: str) -> None:
    """Write the trained pipeline into the component's resource as `name`."""
    import skops.io as sio

    with model_storage.write_to(resource) as directory:
        sio.dump(pipeline, directory / name)


def stored(model_storage: ModelStorage, resource: Resource, name: str) -> Any | None:
    """The pipeline stored as `name`, or None if the component was trained without data."""
    import skops.io as sio

    try:
        with model_storage.read_from(resource) as directory:
            path = directory / name
            if not path.is_file():
                return None
            untrusted = set(sio.get_untrusted_types(file=path))
            if not untrusted <= TRUSTED:
                raise UntrustedModelError(
                    f"Das Modell {path.name} enthält unerwartete Typen "
                    f"{sorted(untrusted - TRUSTED)}; bitte neu trainieren (`asa-bot train`)."
                )
            return sio.load(path, trusted=sorted(untrusted))
    except ValueError as error:
        if isinstance(error, UntrustedModelError):
            raise
        # Rasa raises ValueError when the resource was never written (no training data).
        return None
