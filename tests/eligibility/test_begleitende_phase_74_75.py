"""Begleitende Phase (§ 74 Abs. 3, § 75 SGB III): each "oder" branch, the Nachbetreuung window,
foreign nationals, residence abroad, nursing trainings, part-time and disability."""

from __future__ import annotations

import pytest

from tests.eligibility.fakten import AZUBI, alle_regeln, option, regeln

ABGESCHLOSSEN = {
    "rolle": "junger_mensch",
    "situation": "ausbildung_mit_asa_abgeschlossen",
    "unterstuetzung_noetig": True,
    "ausbildungsende": "2025-07-31",
}


def test_74_abs3_nr1_trainee_with_contract_and_need_is_ja() -> None:
    ergebnis = option("begleitende_phase", AZUBI)
    assert ergebnis.status == "ja"
    assert alle_regeln(ergebnis)["zweig_nr_1_ausbildung"] == "erfuellt"


def test_74_abs3_nr1_contract_is_presumed_while_training_runs() -> None:
    ergebnis = option("begleitende_phase", AZUBI, ausbildungsvertrag_unterschrieben=None)
    assert ergebnis.status == "ja"


def test_74_abs3_nr1_signed_contract_before_training_starts_is_ja() -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        situation="sucht_ausbildung",
        ausbildungsvertrag_unterschrieben=True,
    )
    assert ergebnis.status == "ja"


def test_75_contract_must_be_signed_before_entry() -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        situation="sucht_ausbildung",
        ausbildungsvertrag_unterschrieben=False,
        eq_vertrag_unterschrieben=False,
    )
    assert ergebnis.status == "nein"
    assert "Ausbildungsvertrag" in ergebnis.gruende[0].text


def test_75_no_training_contract_but_eq_contract_unknown_is_offen() -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        situation="sucht_ausbildung",
        ausbildungsvertrag_unterschrieben=False,
    )
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("eq_vertrag_unterschrieben",)


def test_74_abs3_nr1_no_need_for_support_is_nein() -> None:
    assert option("begleitende_phase", AZUBI, unterstuetzung_noetig=False).status == "nein"


def test_74_abs3_nr2a_early_termination_with_need_is_ja() -> None:
    ergebnis = option(
        "begleitende_phase",
        {"rolle": "junger_mensch"},
        situation="ausbildung_vorzeitig_geloest",
        unterstuetzung_noetig=True,
    )
    assert ergebnis.status == "ja"
    assert alle_regeln(ergebnis)["zweig_nr_2a_vorzeitige_loesung"] == "erfuellt"


def test_74_abs3_nr2a_early_termination_without_need_is_nein() -> None:
    ergebnis = option(
        "begleitende_phase",
        {"rolle": "junger_mensch"},
        situation="ausbildung_vorzeitig_geloest",
        unterstuetzung_noetig=False,
    )
    assert ergebnis.status == "nein"


def test_74_abs3_nr2a_early_termination_need_unknown_asks_only_for_need() -> None:
    ergebnis = option(
        "begleitende_phase", {"rolle": "junger_mensch"}, situation="ausbildung_vorzeitig_geloest"
    )
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("unterstuetzung_noetig",)


@pytest.mark.parametrize(
    ("stichtag", "status"),
    [("2026-07-30", "ja"), ("2026-07-31", "ja"), ("2026-08-01", "nein")],
)
def test_74_abs3_satz3_nachbetreuung_ends_one_year_after_training(
    stichtag: str, status: str
) -> None:
    assert option("begleitende_phase", ABGESCHLOSSEN, stichtag=stichtag).status == status


@pytest.mark.parametrize(
    ("stichtag", "status"),
    [("2025-10-31", "ja"), ("2025-11-01", "ja"), ("2025-11-02", "nein")],
)
def test_74_abs3_satz3_nachbetreuung_ends_six_months_after_job_start(
    stichtag: str, status: str
) -> None:
    ergebnis = option(
        "begleitende_phase",
        ABGESCHLOSSEN,
        stichtag=stichtag,
        arbeitsverhaeltnis_seit="2025-05-01",
    )
    assert ergebnis.status == status


def test_74_abs3_satz3_nachbetreuung_earlier_deadline_wins() -> None:
    # Job from 2026-05-01 would allow until 2026-11-01, but a year after training ends first.
    ergebnis = option(
        "begleitende_phase",
        ABGESCHLOSSEN,
        stichtag="2026-08-15",
        arbeitsverhaeltnis_seit="2026-05-01",
    )
    assert ergebnis.status == "nein"
    assert "31.07.2026" in ergebnis.gruende[0].text


def test_74_abs3_satz3_nachbetreuung_job_start_at_month_end() -> None:
    basis = {**ABGESCHLOSSEN, "ausbildungsende": None, "arbeitsverhaeltnis_seit": "2025-08-31"}
    assert option("begleitende_phase", basis, stichtag="2026-02-28").status == "ja"
    assert option("begleitende_phase", basis, stichtag="2026-03-01").status == "nein"


