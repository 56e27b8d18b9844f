""" "Meine Daten löschen": after the confirmed request the conversation is gone from the store.

Needs the intent `daten_loeschen` and the action `action_daten_loeschen` in the domain; until
they exist the test is skipped and says so.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from tests.conftest import BotProcess
from tests.e2e.http import say, stored_events, texts


def _domain_names(key: str) -> set[str]:
    names: set[str] = set()
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key) or []:
            names.add(next(iter(entry)) if isinstance(entry, dict) else str(entry))
    return names


def _confirmation(replies: Any) -> str:
    """The payload of a confirming button, else the plain affirm intent."""
    for reply in replies:
        for button in reply.get("buttons") or []:
            payload = str(button.get("payload", ""))
            if "affirm" in payload or "ja" in str(button.get("title", "")).lower():
                return payload
    return "/affirm"


@pytest.mark.skipif(
    "daten_loeschen" not in _domain_names("intents")
    or "action_daten_loeschen" not in _domain_names("actions"),
    reason="Intent daten_loeschen / action_daten_loeschen sind noch nicht in domain/",
)
def test_confirmed_deletion_removes_every_stored_event(running_bot: BotProcess) -> None:
    sender, other = f"del-{uuid.uuid4().hex}", f"keep-{uuid.uuid4().hex}"
    for who in (sender, other):
        say(running_bot, who, "/bin_jugendlich")
        say(running_bot, who, '/info{"situation":"in_ausbildung"}')
    assert stored_events(running_bot.tracker_db, sender)

    status, replies = say(running_bot, sender, "/daten_loeschen")
    for _ in range(2):  # the confirmation dialogue asks at most twice
        assert status == 200, replies
        if not stored_events(running_bot.tracker_db, sender):
            break
        status, replies = say(running_bot, sender, _confirmation(replies))
    assert texts(replies), "the deletion is confirmed to the user"
    assert stored_events(running_bot.tracker_db, sender) == []
    assert stored_events(running_bot.tracker_db, other), "other conversations stay"

    status, replies = say(running_bot, sender, "Hallo")
    assert status == 200 and texts(replies)
    stored = stored_events(running_bot.tracker_db, sender)
    assert stored and all("in_ausbildung" not in data for _, _, data in stored)
