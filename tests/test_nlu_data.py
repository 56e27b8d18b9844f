"""Consistency of the dialogue NLU data (data/nlu/dialog.yml, data/nlu/entities.yml) with the
intent and entity contract in domain/nlu.yml. Pure YAML checks, no Rasa import."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "data" / "nlu"
DIALOG_FILE = NLU_DIR / "dialog.yml"
ENTITIES_FILE = NLU_DIR / "entities.yml"
DOMAIN_DIR = ROOT / "domain"
DOMAIN_FILE = DOMAIN_DIR / "nlu.yml"

MIN_EXAMPLES = {
    "affirm": 30,
    "deny": 30,
    "dont_know": 25,
    "warum_frage": 20,
    "begruendung": 20,
    "zurueck": 15,
    "neustart": 15,
    "zusammenfassung": 15,
    "mensch_sprechen": 20,
    "out_of_scope": 40,
    "bin_betrieb": 25,
    "bin_jugendlich": 25,
    "bin_andere": 20,
    "info": 100,
    "aendern": 30,
}

CANONICAL = {
    "situation": {
        "schule",
        "sucht_ausbildung",
        "in_ausbildung",
        "in_eq",
        "ausbildung_vorzeitig_geloest",
        "ausbildung_mit_asa_abgeschlossen",
    },
    "deutsch_niveau": {"A1", "A2", "B1", "B2", "C1", "C2"},
    "aufenthaltsstatus": {"aufenthaltstitel", "aufenthaltsgestattung", "duldung"},
    "staatsangehoerigkeit": {"deutsch", "eu", "drittstaat"},
    "ausbildungsform": {"teilzeit", "vollzeit"},
    "pflegeausbildung": {"pflegeberufegesetz", "altenpflegegesetz", "sonstige_pflege"},
    "schwierigkeit": {"berufsschule", "pruefung", "verhalten", "sprache", "organisation"},
    "betrieb_lage": {"azubi_da", "eq_da", "geplant"},
}
FREE_TEXT_ENTITIES = {"zeitangabe"}
ALL_ENTITIES = set(CANONICAL) | FREE_TEXT_ENTITIES

# Words that tie a `warum_frage` example to the bot's question or the user's answer;
# `begruendung` must avoid them. "in Frage"/"infrage" (eligible) is not about a question.
WARUM_FRAGE_MARKERS = (
    "frag",
    "wiss",
    "info",
    "brauch",
    "wichtig",
    "relevant",
    "rolle",
    "angab",
    "angeb",
    "antwort",
    "interessier",
    "sagen",
    "verrat",
    "benötig",
    "nötig",
    "erforderlich",
    "damit",
    "wofür",
    "willst du",
    "ask",
    "need",
)


def _marker_text(example: Example) -> str:
    return re.sub(r"in ?frage", "", example.key)


ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))")


@dataclass(frozen=True)
class Entity:
    entity: str
    text: str
    value: str


@dataclass(frozen=True)
class Example:
    file: str
    intent: str
    raw: str
    text: str
    entities: tuple[Entity, ...]

    @property
    def key(self) -> str:
        return " ".join(self.text.lower().split())


def parse_example(raw: str) -> tuple[str, tuple[Entity, ...]]:
    """Return the plain text and the entities of one annotated training example."""
    entities: list[Entity] = []

    def replace(match: re.Match[str]) -> str:
        text = match.group("text")
        if match.group("json") is not None:
            spec = json.loads(match.group("json"))
            name = spec["entity"]
            value = str(spec.get("value", text))
        else:
            name, _, value = match.group("short").partition(":")
            value = value or text
        entities.append(Entity(name.strip(), text, value.strip()))
        return text

    return ANNOTATION.sub(replace, raw), tuple(entities)


def example_lines(block: str) -> Iterator[str]:
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            yield stripped[2:].strip()
        elif stripped:
            raise AssertionError(f"Zeile ohne '- ': {line!r}")


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def nlu_items(path: Path) -> list[dict[str, Any]]:
    return list(load_yaml(path).get("nlu") or [])


def examples_in(path: Path) -> list[Example]:
    result = []
    for item in nlu_items(path):
        if "intent" not in item:
            continue
        for raw in example_lines(item.get("examples") or ""):
            text, entities = parse_example(raw)
            result.append(Example(path.name, str(item["intent"]), raw, text, entities))
    return result


def nlu_files() -> list[Path]:
    return sorted(NLU_DIR.glob("*.yml")) + sorted(NLU_DIR.glob("*.yaml"))


ALL_EXAMPLES = [example for path in nlu_files() for example in examples_in(path)]
DIALOG_EXAMPLES = examples_in(DIALOG_FILE)


def dialog_intent(name: str) -> list[Example]:
    return [example for example in DIALOG_EXAMPLES if example.intent == name]


def synonym_blocks() -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = defaultdict(list)
    for path in nlu_files():
        for item in nlu_items(path):
            if "synonym" in item:
                blocks[str(item["synonym"])].extend(example_lines(item.get("examples") or ""))
    return blocks


def domain_entities(path: Path) -> set[str]:
    names = set()
    for entry in load_yaml(path).get("entities") or []:
        names.update(entry if isinstance(entry, dict) else [entry])
    return {str(name) for name in names}


def test_parser_reads_both_annotation_styles() -> None:
    text, entities = parse_example(
        'ich habe [B1](deutsch_niveau) und eine [Duldung]{"entity": "aufenthaltsstatus", '
        '"value": "duldung"}'
    )
    assert text == "ich habe B1 und eine Duldung"
    assert entities == (
        Entity("deutsch_niveau", "B1", "B1"),
        Entity("aufenthaltsstatus", "Duldung", "duldung"),
    )


@pytest.mark.parametrize(("intent", "minimum"), sorted(MIN_EXAMPLES.items()))
def test_intent_has_enough_examples(intent: str, minimum: int) -> None:
    examples = dialog_intent(intent)
    assert len(examples) >= minimum, f"{intent}: {len(examples)} < {minimum}"


def test_dialog_file_has_only_contract_intents() -> None:
    assert {example.intent for example in DIALOG_EXAMPLES} == set(MIN_EXAMPLES)


def test_annotations_are_well_formed() -> None:
    broken = [e.raw for e in ALL_EXAMPLES if re.search(r"[\[\]]|\]\(|\]\{", e.text)]
    assert not broken, f"nicht auswertbare Annotationen: {broken}"


def test_no_example_in_two_intents() -> None:
    intents_by_text: dict[str, set[str]] = defaultdict(set)
    for example in ALL_EXAMPLES:
        intents_by_text[example.key].add(example.intent)
    clashes = {text: sorted(names) for text, names in intents_by_text.items() if len(names) > 1}
    assert not clashes, f"Beispiele in mehreren Intents: {clashes}"


def test_no_duplicate_examples_in_dialog_file() -> None:
    counts = Counter(example.key for example in DIALOG_EXAMPLES)
    assert not [text for text, count in counts.items() if count > 1]


def test_categorical_entity_values_are_canonical() -> None:
    wrong = [
        (example.raw, entity.entity, entity.value)
        for example in ALL_EXAMPLES
        for entity in example.entities
        if entity.entity in CANONICAL and entity.value not in CANONICAL[entity.entity]
    ]
    assert not wrong, f"Werte außerhalb der kanonischen Werte: {wrong}"


def test_synonym_blocks_map_to_canonical_values() -> None:
    values = set().union(*CANONICAL.values())
    assert set(synonym_blocks()) <= values


def test_each_surface_form_maps_to_one_value() -> None:
    # The EntitySynonymMapper ignores the entity type and the case of the text.
    targets: dict[str, set[str]] = defaultdict(set)
    for example in ALL_EXAMPLES:
        for entity in example.entities:
            if entity.entity in CANONICAL:
                targets[entity.text.lower()].add(entity.value)
    for value, forms in synonym_blocks().items():
        for form in forms:
            targets[form.lower()].add(value)
    conflicts = {text: sorted(values) for text, values in targets.items() if len(values) > 1}
    assert not conflicts, f"mehrdeutige Synonyme: {conflicts}"


def test_domain_declares_only_intents_and_entities() -> None:
    domain = load_yaml(DOMAIN_FILE)
    assert set(domain) <= {"version", "intents", "entities"}
    assert set(domain["intents"]) == set(MIN_EXAMPLES)
    assert domain_entities(DOMAIN_FILE) == ALL_ENTITIES


def test_entities_in_dialog_data_are_declared_in_nlu_domain() -> None:
    used = {entity.entity for example in DIALOG_EXAMPLES for entity in example.entities}
    used |= {str(item["regex"]) for item in nlu_items(ENTITIES_FILE) if "regex" in item}
    assert used <= domain_entities(DOMAIN_FILE), used - domain_entities(DOMAIN_FILE)


def test_entities_in_all_nlu_data_are_declared_in_domain() -> None:
    declared = set().union(*(domain_entities(path) for path in DOMAIN_DIR.glob("*.yml")))
    used = {entity.entity for example in ALL_EXAMPLES for entity in example.entities}
    assert used <= declared, used - declared


@pytest.mark.parametrize(
    ("entity", "value"),
    sorted((entity, value) for entity, values in CANONICAL.items() for value in values),
)
def test_info_or_situation_covers_every_value(entity: str, value: str) -> None:
    intent = "info"
    hits = [
        example
        for example in dialog_intent(intent)
        if any(e.entity == entity and e.value == value for e in example.entities)
    ]
    assert len(hits) >= 3, f"{intent}: {entity}={value} nur {len(hits)}x"


def test_info_has_time_expressions() -> None:
    hits = [e for e in dialog_intent("info") if any(x.entity == "zeitangabe" for x in e.entities)]
    assert len(hits) >= 10


def test_info_examples_carry_an_entity() -> None:
    assert not [e.raw for e in dialog_intent("info") if not e.entities]


def test_corrections_with_a_value_are_info_and_aendern_asks_to_change() -> None:
    # "doch in Teilzeit" carries the new fact: it is `info`, which the form and action_aendern
    # read alike; `aendern` is the wish to change something without saying what.
    assert not [e.raw for e in dialog_intent("aendern") if e.entities]
    corrections = [e for e in dialog_intent("info") if " doch " in f" {e.text.lower()} "]
    assert len(corrections) >= 5


def test_warum_frage_is_about_the_question() -> None:
    off_topic = [
        e.text
        for e in dialog_intent("warum_frage")
        if not any(marker in _marker_text(e) for marker in WARUM_FRAGE_MARKERS)
    ]
    assert not off_topic


def test_begruendung_does_not_ask_about_the_question() -> None:
    overlapping = [
        e.text
        for e in dialog_intent("begruendung")
        if any(marker in _marker_text(e) for marker in WARUM_FRAGE_MARKERS)
    ]
    assert not overlapping


def test_deutsch_niveau_regex_matches_levels_only() -> None:
    patterns = [
        pattern
        for item in nlu_items(ENTITIES_FILE)
        if item.get("regex") == "deutsch_niveau"
        for pattern in example_lines(item["examples"])
    ]
    assert patterns
    regex = re.compile("|".join(patterns))
    for hit in ("B1", "ich habe a2", "Niveau C1.", "B2-Zertifikat"):
        assert regex.search(hit), hit
    for miss in ("B3", "A12", "AB1", "Bahn"):
        assert not regex.search(miss), miss


def test_no_greetings_or_thanks_in_dialog_intents() -> None:
    core = {e.key for e in examples_in(NLU_DIR / "core.yml")}
    assert not core & {e.key for e in DIALOG_EXAMPLES}
