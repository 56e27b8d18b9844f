"""Consistency checks for the knowledge base: FAQ training data against FAQ answers."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NLU_FILE = ROOT / "data" / "nlu" / "faq.yml"
DOMAIN_FILE = ROOT / "domain" / "faq.yml"
VALUES_FILE = ROOT / "domain" / "values.yml"

INTENT_PREFIX = "faq/"
RESPONSE_PREFIX = "utter_faq/"
MIN_EXAMPLES = 20
MAX_TEXT_CHARS = 700
# Topics other parts of the bot (buttons, tests) rely on.
REQUIRED_TOPICS = {"was_ist_asa", "kosten", "hotline"}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def _parse_examples(block: str) -> list[str]:
    examples = []
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            examples.append(stripped[2:].strip())
    return examples


@pytest.fixture(scope="module")
def examples_by_topic() -> dict[str, list[str]]:
    topics: dict[str, list[str]] = {}
    for item in _load(NLU_FILE)["nlu"]:
        intent = item.get("intent", "")
        assert intent.startswith(INTENT_PREFIX), f"non-FAQ intent {intent!r} in {NLU_FILE.name}"
        topic = intent[len(INTENT_PREFIX) :]
        assert topic not in topics, f"intent {intent} is defined twice"
        topics[topic] = _parse_examples(item["examples"])
    return topics


@pytest.fixture(scope="module")
def responses_by_topic() -> dict[str, list[dict[str, Any]]]:
    responses = _load(DOMAIN_FILE)["responses"]
    topics = {}
    for name, variations in responses.items():
        assert name.startswith(RESPONSE_PREFIX), f"unexpected response {name!r} in faq domain"
        topics[name[len(RESPONSE_PREFIX) :]] = variations
    return topics


@pytest.fixture(scope="module")
def value_slots() -> set[str]:
    return set(_load(VALUES_FILE)["slots"])


def _is_du_variant(variation: dict[str, Any]) -> bool:
    return any(
        cond.get("type") == "slot"
        and cond.get("name") == "zielgruppe"
        and cond.get("value") == "junger_mensch"
        for cond in variation.get("condition") or []
    )


def test_every_intent_has_a_response_and_vice_versa(
    examples_by_topic: dict[str, list[str]],
    responses_by_topic: dict[str, list[dict[str, Any]]],
) -> None:
    without_answer = sorted(set(examples_by_topic) - set(responses_by_topic))
    without_examples = sorted(set(responses_by_topic) - set(examples_by_topic))
    assert not without_answer, f"faq intents without utter_faq response: {without_answer}"
    assert not without_examples, f"utter_faq responses without faq intent: {without_examples}"


def test_required_topics_exist(examples_by_topic: dict[str, list[str]]) -> None:
    assert set(examples_by_topic) >= REQUIRED_TOPICS


def test_each_topic_has_enough_examples(examples_by_topic: dict[str, list[str]]) -> None:
    too_few = {
        topic: len(examples)
        for topic, examples in examples_by_topic.items()
        if len(examples) < MIN_EXAMPLES
    }
    assert not too_few, f"topics with fewer than {MIN_EXAMPLES} examples: {too_few}"


def test_no_example_is_shared_between_topics(examples_by_topic: dict[str, list[str]]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for topic, examples in examples_by_topic.items():
        for example in examples:
            seen[example.casefold()].add(topic)
    shared = {text: sorted(topics) for text, topics in seen.items() if len(topics) > 1}
    assert not shared, f"examples used in more than one topic: {shared}"


def test_no_example_is_repeated_within_a_topic(examples_by_topic: dict[str, list[str]]) -> None:
    for topic, examples in examples_by_topic.items():
        folded = [example.casefold() for example in examples]
        repeated = sorted({text for text in folded if folded.count(text) > 1})
        assert not repeated, f"{topic}: repeated examples {repeated}"


def test_each_response_has_du_variant_and_default(
    responses_by_topic: dict[str, list[dict[str, Any]]],
) -> None:
    for topic, variations in responses_by_topic.items():
        assert any(_is_du_variant(v) for v in variations), f"{topic}: no du variant"
        assert any(not v.get("condition") for v in variations), f"{topic}: no default variant"


def test_placeholders_are_declared_value_slots(
    responses_by_topic: dict[str, list[dict[str, Any]]], value_slots: set[str]
) -> None:
    for topic, variations in responses_by_topic.items():
        for variation in variations:
            unknown = set(_PLACEHOLDER.findall(variation["text"])) - value_slots
            assert not unknown, f"{topic}: placeholders not declared in values.yml: {unknown}"


def test_answers_are_short(responses_by_topic: dict[str, list[dict[str, Any]]]) -> None:
    for topic, variations in responses_by_topic.items():
        for variation in variations:
            length = len(variation["text"])
            assert length <= MAX_TEXT_CHARS, f"{topic}: answer has {length} characters"


def test_kosten_names_who_pays(responses_by_topic: dict[str, list[dict[str, Any]]]) -> None:
    for variation in responses_by_topic["kosten"]:
        assert "Agentur für Arbeit" in variation["text"]
        assert "Jobcenter" in variation["text"]
