"""Runs `rasa data validate --fail-on-warnings`; responses sent by custom actions count as used.

Rasa's validator only sees responses that stories and rules name. Results, reasons and form
questions are sent by the actions and forms instead; their names come from
`bot.dialogue.responses`, and tests/test_domain_responses.py checks each one exists in the domain.
"""

from __future__ import annotations

import sys

from rasa.__main__ import main as rasa_main
from rasa.shared.core.events import ActionExecuted
from rasa.validator import Validator

from bot.dialogue.responses import gesendete_responses

_gather = Validator._gather_utterance_actions


def _ohne_action_responses(self: Validator) -> set[str]:
    in_stories = {
        event.action_name
        for step in self.story_graph.story_steps
        for event in step.events
        if isinstance(event, ActionExecuted) and event.action_name
    }
    return set(_gather(self)) - (gesendete_responses() - in_stories)


if __name__ == "__main__":
    Validator._gather_utterance_actions = _ohne_action_responses  # type: ignore[method-assign]
    sys.argv = ["rasa", "data", "validate", "--fail-on-warnings", *sys.argv[1:]]
    rasa_main()
