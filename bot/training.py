"""Trains the Rasa model only when its inputs changed, judged by a fingerprint of those inputs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.errors import SetupError
from bot.nlp import build_spacy_model
from bot.settings import PROJECT_ROOT, Settings

#: Files and folders whose content decides the trained model.
TRAINING_INPUTS = ("config.yml", "domain", "data")


def rasa_executable() -> Path:
    """The `rasa` script of the virtual environment this interpreter runs in."""
    path = Path(sys.executable).parent / "rasa"
    if not path.exists():
        raise SetupError("Rasa ist nicht installiert. Bitte zuerst `make install` ausführen.")
    return path


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file())
    return found


def training_fingerprint(root: Path = PROJECT_ROOT, extra: str = "") -> str:
    """Hash of every training input (path and content), plus `extra` (e.g. versions)."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _versions() -> str:
    from importlib.metadata import version

    return f"rasa={version('rasa')};spacy={version('spacy')}"


def _fingerprint_file(settings: Settings) -> Path:
    return settings.model_path.with_suffix("").with_suffix(".fingerprint")


def model_is_current(settings: Settings) -> bool:
    """True when the stored model was trained from exactly the current inputs."""
    stamp = _fingerprint_file(settings)
    if not settings.model_path.is_file() or not stamp.is_file():
        return False
    return stamp.read_text(encoding="utf-8").strip() == training_fingerprint(extra=_versions())


def ensure_model(settings: Settings, *, force: bool = False) -> bool:
    """Train when inputs changed (or `force`); returns True when a new model was trained."""
    build_spacy_model(settings.spacy_model_dir)
    if not force and model_is_current(settings):
        return False
    fingerprint = training_fingerprint(extra=_versions())
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(rasa_executable()),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain",
        "--data",
        "data",
        "--out",
        str(settings.model_dir),
        "--fixed-model-name",
        settings.model_path.name.removesuffix(".tar.gz"),
    ]
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(settings.data_dir / "rasa-cache")}
    env["RASA_TELEMETRY_ENABLED"] = "false"  # no usage data or error reports leave the machine
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=False)
    if result.returncode != 0 or not settings.model_path.is_file():
        raise SetupError(
            f"Das Training ist fehlgeschlagen (Exit-Code {result.returncode}); "
            "die Ausgabe oben nennt die Ursache."
        )
    _fingerprint_file(settings).write_text(fingerprint + "\n", encoding="utf-8")
    return True
