"""The Rasa launcher checks action server replies as strictly as Rasa, sends a compact domain and
passes the API token."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_server

VALID = {
    "events": [
        {"event": "slot", "name": "zielgruppe", "value": "betrieb", "timestamp": None},
        {"event": "active_loop", "name": None},
    ],
    "responses": [{"response": "utter_greet"}],
}
INVALID = [
    {"events": "kein Array"},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": ["kein Objekt"]},
    ["keine Antwort"],
]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    rasa_server.use_compiled_action_validation()
    return RemoteAction("validate_betrieb_form", None)


def test_compiled_validator_is_the_one_jsonschema_validate_picks() -> None:
    schema = RemoteAction.action_response_format_spec()
    validator = rasa_server.compiled_action_response_validator()
    assert type(validator) is jsonschema.validators.validator_for(schema)
    assert validator.schema == schema


def test_valid_reply_is_accepted(compiled: RemoteAction) -> None:
    assert compiled._validate_action_result(VALID) is True


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_reply_is_refused_like_rasa_does(compiled: RemoteAction, reply: object) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        compiled._validate_action_result(reply)  # type: ignore[arg-type]
    with pytest.raises(jsonschema.ValidationError) as plain:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(plain.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_patch_is_applied_once(compiled: RemoteAction) -> None:
    first = RemoteAction._validate_action_result
    rasa_server.use_compiled_action_validation()
    assert RemoteAction._validate_action_result is first


def test_token_comes_from_the_environment_only_with_the_api() -> None:
    run = ["run", "--model", "m.tar.gz"]
    assert rasa_server.rasa_arguments(run, {"ASA_RASA_API_TOKEN": "geheim"}) == run
    with_api = rasa_server.rasa_arguments([*run, "--enable-api"], {"ASA_RASA_API_TOKEN": "geheim"})
    assert with_api == [*run, "--enable-api", "--auth-token", "geheim"]
    with pytest.raises(SystemExit, match="ASA_RASA_API_TOKEN"):
        rasa_server.rasa_arguments([*run, "--enable-api"], {})


def test_server_command_runs_this_module() -> None:
    command = rasa_server.server_command("run", "--port", "5005")
    assert command[1:] == ["-m", "bot.rasa_server", "run", "--port", "5005"]
    assert command[0].endswith("python")


# --- The domain the action server gets ---------------------------------------------------------


def test_action_server_gets_response_names_without_texts() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict(
        {
            "intents": ["greet"],
            "slots": {"zielgruppe": {"type": "text", "mappings": [{"type": "custom"}]}},
            "responses": {
                "utter_greet": [{"text": "Hallo!"}, {"text": "Guten Tag!"}],
                "utter_warum_alter": [{"text": "Weil das Alter zählt."}],
            },
            "actions": ["action_erklaere_frage"],
        }
    )
    rasa_server.use_compact_action_domain()
    rasa_server.use_compact_action_domain()  # applied once
    action = RemoteAction("action_erklaere_frage", None)
    tracker = DialogueStateTracker.from_events("c", [], domain.slots)
    sent = action._action_call_format(tracker, domain)
    assert sent["domain"]["responses"] == {"utter_greet": [], "utter_warum_alter": []}
    complete = domain.as_dict()
    assert {k: v for k, v in sent["domain"].items() if k != "responses"} == {
        k: v for k, v in complete.items() if k != "responses"
    }
    assert complete["responses"]["utter_greet"][0]["text"] == "Hallo!"  # Rasa keeps its texts
    assert action._action_call_format(tracker, domain)["domain"] is sent["domain"]
    assert sent["next_action"] == "action_erklaere_frage"
    assert sent["tracker"]["sender_id"] == "c"


def test_compact_domain_leaves_a_domain_without_responses_alone() -> None:
    assert rasa_server.compact_domain({"intents": ["greet"]}) == {"intents": ["greet"]}
