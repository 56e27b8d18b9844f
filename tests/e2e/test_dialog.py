"""Whole conversations over REST: the company flow and young-person flows with their outcomes."""

from __future__ import annotations

import uuid

from bot.chat import send
from tests.conftest import BotProcess


class Gespraech:
    """One conversation with the running bot; `sage` returns all reply texts joined."""

    def __init__(self, bot: BotProcess) -> None:
        self.bot = bot
        self.sender = f"e2e-{uuid.uuid4().hex}"
        self.verlauf: list[str] = []

    def sage(self, text: str) -> str:
        replies = send(self.bot.rest_url, self.sender, text)
        antwort = "\n".join(r.get("text", "") for r in replies)
        self.verlauf.append(f"> {text}\n{antwort}")
        return antwort

    def __repr__(self) -> str:
        return "\n" + "\n".join(self.verlauf)

    def __str__(self) -> str:
        return "\n".join(self.verlauf)


def test_company_conversation_by_buttons_and_text(running_bot: BotProcess) -> None:
    g = Gespraech(running_bot)
    assert "für wen" in g.sage("Hallo").lower()  # both greetings ask who is asking
    assert "Wie ist die Lage in Ihrem Betrieb" in g.sage("/bin_betrieb"), g
    assert "zum ersten Mal" in g.sage('/info{"betrieb_lage":"azubi_da"}'), g
    # A side question in the middle of the form is answered, then the form goes on.
    zwischen = g.sage("Was kostet AsA flex?")
    assert "Jobcenter" in zwischen and "zum ersten Mal" in zwischen, g
    assert "Wo hakt es" in g.sage("/affirm"), g
    ergebnis = g.sage('/info{"schwierigkeit":"pruefung"}')
    for erwartet in (
        "§ 74 Abs. 1 SGB III",
        "Prüfung",
        "Zulassung als Ausbildungsbetrieb",
        "Kooperationsvereinbarung",
        "freigestellt",
        "0800 4 5555 20",
        "entscheidet die Agentur für Arbeit oder das Jobcenter",
    ):
        assert erwartet in ergebnis, f"{erwartet!r} fehlt:\n{g}"
    assert "{" not in ergebnis, g


DEUTSCH = '/info{"staatsangehoerigkeit":"deutsch"}'


def _jung(bot: BotProcess) -> Gespraech:
    g = Gespraech(bot)
    g.sage("Hallo")
    assert "Wo stehst du gerade" in g.sage("/bin_jugendlich"), g
    return g


def _bis_zum_ergebnis(g: Gespraech, antwort: str, antworten: dict[str, str]) -> str:
    """Answer each question by the first keyword it contains; unknown questions get "weiß nicht"."""
    for _ in range(15):
        if "Einschätzung" in antwort:
            return antwort
        text = next((a for k, a in antworten.items() if k in antwort), "/dont_know")
        antwort = g.sage(text)
    raise AssertionError(f"kein Ergebnis nach 15 Antworten:\n{g}")


def test_trainee_who_needs_help_gets_the_begleitende_phase(running_bot: BotProcess) -> None:
    g = _jung(running_bot)
    frage = g.sage('/info{"situation":"in_ausbildung"}')
    assert "ohne Hilfe" in frage, g
    warum = g.sage("Warum fragst du das?")
    assert "§ 74 SGB III" in warum and "ohne Hilfe" in warum, g
    ergebnis = _bis_zum_ergebnis(
        g, warum, {"ohne Hilfe": "/affirm", "Staatsangehörigkeit": DEUTSCH, "Bürgergeld": "/deny"}
    )
    assert "Begleitende Phase" in ergebnis and "passt wahrscheinlich" in ergebnis, g
    assert "Berufsberatung bei der Agentur für Arbeit" in ergebnis, g
    assert "nur eine Orientierung" in ergebnis, g
    begruendung = g.sage("/begruendung")
    assert "§ 7" in begruendung and "Quelle" in begruendung, g
    assert "Zusammenfassung" in g.sage("/zusammenfassung"), g


def test_pupil_still_school_obliged_is_told_why_not_yet(running_bot: BotProcess) -> None:
    g = _jung(running_bot)
    frage = g.sage('/info{"situation":"schule"}')
    assert "Vollzeitschulpflicht" in frage, g
    ergebnis = _bis_zum_ergebnis(g, frage, {"Vollzeitschulpflicht": "/deny"})
    assert "Vorphase" in ergebnis and "passt nach deinen Angaben nicht" in ergebnis, g
    assert "Vollzeitschulpflicht" in ergebnis, g


def test_buergergeld_household_is_sent_to_the_jobcenter(running_bot: BotProcess) -> None:
    g = _jung(running_bot)
    frage = g.sage('/info{"situation":"in_ausbildung"}')
    ergebnis = _bis_zum_ergebnis(
        g, frage, {"ohne Hilfe": "/affirm", "Staatsangehörigkeit": DEUTSCH, "Bürgergeld": "/affirm"}
    )
    assert "Jobcenter" in ergebnis and "Bürgergeld" in ergebnis, g


def test_tolerated_refugee_at_ten_months_is_not_refused_without_entry_date(
    running_bot: BotProcess,
) -> None:
    g = _jung(running_bot)
    frage = g.sage('/info{"situation":"sucht_ausbildung"}')
    antworten = {
        "Vollzeitschulpflicht": "/affirm",
        "ohne Hilfe": "/affirm",
        "bereit für eine Ausbildung": "/affirm",
        "Staatsangehörigkeit": '/info{"staatsangehoerigkeit":"drittstaat"}',
        "Aufenthaltspapier": '/info{"aufenthaltsstatus":"duldung"}',
        "Seit wann lebst du": "seit 10 Monaten",
        "Darfst du in Deutschland arbeiten": "/affirm",
        "Wie gut ist dein Deutsch": '/info{"deutsch_niveau":"B1"}',
        "Bürgergeld": "/deny",
    }
    ergebnis = _bis_zum_ergebnis(g, frage, antworten)
    assert "Vorphase (Hilfe vor der Ausbildung): noch offen" in ergebnis, g
    assert "Ausländerbehörde" in ergebnis, g


def test_changing_an_answer_updates_the_result(running_bot: BotProcess) -> None:
    g = _jung(running_bot)
    frage = g.sage('/info{"situation":"in_ausbildung"}')
    ergebnis = _bis_zum_ergebnis(
        g, frage, {"ohne Hilfe": "/affirm", "Staatsangehörigkeit": DEUTSCH, "Bürgergeld": "/deny"}
    )
    assert "Begleitende Phase" in ergebnis, g
    geaendert = g.sage("Moment, ich mache die Ausbildung doch in Teilzeit")
    assert "geändert" in geaendert and "Begleitende Phase" in geaendert, g


def test_out_of_scope_and_handoff(running_bot: BotProcess) -> None:
    g = Gespraech(running_bot)
    assert "AsA flex" in g.sage("Wie wird das Wetter morgen?"), g
    assert "0800 4 5555 20" in g.sage("Ich möchte mit einem Menschen sprechen"), g


def test_restart_starts_over_and_figures_stay_filled(running_bot: BotProcess) -> None:
    g = Gespraech(running_bot)
    g.sage("/bin_jugendlich")
    assert "Alles zurückgesetzt" in g.sage("/neustart"), g
    antwort = g.sage("Wie viele Stunden pro Woche hat die Vorphase?")
    assert "39 Stunden" in antwort and "None" not in antwort, g
