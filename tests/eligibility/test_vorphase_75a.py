"""Vorphase rules (§ 75a SGB III with § 74 Abs. 3 Satz 1 Nr. 1), one test per rule and branch."""

from __future__ import annotations

import pytest

from tests.eligibility.fakten import SUCHEND, option, regeln


def test_75a_abs1_all_conditions_met_gives_ja_with_reasons() -> None:
    ergebnis = option("vorphase", SUCHEND)
    assert ergebnis.status == "ja"
    assert ergebnis.fehlende_angaben == ()
    assert regeln(ergebnis)["vollzeitschulpflicht_erfuellt"] == "erfuellt"
    assert all(g.norm and g.quelle for g in ergebnis.gruende)


@pytest.mark.parametrize(
    ("situation", "status"),
    [
        ("sucht_ausbildung", "ja"),
        ("ausbildung_vorzeitig_geloest", "ja"),
        ("schule", "ja"),
        ("in_ausbildung", "nein"),
        ("in_eq", "nein"),
        ("ausbildung_mit_asa_abgeschlossen", "nein"),
    ],
)
def test_75a_abs2_vorphase_fits_only_before_a_training(situation: str, status: str) -> None:
    assert option("vorphase", SUCHEND, situation=situation).status == status


def test_75a_abs2_unknown_situation_is_offen() -> None:
    ergebnis = option("vorphase", SUCHEND, situation=None)
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("situation",)


def test_75a_abs1_satz1_school_with_vollzeitschulpflicht_not_fulfilled_is_nein() -> None:
    ergebnis = option("vorphase", SUCHEND, situation="schule", vollzeitschulpflicht_erfuellt=False)
    assert ergebnis.status == "nein"
    assert "Vollzeitschulpflicht" in ergebnis.gruende[0].text


def test_75a_abs1_satz1_vollzeitschulpflicht_unknown_is_offen() -> None:
    ergebnis = option("vorphase", SUCHEND, vollzeitschulpflicht_erfuellt=None)
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("vollzeitschulpflicht_erfuellt",)


def test_74_abs3_ausbildungsreife_missing_is_nein_and_points_to_bvb() -> None:
    ergebnis = option("vorphase", SUCHEND, ausbildungsreife=False)
    assert ergebnis.status == "nein"
    assert "BvB" in ergebnis.gruende[0].text


def test_74_abs3_nr1_no_need_for_support_is_nein() -> None:
    assert option("vorphase", SUCHEND, unterstuetzung_noetig=False).status == "nein"


def test_74_abs3_nr1_need_unknown_is_offen() -> None:
    ergebnis = option("vorphase", SUCHEND, unterstuetzung_noetig=None)
    assert ergebnis.fehlende_angaben == ("unterstuetzung_noetig",)


def test_75a_abs1_satz2_beschaeftigungsverbot_is_nein() -> None:
    ergebnis = option(
        "vorphase", SUCHEND, staatsangehoerigkeit="drittstaat", erwerbstaetigkeit_erlaubt=False
    )
    assert ergebnis.status == "nein"
    assert regeln(ergebnis)["kein_beschaeftigungsverbot"] == "nicht_erfuellt"


def test_75a_abs1_satz2_third_country_without_work_permit_info_is_offen() -> None:
    ergebnis = option(
        "vorphase", SUCHEND, staatsangehoerigkeit="drittstaat", aufenthaltsstatus="aufenthaltstitel"
    )
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("erwerbstaetigkeit_erlaubt",)


@pytest.mark.parametrize("staat", ["deutsch", "eu"])
def test_75a_abs1_satz2_germans_and_eu_citizens_have_no_beschaeftigungsverbot(staat: str) -> None:
    ergebnis = option("vorphase", SUCHEND, staatsangehoerigkeit=staat)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["kein_beschaeftigungsverbot"] == "entfaellt"


def test_75a_abs1_satz3_third_country_without_status_is_offen() -> None:
    ergebnis = option(
        "vorphase", SUCHEND, staatsangehoerigkeit="drittstaat", erwerbstaetigkeit_erlaubt=True
    )
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("aufenthaltsstatus",)


GEDULDET = {
    **SUCHEND,
    "staatsangehoerigkeit": "drittstaat",
    "erwerbstaetigkeit_erlaubt": True,
    "aufenthaltsstatus": "duldung",
    "einreise_datum": "2025-01-15",
    "aufenthalt_seit": "2025-01-15",
}


@pytest.mark.parametrize(
    ("stichtag", "status"),
    [("2026-04-14", "nein"), ("2026-04-15", "ja"), ("2026-04-16", "ja")],
)
@pytest.mark.parametrize("status_art", ["duldung", "aufenthaltsgestattung"])
def test_75a_abs1_satz3_nr1_fifteen_months_boundary(
    stichtag: str, status: str, status_art: str
) -> None:
    ergebnis = option("vorphase", GEDULDET, stichtag=stichtag, aufenthaltsstatus=status_art)
    assert ergebnis.status == status
    if status == "nein":
        assert "14 Monate und 30 Tage" in ergebnis.gruende[0].text


def test_75a_abs1_satz3_month_end_start_uses_last_day_of_month() -> None:
    basis = {**GEDULDET, "einreise_datum": "2025-01-31", "aufenthalt_seit": "2025-01-31"}
    assert option("vorphase", basis, stichtag="2026-04-29").status == "nein"
    assert option("vorphase", basis, stichtag="2026-04-30").status == "ja"


