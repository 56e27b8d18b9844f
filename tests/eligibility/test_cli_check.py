"""The `asa-bot check` command: JSON in and out, `--explain`, exit code 2 on bad input, schemas."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.eligibility.schemas import schema

ASA_BOT = Path(sys.executable).parent / "asa-bot"
AZUBI = {
    "rolle": "junger_mensch",
    "stichtag": "2026-04-15",
    "situation": "in_ausbildung",
    "unterstuetzung_noetig": True,
}


def _validate(instanz: object, name: str) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(name),  # type: ignore[arg-type]
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(instanz)


def _run_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, eingabe: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eingabe.encode("utf-8"))))
    code = main(["check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_reads_file_and_prints_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    datei = tmp_path / "fakten.json"
    datei.write_text(json.dumps(AZUBI), encoding="utf-8")
    code = main(["check", str(datei)])
    out = capsys.readouterr()
    assert code == 0 and out.err == ""
    ergebnis = json.loads(out.out)
    assert ergebnis["stichtag"] == "2026-04-15"
    assert ergebnis["optionen"]["begleitende_phase"]["status"] == "ja"
    assert "Ä" in out.out or "ü" in out.out  # UTF-8, not \\u escapes
    _validate(ergebnis, "result")


def test_check_reads_stdin_with_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run_main(capsys, monkeypatch, json.dumps({"rolle": "betrieb"}), "-")
    assert code == 0 and err == ""
    assert json.loads(out)["zustaendig"]["telefon"] == "0800 4 5555 20"


def test_check_defaults_stichtag_to_today(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    code, out, _ = _run_main(capsys, monkeypatch, '{"rolle": "junger_mensch"}')
    assert code == 0
    assert json.loads(out)["stichtag"] == date.today().isoformat()


def test_check_explain_prints_a_german_trace_with_norms(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run_main(capsys, monkeypatch, json.dumps(AZUBI), "--explain")
    assert code == 0 and err == ""
    assert "Prüfung zum Stichtag 15.04.2026" in out
    assert "[erfüllt] zweig_nr_1_ausbildung (§ 74 Abs. 3 Satz 1 Nr. 1 SGB III)" in out
    assert "[nicht erfüllt] vorphase_passt_zur_situation" in out
    assert "[entfällt]" in out and "[Hinweis]" in out
    assert "entscheidet die Agentur für Arbeit oder das Jobcenter" in out


def test_check_explain_names_missing_facts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _run_main(capsys, monkeypatch, '{"rolle": "junger_mensch"}', "--explain")
    assert code == 0
    assert "[offen]" in out and "fehlt: situation" in out


@pytest.mark.parametrize(
    ("eingabe", "feld"),
    [
        ("kein json", "JSON"),
        ("[1, 2]", "JSON-Objekt"),
        ('{"rolle": "junger_mensch", "hobby": "Fußball"}', "hobby"),
        ('{"rolle": "junger_mensch", "teilzeit": "ja"}', "teilzeit"),
        ('{"rolle": "junger_mensch", "situation": "urlaub"}', "situation"),
        ('{"rolle": "junger_mensch", "stichtag": "2026-13-01"}', "stichtag"),
        ('{"rolle": "junger_mensch", "einreise_datum": "2019-02-29"}', "einreise_datum"),
        ('{"teilzeit": true}', "rolle"),
        ('{"rolle": "junger_mensch", "stichtag": "2019-01-01"}', "stichtag"),
        ('{"rolle": "junger_mensch", "rolle": "betrieb"}', "rolle"),
        ('{"rolle": "junger_mensch", "teilzeit": NaN}', "NaN"),
    ],
)
def test_check_bad_input_exits_2_with_one_line_naming_the_field(eingabe: str, feld: str) -> None:
    lauf = subprocess.run(
        [str(ASA_BOT), "check"], input=eingabe.encode("utf-8"), capture_output=True, check=False
    )
    assert lauf.returncode == 2
    assert lauf.stdout == b""
    fehler = lauf.stderr.decode("utf-8")
    assert fehler.count("\n") == 1 and "Traceback" not in fehler
    assert feld in fehler


def test_check_missing_file_exits_2(tmp_path: Path) -> None:
    lauf = subprocess.run(
        [str(ASA_BOT), "check", str(tmp_path / "fehlt.json")], capture_output=True, check=False
    )
    assert lauf.returncode == 2 and lauf.stdout == b""
    assert "kann nicht gelesen werden" in lauf.stderr.decode("utf-8")


def test_check_subprocess_success_prints_utf8_json() -> None:
    lauf = subprocess.run(
        [str(ASA_BOT), "check", "-"],
        input=json.dumps(AZUBI).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert lauf.returncode == 0 and lauf.stderr == b""
    _validate(json.loads(lauf.stdout.decode("utf-8")), "result")


def test_check_unexpected_error_gives_one_line_and_nonzero_exit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def kaputt(*_: Any, **__: Any) -> Any:
        raise RuntimeError("unerwartet")

    monkeypatch.setattr("bot.eligibility.evaluate", kaputt)
    code, out, err = _run_main(capsys, monkeypatch, '{"rolle": "betrieb"}')
    assert code not in (0, 2)
    assert out == "" and err.count("\n") == 1 and "unerwartet" in err


@pytest.mark.parametrize(
    "angaben",
    [
        {"rolle": "junger_mensch"},
        {"rolle": "betrieb", "betrieb_bildet_aus_oder_will": True, "stichtag": "2021-01-01"},
        AZUBI,
    ],
)
def test_facts_schema_accepts_valid_input(angaben: dict[str, object]) -> None:
    _validate(angaben, "facts")


@pytest.mark.parametrize(
    "angaben",
    [
        {},
        {"rolle": "junger_mensch", "hobby": 1},
        {"rolle": "junger_mensch", "teilzeit": "ja"},
        {"rolle": "junger_mensch", "deutsch_niveau": "D1"},
        {"rolle": "junger_mensch", "stichtag": "15.04.2026"},
    ],
)
def test_facts_schema_rejects_invalid_input(angaben: dict[str, object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validate(angaben, "facts")


def test_facts_schema_lists_exactly_the_contract_fields() -> None:
    from bot.eligibility.facts import ALLE_FELDER

    assert set(schema("facts")["properties"]) == set(ALLE_FELDER)


# --- Fuzzing: any JSON input gives exit 0 with a result or exit 2 with one German line ---------

_JSON_SKALAR = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.dates().map(lambda d: d.isoformat())
)
_JSON = st.recursive(
    _JSON_SKALAR,
    lambda kinder: st.lists(kinder, max_size=4) | st.dictionaries(st.text(max_size=8), kinder),
    max_leaves=12,
)


_DATUM = st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)


def _passend(feld: str) -> st.SearchStrategy[Any]:
    from bot.eligibility.facts import BOOL_FELDER, ENUM_FELDER

    if feld in BOOL_FELDER:
        return st.booleans()
    if feld in ENUM_FELDER:
        return st.sampled_from(ENUM_FELDER[feld])
    return _DATUM


@st.composite
def _fast_gueltige_angaben(draw: st.DrawFn) -> dict[str, Any]:
    """Valid facts, and in about half of the cases one value or field that does not fit."""
    from bot.eligibility.facts import ALLE_FELDER, ENUM_FELDER

    angaben: dict[str, Any] = {"rolle": draw(st.sampled_from(ENUM_FELDER["rolle"]))}
    frei = sorted(ALLE_FELDER - {"rolle"})
    for feld in draw(st.lists(st.sampled_from(frei), unique=True, max_size=12)):
        angaben[feld] = draw(_passend(feld))
    if draw(st.booleans()):
        feld = draw(st.sampled_from([*sorted(ALLE_FELDER), "unbekannt"]))
        angaben[feld] = draw(_JSON_SKALAR)
    return angaben


_EINGABEN = _fast_gueltige_angaben().map(json.dumps) | _JSON.map(json.dumps) | st.text(max_size=60)


def _check_im_prozess(eingabe: str) -> tuple[int, bytes, str]:
    alt = sys.stdin, sys.stdout, sys.stderr
    ausgabe, fehler = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(ausgabe, encoding="utf-8")
    sys.stdin = io.TextIOWrapper(io.BytesIO(eingabe.encode("utf-8")))
    sys.stdout, sys.stderr = stdout, fehler
    try:
        code = main(["check", "-"])
    finally:
        sys.stdin, sys.stdout, sys.stderr = alt
        stdout.flush()
        stdout.detach()  # keep `ausgabe` open
    return code, ausgabe.getvalue(), fehler.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EINGABEN)
def test_check_fuzz_any_input_exits_0_with_json_or_2_with_one_line(eingabe: str) -> None:
    code, out, err = _check_im_prozess(eingabe)
    event(f"exit {code}")
    assert code in (0, 2), (code, err)
    if code == 0:
        assert err == ""
        assert isinstance(json.loads(out.decode("utf-8"))["optionen"], dict)
    else:
        assert out == b""
        assert err.count("\n") == 1 and err.startswith("asa-bot check: ")
        assert "Traceback" not in err


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EINGABEN | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_check_fuzz_as_a_process_never_shows_a_traceback(eingabe: str) -> None:
    lauf = subprocess.run(
        [str(ASA_BOT), "check", "-"],
        input=eingabe.encode("utf-8", "surrogatepass"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert lauf.returncode in (0, 2), lauf.stderr
    fehler = lauf.stderr.decode("utf-8")
    assert "Traceback" not in fehler
    assert lauf.returncode == 0 or fehler.count("\n") == 1