def test_74_abs3_satz3_nachbetreuung_without_dates_is_offen() -> None:
    ergebnis = option("begleitende_phase", ABGESCHLOSSEN, ausbildungsende=None)
    assert ergebnis.status == "offen"
    assert set(ergebnis.fehlende_angaben) == {"ausbildungsende", "arbeitsverhaeltnis_seit"}


def test_74_abs3_nr2b_nachbetreuung_without_need_is_nein() -> None:
    ergebnis = option(
        "begleitende_phase", ABGESCHLOSSEN, stichtag="2026-01-15", unterstuetzung_noetig=False
    )
    assert ergebnis.status == "nein"


def test_74_abs3_satz2_eq_with_need_is_ja() -> None:
    ergebnis = option(
        "begleitende_phase",
        {"rolle": "junger_mensch"},
        situation="in_eq",
        unterstuetzung_noetig=True,
    )
    assert ergebnis.status == "ja"
    assert alle_regeln(ergebnis)["zweig_eq"] == "erfuellt"


def test_74_abs3_satz2_signed_eq_contract_before_start_is_ja() -> None:
    ergebnis = option(
        "begleitende_phase",
        {"rolle": "junger_mensch"},
        situation="sucht_ausbildung",
        ausbildungsvertrag_unterschrieben=False,
        eq_vertrag_unterschrieben=True,
        unterstuetzung_noetig=True,
    )
    assert ergebnis.status == "ja"


def test_74_abs3_satz2_eq_contract_not_signed_is_nein() -> None:
    ergebnis = option(
        "begleitende_phase",
        {"rolle": "junger_mensch"},
        situation="in_eq",
        eq_vertrag_unterschrieben=False,
        unterstuetzung_noetig=True,
    )
    assert ergebnis.status == "nein"


def test_74_abs3_all_branches_unknown_lists_what_is_missing() -> None:
    ergebnis = option("begleitende_phase", {"rolle": "junger_mensch"})
    assert ergebnis.status == "offen"
    assert "situation" in ergebnis.fehlende_angaben
    assert "unterstuetzung_noetig" in ergebnis.fehlende_angaben


def test_75_beschaeftigungsverbot_is_nein() -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        staatsangehoerigkeit="drittstaat",
        erwerbstaetigkeit_erlaubt=False,
    )
    assert ergebnis.status == "nein"
    assert regeln(ergebnis)["kein_beschaeftigungsverbot"] == "nicht_erfuellt"


def test_75_duldung_needs_no_minimum_stay_in_the_begleitende_phase() -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        staatsangehoerigkeit="drittstaat",
        aufenthaltsstatus="duldung",
        erwerbstaetigkeit_erlaubt=True,
        aufenthalt_seit="2026-03-01",
    )
    assert ergebnis.status == "ja"


@pytest.mark.parametrize(
    ("betrieb_in_deutschland", "status"), [(True, "ja"), (False, "nein"), (None, "offen")]
)
def test_74_residence_abroad_needs_company_in_germany(
    betrieb_in_deutschland: bool | None, status: str
) -> None:
    ergebnis = option(
        "begleitende_phase",
        AZUBI,
        wohnsitz_im_ausland=True,
        betrieb_in_deutschland=betrieb_in_deutschland,
    )
    assert ergebnis.status == status
    if status == "offen":
        assert ergebnis.fehlende_angaben == ("betrieb_in_deutschland",)


@pytest.mark.parametrize(
    ("art", "beginn", "status"),
    [
        ("pflegeberufegesetz", "2020-01-01", "ja"),
        ("altenpflegegesetz", "2018-09-01", "ja"),
        ("sonstige_pflege", "2019-12-31", "nein"),
        ("sonstige_pflege", "2020-01-01", "ja"),
        ("sonstige_pflege", "2020-01-02", "ja"),
    ],
)
def test_74_nursing_trainings_by_law_and_start_date(art: str, beginn: str, status: str) -> None:
    ergebnis = option("begleitende_phase", AZUBI, pflegeausbildung=art, ausbildungsbeginn=beginn)
    assert ergebnis.status == status


def test_74_other_nursing_training_without_start_date_is_offen() -> None:
    ergebnis = option("begleitende_phase", AZUBI, pflegeausbildung="sonstige_pflege")
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("ausbildungsbeginn",)


def test_74_part_time_training_is_supported_in_the_begleitende_phase() -> None:
    ergebnis = option("begleitende_phase", AZUBI, teilzeit=True)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["teilzeitausbildung_foerderbar"] == "hinweis"


def test_74_disability_does_not_exclude_the_begleitende_phase() -> None:
    ergebnis = option("begleitende_phase", AZUBI, behinderung=True)
    assert ergebnis.status == "ja"
    assert "behinderung_schliesst_nicht_aus" in regeln(ergebnis)


def test_74_berufseinstiegsbegleitung_hint_keeps_status() -> None:
    ergebnis = option("begleitende_phase", AZUBI, berufseinstiegsbegleitung=True)
    assert ergebnis.status == "ja"
    assert "keine_gleichzeitige_berufseinstiegsbegleitung" in regeln(ergebnis)


def test_74_abs3_ausbildungsreife_false_with_contract_is_a_hint() -> None:
    ergebnis = option("begleitende_phase", AZUBI, ausbildungsreife=False)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["ausbildungsreife_hinweis"] == "hinweis"