@pytest.mark.parametrize(
    ("einreise", "status"),
    [("2019-07-31", "ja"), ("2019-08-01", "nein"), ("2019-08-02", "nein")],
)
def test_75a_abs1_satz4_entry_before_2019_08_01_needs_only_three_months(
    einreise: str, status: str
) -> None:
    # Tolerated since 2026-01-01: three months reached on 2026-04-01, fifteen months not yet.
    basis = {**GEDULDET, "einreise_datum": einreise, "aufenthalt_seit": "2026-01-01"}
    assert option("vorphase", basis, stichtag="2026-04-15").status == status


@pytest.mark.parametrize(("stichtag", "status"), [("2026-03-31", "nein"), ("2026-04-01", "ja")])
def test_75a_abs1_satz4_three_months_boundary(stichtag: str, status: str) -> None:
    basis = {**GEDULDET, "einreise_datum": "2018-05-01", "aufenthalt_seit": "2026-01-01"}
    assert option("vorphase", basis, stichtag=stichtag).status == status


def test_75a_abs1_satz3_stay_between_3_and_15_months_without_entry_date_is_offen() -> None:
    basis = {**GEDULDET, "einreise_datum": None, "aufenthalt_seit": "2025-10-01"}
    ergebnis = option("vorphase", basis, stichtag="2026-04-15")
    assert ergebnis.status == "offen"
    assert ergebnis.fehlende_angaben == ("einreise_datum",)


def test_75a_abs1_satz3_stay_under_3_months_is_nein_even_without_entry_date() -> None:
    basis = {**GEDULDET, "einreise_datum": None, "aufenthalt_seit": "2026-03-01"}
    assert option("vorphase", basis, stichtag="2026-04-15").status == "nein"


def test_75a_abs1_satz3_no_dates_is_offen_and_asks_for_them() -> None:
    basis = {**GEDULDET, "einreise_datum": None, "aufenthalt_seit": None}
    ergebnis = option("vorphase", basis)
    assert ergebnis.fehlende_angaben == ("aufenthalt_seit", "einreise_datum")


def test_75a_abs1_satz3_entry_date_alone_counts_with_stated_assumption() -> None:
    basis = {**GEDULDET, "einreise_datum": "2018-01-10", "aufenthalt_seit": None}
    ergebnis = option("vorphase", basis)
    assert ergebnis.status == "ja"
    assert any("Angenommen" in g.text for g in ergebnis.gruende)


def test_75a_abs1_satz3_stay_cannot_start_before_entry() -> None:
    basis = {**GEDULDET, "einreise_datum": "2026-01-01", "aufenthalt_seit": "2020-01-01"}
    assert option("vorphase", basis).status == "nein"


def test_75a_abs1_satz3_aufenthaltstitel_has_no_minimum_stay() -> None:
    basis = {**GEDULDET, "aufenthaltsstatus": "aufenthaltstitel", "aufenthalt_seit": "2026-04-01"}
    assert option("vorphase", basis).status == "ja"


@pytest.mark.parametrize("niveau", ["A1", "A2"])
def test_75a_abs1_satz3_nr2_german_below_b1_is_a_hint_not_a_nein(niveau: str) -> None:
    ergebnis = option("vorphase", GEDULDET, deutsch_niveau=niveau)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["deutsch_und_schulkenntnisse"] == "hinweis"
    assert "B1" in next(
        g.text for g in ergebnis.gruende if g.regel == "deutsch_und_schulkenntnisse"
    )


@pytest.mark.parametrize(("stichtag", "stunden"), [("2026-03-31", "22"), ("2026-04-01", "20")])
def test_75a_vorphase_full_time_hint_for_part_time_uses_dated_minimum(
    stichtag: str, stunden: str
) -> None:
    ergebnis = option("vorphase", SUCHEND, stichtag=stichtag, teilzeit=True)
    assert ergebnis.status == "ja"
    text = next(g.text for g in ergebnis.gruende if g.regel == "vorphase_grundsaetzlich_vollzeit")
    assert f"{stunden} Wochenstunden" in text


def test_75a_residence_abroad_is_a_hint_not_a_nein() -> None:
    ergebnis = option("vorphase", SUCHEND, wohnsitz_im_ausland=True)
    assert ergebnis.status == "ja"
    assert "vorphase_wohnsitz_im_ausland" in regeln(ergebnis)


def test_74_disability_does_not_exclude_the_vorphase() -> None:
    ergebnis = option("vorphase", SUCHEND, behinderung=True)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["behinderung_schliesst_nicht_aus"] == "hinweis"


def test_74_berufseinstiegsbegleitung_is_a_hint_to_compare_not_a_nein() -> None:
    ergebnis = option("vorphase", SUCHEND, berufseinstiegsbegleitung=True)
    assert ergebnis.status == "ja"
    assert "gleichzeitig" in next(
        g.text
        for g in ergebnis.gruende
        if g.regel == "keine_gleichzeitige_berufseinstiegsbegleitung"
    )


@pytest.mark.parametrize(
    ("fakt", "norm"),
    [
        ("braucht_intensive_aktivierung", "§ 45 SGB III"),
        ("braucht_berufsvorbereitung", "§ 51 SGB III"),
        ("praktika_im_mittelpunkt", "§ 54a SGB III"),
    ],
)
def test_75a_alternatives_are_named_as_hints(fakt: str, norm: str) -> None:
    ergebnis = option("vorphase", SUCHEND, **{fakt: True})
    assert ergebnis.status == "ja"
    assert any(g.regel == "alternative_zur_vorphase" and g.norm == norm for g in ergebnis.gruende)


def test_75a_abs3_duration_hint_from_dated_values() -> None:
    text = next(g.text for g in option("vorphase", SUCHEND).gruende if g.regel == "vorphase_dauer")
    assert "6 Monate" in text and "2 Monate" in text
