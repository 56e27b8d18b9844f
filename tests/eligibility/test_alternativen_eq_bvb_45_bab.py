"""Related instruments: EQ (§ 54a), BvB (§§ 51, 52), § 45 measures, BAB in the Vorphase."""

from __future__ import annotations

import pytest

from tests.eligibility.fakten import AZUBI, SUCHEND, option, regeln


@pytest.mark.parametrize(("praktika", "status"), [(True, "ja"), (False, "nein"), (None, "offen")])
def test_54a_eq_fits_when_internships_are_at_the_core(praktika: bool | None, status: str) -> None:
    ergebnis = option("eq", SUCHEND, praktika_im_mittelpunkt=praktika)
    assert ergebnis.status == status
    if status == "offen":
        assert ergebnis.fehlende_angaben == ("praktika_im_mittelpunkt",)


def test_54a_eq_running_or_agreed_is_ja() -> None:
    assert option("eq", {"rolle": "junger_mensch"}, situation="in_eq").status == "ja"
    assert option("eq", SUCHEND, eq_vertrag_unterschrieben=True).status == "ja"


@pytest.mark.parametrize("situation", ["in_ausbildung", "ausbildung_mit_asa_abgeschlossen"])
def test_54a_eq_no_longer_fits_once_training_runs_or_ended(situation: str) -> None:
    assert option("eq", SUCHEND, situation=situation, praktika_im_mittelpunkt=True).status == "nein"


def test_54a_eq_beschaeftigungsverbot_is_nein() -> None:
    ergebnis = option(
        "eq",
        SUCHEND,
        praktika_im_mittelpunkt=True,
        staatsangehoerigkeit="drittstaat",
        erwerbstaetigkeit_erlaubt=False,
    )
    assert ergebnis.status == "nein"


def test_54a_eq_after_vollzeitschulpflicht_only() -> None:
    ergebnis = option(
        "eq",
        SUCHEND,
        situation="schule",
        vollzeitschulpflicht_erfuellt=False,
        praktika_im_mittelpunkt=True,
    )
    assert ergebnis.status == "nein"


@pytest.mark.parametrize(
    ("stichtag", "dauer"),
    [
        ("2024-03-31", "6 bis 12 Monate"),
        ("2024-04-01", "4 bis 12 Monate"),
        ("2024-04-02", "4 bis 12"),
    ],
)
def test_54a_abs2_eq_duration_is_dated(stichtag: str, dauer: str) -> None:
    ergebnis = option("eq", SUCHEND, stichtag=stichtag, praktika_im_mittelpunkt=True)
    assert dauer in next(g.text for g in ergebnis.gruende if g.regel == "eq_dauer")


@pytest.mark.parametrize(("braucht", "status"), [(True, "ja"), (False, "nein"), (None, "offen")])
def test_51_bvb_fits_when_vocational_preparation_is_needed(
    braucht: bool | None, status: str
) -> None:
    assert option("bvb", SUCHEND, braucht_berufsvorbereitung=braucht).status == status


def test_52_abs1_nr2_bvb_needs_vollzeitschulpflicht_fulfilled() -> None:
    ergebnis = option(
        "bvb", SUCHEND, vollzeitschulpflicht_erfuellt=False, braucht_berufsvorbereitung=True
    )
    assert ergebnis.status == "nein"
    unknown = option(
        "bvb", SUCHEND, vollzeitschulpflicht_erfuellt=None, braucht_berufsvorbereitung=True
    )
    assert unknown.fehlende_angaben == ("vollzeitschulpflicht_erfuellt",)


def test_52_abs1_nr1_missing_ausbildungsreife_indicates_bvb() -> None:
    ergebnis = option("bvb", SUCHEND, ausbildungsreife=False)
    assert ergebnis.status == "ja"
    assert regeln(ergebnis)["bvb_berufsvorbereitung_erforderlich"] == "erfuellt"


def test_51_bvb_does_not_fit_during_training() -> None:
    assert option("bvb", AZUBI, braucht_berufsvorbereitung=True).status == "nein"


@pytest.mark.parametrize(("braucht", "status"), [(True, "ja"), (False, "nein"), (None, "offen")])
def test_45_measure_fits_when_intensive_activation_is_needed(
    braucht: bool | None, status: str
) -> None:
    assert option("massnahme_45", SUCHEND, braucht_intensive_aktivierung=braucht).status == status


def test_45_measure_does_not_fit_during_training() -> None:
    assert option("massnahme_45", AZUBI, braucht_intensive_aktivierung=True).status == "nein"


@pytest.mark.parametrize(
    ("angaben", "status"),
    [
        ({}, "ja"),
        ({"situation": "in_ausbildung"}, "nein"),
        ({"vollzeitschulpflicht_erfuellt": None}, "offen"),
    ],
)
def test_56_bab_follows_the_vorphase(angaben: dict[str, object], status: str) -> None:
    ergebnis = option("bab", SUCHEND, **angaben)
    vorphase = option("vorphase", SUCHEND, **angaben)
    assert ergebnis.status == vorphase.status == status
    assert ergebnis.fehlende_angaben == vorphase.fehlende_angaben
    assert ergebnis.gruende[0].regel == "bab_in_der_vorphase"
    if status == "ja":
        assert "Anspruch" in ergebnis.gruende[0].text
