"""Staff-training scripts: loading, validation errors, `training list`, play and check logic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot import chat
from bot.cli import main
from bot.staff_training import cli as training_cli
from bot.staff_training.ablauf import alle_pruefen
from bot.staff_training.skripte import SKRIPT_ORDNER, SkriptFehler, skript_laden, skripte_laden

GUELTIG = """\
name: beispiel
titel: "Beispiel-Persona"
beschreibung: "Für die Trainerin."
turns:
  - nutzer: "Hallo"
    erwartet: ["AsA flex"]
    lernhinweis: "Der Bot stellt sich vor."
  - nutzer: "/bin_betrieb"
    erwartet: ["Wie ist die Lage", "Betrieb"]
    lernhinweis: "Sie-Form für Betriebe."
    regel:
      norm: "§ 74 Abs. 1 SGB III"
      text: "Auch Betriebe werden gefördert."
"""


def _schreiben(ordner: Path, name: str, text: str) -> Path:
    datei = ordner / name
    datei.write_text(text, encoding="utf-8")
    return datei


class FalscherBot:
    """Stands in for `bot.chat.send`: answers each message from a table, records the calls."""

    def __init__(self, antworten: dict[str, list[dict[str, Any]]]) -> None:
        self.antworten = antworten
        self.aufrufe: list[tuple[str, str, str]] = []

    def __call__(self, url: str, sender: str, message: str, timeout: float = 30.0) -> Any:
        self.aufrufe.append((url, sender, message))
        return self.antworten.get(message, [])


PASSENDER_BOT = {
    "Hallo": [{"text": "Hallo! Ich bin der Infobot zu AsA flex."}],
    "/bin_betrieb": [
        {"text": "Gern, drei Fragen zu Ihrem Betrieb."},
        {"text": "Wie ist die Lage?", "buttons": [{"title": "Azubi da", "payload": "/x"}]},
    ],
}


# --- loading -------------------------------------------------------------------------------


def test_a_valid_script_loads_with_its_turns_and_rule(tmp_path: Path) -> None:
    skript = skript_laden(_schreiben(tmp_path, "beispiel.yml", GUELTIG))
    assert skript.name == "beispiel"
    assert len(skript.schritte) == 2
    assert skript.schritte[0].regel is None
    assert skript.schritte[1].erwartet == ("Wie ist die Lage", "Betrieb")
    regel = skript.schritte[1].regel
    assert regel is not None and regel.norm == "§ 74 Abs. 1 SGB III"


def test_the_shipped_library_has_at_least_twelve_valid_personas() -> None:
    skripte = skripte_laden(SKRIPT_ORDNER)
    assert len(skripte) >= 12
    for skript in skripte:
        assert skript.datei.stem == skript.name, skript.datei
        assert all(s.erwartet for s in skript.schritte), skript.name


def test_the_shipped_library_covers_every_outcome() -> None:
    erwartet = " ".join(
        text for s in skripte_laden(SKRIPT_ORDNER) for t in s.schritte for text in t.erwartet
    )
    for ausgang in (
        "Vorphase (Hilfe vor der Ausbildung): passt wahrscheinlich",
        "Vorphase (Hilfe vor der Ausbildung): passt nach deinen Angaben nicht",
        "Vorphase (Hilfe vor der Ausbildung): noch offen",
        "Begleitende Phase (Hilfe während der Ausbildung): passt wahrscheinlich",
        "Begleitende Phase (Hilfe während der Ausbildung): passt nach deinen Angaben nicht",
        "Berufsausbildungsbeihilfe (BAB, Geld während der Vorphase): passt wahrscheinlich",
        "Einstiegsqualifizierung (EQ, ein langes bezahltes Praktikum): passt wahrscheinlich",
        "Berufsvorbereitung (BvB): passt wahrscheinlich",
        "Maßnahme zur Aktivierung (§ 45): passt wahrscheinlich",
        "Ihr Betrieb kommt für AsA flex in Frage",
        "Ob AsA flex passt, hängt davon ab",
        "Jobcenter",
        "passt nach Ihren Angaben voraussichtlich",
    ):
        assert ausgang in erwartet, ausgang


# --- validation errors name file and field ---------------------------------------------------


@pytest.mark.parametrize(
    ("alt", "neu", "meldung"),
    [
        ('titel: "Beispiel-Persona"\n', "", "Pflichtfeld titel fehlt"),
        ('    lernhinweis: "Der Bot stellt sich vor."\n', "", "Schritt 1: Pflichtfeld lernhinweis"),
        ('    erwartet: ["AsA flex"]\n', '    erwartet: {"a": 1}\n', "Schritt 1.erwartet"),
        ('    erwartet: ["AsA flex"]\n', '    erwartet: ["AsA flex", ""]\n', "erwartet[2]"),
        ('  - nutzer: "Hallo"\n', '  - nutzer: ""\n', "Schritt 1.nutzer: darf nicht leer"),
        ('      norm: "§ 74 Abs. 1 SGB III"\n', "", "Schritt 2.regel: Pflichtfeld norm fehlt"),
        ("    regel:\n", "    regeln:\n", "unbekanntes Feld regeln"),
        ("name: beispiel\n", "name: Beispiel Persona\n", "name „Beispiel Persona“"),
    ],
)
def test_a_broken_script_names_file_and_field(
    tmp_path: Path, alt: str, neu: str, meldung: str
) -> None:
    assert alt in GUELTIG
    datei = _schreiben(tmp_path, "kaputt.yml", GUELTIG.replace(alt, neu, 1))
    with pytest.raises(SkriptFehler) as fehler:
        skript_laden(datei)
    assert str(datei) in str(fehler.value)
    assert meldung in str(fehler.value)


def test_empty_turns_are_rejected(tmp_path: Path) -> None:
    text = GUELTIG[: GUELTIG.index("turns:")] + "turns: []\n"
    with pytest.raises(SkriptFehler, match="turns muss eine Liste mit mindestens einem Schritt"):
        skript_laden(_schreiben(tmp_path, "leer.yml", text))


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    datei = _schreiben(tmp_path, "yaml.yml", 'name: x\nturns:\n  - nutzer: "offen\n')
    with pytest.raises(SkriptFehler, match=r"yaml\.yml, Zeile \d+: kein gültiges YAML"):
        skript_laden(datei)


def test_a_script_that_is_not_a_mapping_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(SkriptFehler, match="beginnt mit den Feldern name, titel"):
        skript_laden(_schreiben(tmp_path, "liste.yml", "- a\n- b\n"))


def test_duplicate_names_and_empty_folders_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(SkriptFehler, match="enthält keine Trainingsskripte"):
        skripte_laden(tmp_path)
    _schreiben(tmp_path, "a.yml", GUELTIG)
    _schreiben(tmp_path, "b.yml", GUELTIG)
    with pytest.raises(SkriptFehler, match=r"„beispiel“ gibt es schon in .*a\.yml"):
        skripte_laden(tmp_path)


def test_errors_are_asa_errors_and_reach_the_cli_as_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _schreiben(tmp_path, "kaputt.yml", GUELTIG.replace("titel:", "tittel:"))
    assert main(["training", "list", "--skripte", str(tmp_path)]) == 1
    fehler = capsys.readouterr().err
    assert fehler.startswith("Fehler: ") and "kaputt.yml" in fehler and "tittel" in fehler


# --- training list ----------------------------------------------------------------------------


def test_list_shows_name_title_and_number_of_turns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _schreiben(tmp_path, "beispiel.yml", GUELTIG)
    _schreiben(tmp_path, "README.md", "# keine Skriptdatei\n")
    assert main(["training", "list", "--skripte", str(tmp_path)]) == 0
    ausgabe = capsys.readouterr().out
    zeile = next(z for z in ausgabe.splitlines() if z.startswith("beispiel"))
    assert zeile.split() == ["beispiel", "2", "Beispiel-Persona"]
    assert "1 Skripte mit zusammen 2 Schritten." in ausgabe


# --- training check ---------------------------------------------------------------------------


def test_check_passes_when_every_reply_contains_the_expected_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _schreiben(tmp_path, "beispiel.yml", GUELTIG)
    bot = FalscherBot(PASSENDER_BOT)
    monkeypatch.setattr(chat, "send", bot)
    code = main(["training", "check", "--url", "http://bot.test/rest", "--skripte", str(tmp_path)])
    ausgabe = capsys.readouterr().out
    assert code == 0, ausgabe
    assert ausgabe.strip() == "1 Skripte, 2 Schritte: 2 bestanden, 0 fehlgeschlagen"
    assert [m for _, _, m in bot.aufrufe] == ["Hallo", "/bin_betrieb"]
    assert {u for u, _, _ in bot.aufrufe} == {"http://bot.test/rest"}
    assert len({s for _, s, _ in bot.aufrufe}) == 1, "one conversation per script run"


def test_check_fails_and_lists_script_turn_expected_and_actual_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _schreiben(tmp_path, "beispiel.yml", GUELTIG)
    antworten = dict(PASSENDER_BOT)
    antworten["/bin_betrieb"] = [{"text": "Sag mal, wo stehst du gerade?"}]
    monkeypatch.setattr(chat, "send", FalscherBot(antworten))
    code = main(["training", "check", "--url", "http://bot.test/rest", "--skripte", str(tmp_path)])
    ausgabe = capsys.readouterr().out
    assert code == 1
    assert "✗ beispiel, Schritt 2 (Nutzer: /bin_betrieb)" in ausgabe
    assert "erwartet, fehlt: „Wie ist die Lage“" in ausgabe
    assert "erwartet, fehlt: „Betrieb“" in ausgabe
    assert "Sag mal, wo stehst du gerade?" in ausgabe
    assert "Schritt 1" not in ausgabe
    assert ausgabe.strip().endswith("1 Skripte, 2 Schritte: 1 bestanden, 1 fehlgeschlagen")


def test_each_run_of_a_script_is_a_fresh_conversation(tmp_path: Path) -> None:
    skripte = [skript_laden(_schreiben(tmp_path, "beispiel.yml", GUELTIG))]
    bot = FalscherBot(PASSENDER_BOT)
    alle_pruefen(skripte, "u", bot)
    alle_pruefen(skripte, "u", bot)
    assert len({s for _, s, _ in bot.aufrufe}) == 2


# --- training play ----------------------------------------------------------------------------


def test_play_auto_shows_message_replies_rule_and_hint(tmp_path: Path) -> None:
    skript = skript_laden(_schreiben(tmp_path, "beispiel.yml", GUELTIG))
    zeilen: list[str] = []

    def nie_fragen(prompt: str) -> str:
        raise AssertionError("--auto darf nicht pausieren")

    code = training_cli.spielen(
        skript,
        "u",
        auto=True,
        lesen=nie_fragen,
        schreiben=zeilen.append,
        senden=FalscherBot(PASSENDER_BOT),
    )
    text = "\n".join(zeilen)
    assert code == 0
    assert "Nutzer:  /bin_betrieb" in text
    assert "Bot:     Wie ist die Lage?" in text and "[Azubi da]" in text
    assert "§ Regel:       Auch Betriebe werden gefördert. (§ 74 Abs. 1 SGB III)" in text
    assert "➜ Lernhinweis: Sie-Form für Betriebe." in text


def test_play_pauses_before_each_turn_and_stops_on_q(tmp_path: Path) -> None:
    skript = skript_laden(_schreiben(tmp_path, "beispiel.yml", GUELTIG))
    eingaben = iter(["", "q"])
    bot = FalscherBot(PASSENDER_BOT)
    zeilen: list[str] = []
    code = training_cli.spielen(
        skript, "u", lesen=lambda _: next(eingaben), schreiben=zeilen.append, senden=bot
    )
    assert code == 0
    assert [m for _, _, m in bot.aufrufe] == ["Hallo"]
    assert "Abgebrochen." in zeilen


def test_play_marks_a_reply_that_differs_from_the_script(tmp_path: Path) -> None:
    skript = skript_laden(_schreiben(tmp_path, "beispiel.yml", GUELTIG))
    zeilen: list[str] = []
    code = training_cli.spielen(
        skript, "u", auto=True, schreiben=zeilen.append, senden=FalscherBot({})
    )
    assert code == 1
    assert "  ✗ Erwartet, aber nicht in der Antwort: „AsA flex“" in zeilen


def test_play_names_the_known_scripts_for_an_unknown_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _schreiben(tmp_path, "beispiel.yml", GUELTIG)
    code = main(["training", "play", "gibtsnicht", "--auto", "--skripte", str(tmp_path)])
    assert code == 1
    assert "Kein Trainingsskript „gibtsnicht“. Vorhanden: beispiel." in capsys.readouterr().err
