"""Runs Rasa's command line (`python -m bot.rasa_server run …`) with the project's speed-ups.

Every Rasa server of the project starts through this module (`asa-bot run`, `asa-bot
run-scaled`, and so `make bench`). Before Rasa starts, it applies

- the changes to prediction in `bot.rasa_prediction`: TensorFlow models loaded without tracing a
  training step, button payloads of the domain's intents read without the NLU models, the
  prediction graph run in an order worked out once;
- the changes to the conversation store in `bot.rasa_store`: SQLite connections kept open, event
  classes found by a table, conversations read and written as plain rows without counting them
  again;
- and its own, around the action server: replies validated with a validator built once (Rasa 3.6
  calls `jsonschema.validate` for every reply, and jsonschema 4.17 then checks Rasa's constant
  response schema against the 2020-12 meta-schema each time: about 15-25 ms of CPU per call on
  this project's machine, against 0.5 ms for the reply itself; the schema, the validator class and
  the check of the schema are the same, so a reply that Rasa refuses is still refused, with
  Rasa's own error message), and the domain sent without the texts of its responses
  (`use_compact_action_domain`: actions answer by a response's name, and the texts were nine
  tenths of every request).

Each of these gives the results of Rasa's own code. With `--enable-api` it reads the HTTP API's
token from ASA_RASA_API_TOKEN, so the token stays out of the process list (`ps` shows every
argument to all users of the machine, the environment only to the bot's own user).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from bot.rasa_prediction import (
    use_payload_shortcut,
    use_prediction_only_loading,
    use_sequential_graph_runner,
)
from bot.rasa_store import use_event_type_table, use_lean_sql_store, use_pooled_sqlite_connections

#: Environment variable with the HTTP API's token; required with `--enable-api`.
TOKEN_VARIABLE = "ASA_RASA_API_TOKEN"


def compiled_action_response_validator() -> Any:
    """A jsonschema validator for Rasa's action server response schema, checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def use_compiled_action_validation() -> None:
    """Make `RemoteAction` validate replies with the validator built once.

    A reply with an error goes on to Rasa's own check, which raises the same error with Rasa's
    message; a valid reply is accepted as before.
    """
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    rasa_check = RemoteAction._validate_action_result
    if getattr(rasa_check, "_asa_compiled", False):
        return
    validator = compiled_action_response_validator()

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if best_match(validator.iter_errors(result)) is None:
            return True
        return bool(rasa_check(self, result))

    _validate_action_result._asa_compiled = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result


def compact_domain(domain: dict[str, Any]) -> dict[str, Any]:
    """The domain as the action server gets it: every response named, none with its texts."""
    responses = domain.get("responses")
    if not isinstance(responses, dict):
        return domain
    return {**domain, "responses": {name: [] for name in responses}}


def use_compact_action_domain() -> None:
    """Send custom actions the domain with response names but without response texts.

    The action server needs the slots, forms and intents (form validation), and this project's
    actions answer only by response name (`dispatcher.utter_message(response=…)`); one of them
    checks that a response exists. Rasa renders the texts itself. The compact domain is built
    once per domain.
    """
    from rasa.core.actions.action import RemoteAction

    rasa_format = RemoteAction._action_call_format
    if getattr(rasa_format, "_asa_compact", False):
        return
    built: dict[int, tuple[Any, dict[str, Any]]] = {}

    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        result: dict[str, Any] = rasa_format(self, tracker, domain)
        if "domain" in result:
            cached = built.get(id(domain))
            if cached is None or cached[0] is not domain:
                cached = (domain, compact_domain(result["domain"]))
                built.clear()
                built[id(domain)] = cached
            result["domain"] = cached[1]
        return result

    _action_call_format._asa_compact = True  # type: ignore[attr-defined]
    RemoteAction._action_call_format = _action_call_format


def rasa_arguments(argv: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Rasa's arguments; with `--enable-api` the token from the environment is added."""
    arguments = list(argv)
    if "--enable-api" in arguments:
        token = environ.get(TOKEN_VARIABLE, "")
        if not token:
            raise SystemExit(
                f"Fehler: {TOKEN_VARIABLE} ist leer; ohne Token bleibt die HTTP-API aus."
            )
        arguments += ["--auth-token", token]
    return arguments


def server_command(*arguments: str) -> list[str]:
    """The command that runs `rasa *arguments` through this module, in this interpreter's venv."""
    from bot.training import rasa_executable

    python = rasa_executable().parent / "python"
    return [str(python), "-m", "bot.rasa_server", *arguments]


def main(argv: Sequence[str] | None = None) -> None:
    arguments = rasa_arguments(sys.argv[1:] if argv is None else argv, os.environ)
    use_compiled_action_validation()
    use_prediction_only_loading()
    use_pooled_sqlite_connections()
    use_payload_shortcut()
    use_event_type_table()
    use_lean_sql_store()
    use_compact_action_domain()
    use_sequential_graph_runner()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
