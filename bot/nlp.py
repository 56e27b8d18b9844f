"""Builds the offline German spaCy pipeline (blank `de`, lookup lemmatizer) for Rasa's SpacyNLP."""

from __future__ import annotations

import json
from pathlib import Path

from bot.errors import SetupError

_MARKER = "asa-build.json"
_BUILD_VERSION = 1


def spacy_model_is_built(target: Path) -> bool:
    """True when `target` holds a pipeline built by this module in its current version."""
    marker = target / _MARKER
    if not marker.is_file():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(info.get("build_version") == _BUILD_VERSION)


def build_spacy_model(target: Path, *, force: bool = False) -> bool:
    """Write the pipeline to `target`; returns False when an up-to-date build is already there.

    The lemma tables come from the installed `spacy-lookups-data` package: nothing is downloaded.
    """
    if not force and spacy_model_is_built(target):
        return False
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (OSError, ValueError) as exc:
        raise SetupError(
            "Die deutschen Lemma-Tabellen fehlen (Paket spacy-lookups-data). "
            "Bitte `make install` erneut ausführen."
        ) from exc
    nlp.meta["name"] = "asa_de"
    nlp.meta["description"] = "Blank German pipeline with lookup lemmatizer for the AsA advisor"
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    marker = {"build_version": _BUILD_VERSION, "spacy": spacy.about.__version__}
    (target / _MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return True
