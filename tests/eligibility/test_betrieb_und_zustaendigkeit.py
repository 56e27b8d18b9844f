"""Companies (§ 74 Abs. 1, § 75a Abs. 5, § 54a SGB III) and routing to the responsible office."""

from __future__ import annotations

import pytest

from tests.eligibility.fakten import AZUBI, pruefe, regeln

BETRIEB = {"rolle": "betrieb", "stichtag": "2026-04-15"}


@pytest.mark.parametrize(("will", "status"), [(True, "ja"), (False, "nein"), (None, "offen")])
@pytest.mark.parametrize("option", ["vorphase", "begleitende_phase", "eq"])
def test_74_abs1_75a_abs5_company_that_trains_or_means_to(
    option: str, will: bool | None, status: str
) -> None:
    ergebnis = pruefe(BETRIEB, betrieb_bildet_aus_oder_will=will).option(option)
    assert ergebnis.status == status
    if status == "offen":
        assert ergebnis.fehlende_angaben == ("betrieb_bildet_aus_oder_will",)


def test_75a_abs5_company_vorphase_cites_the_norm() -> None:
    ergebnis = pruefe(BETRIEB, betrieb_bildet_aus_oder_will=True).option("vorphase")
    assert ergebnis.gruende[0].norm == "§ 75a Abs. 5 SGB III"


def test_74_abs1_first_time_training_company_gets_help_with_zulassung() -> None:
    ergebnis = pruefe(
        BETRIEB, betrieb_bildet_aus_oder_will=True, betrieb_erstmals_ausbildend=True
    ).option("begleitende_phase")
    text = next(g.text for g in ergebnis.gruende if g.regel == "erstausbildender_betrieb")
    assert "Zulassung" in text and "Ausbildereignung" in text


@pytest.mark.parametrize("option", ["bvb", "massnahme_45", "bab"])
def test_51_45_56_young_people_benefits_are_not_for_companies(option: str) -> None:
    ergebnis = pruefe(BETRIEB, betrieb_bildet_aus_oder_will=True).option(option)
    assert ergebnis.status == "nein"
    assert regeln(ergebnis) == {"leistung_fuer_junge_menschen": "nicht_erfuellt"}


def test_74_routing_company_to_arbeitgeber_service_with_phone_and_web() -> None:
    zustaendig = pruefe(BETRIEB).to_dict()["zustaendig"]
    assert isinstance(zustaendig, dict)
    assert zustaendig["stelle"] == "arbeitgeber_service"
    assert zustaendig["telefon"] == "0800 4 5555 20"
    assert zustaendig["web"] == (
        "https://www.arbeitsagentur.de/unternehmen/ausbilden/assistierte-ausbildung-betriebe"
    )
    assert "Kammer" in str(zustaendig["hinweis"])


def test_routing_young_person_with_buergergeld_to_jobcenter() -> None:
    zustaendig = pruefe(AZUBI, buergergeld=True).zustaendig
    assert zustaendig.stelle == "jobcenter"
    assert zustaendig.fehlende_angaben == ()


def test_routing_young_person_without_buergergeld_to_agentur() -> None:
    assert pruefe(AZUBI, buergergeld=False).zustaendig.stelle == "agentur_fuer_arbeit"


def test_routing_unknown_buergergeld_goes_to_agentur_and_names_the_question() -> None:
    zustaendig = pruefe(AZUBI).zustaendig
    assert zustaendig.stelle == "agentur_fuer_arbeit"
    assert zustaendig.fehlende_angaben == ("buergergeld",)


def test_company_routing_ignores_buergergeld() -> None:
    assert pruefe(BETRIEB, buergergeld=True).zustaendig.stelle == "arbeitgeber_service"


def test_every_result_says_the_agentur_or_jobcenter_decides() -> None:
    for basis in (AZUBI, BETRIEB):
        hinweis = pruefe(basis).hinweis
        assert (
            "Agentur für Arbeit" in hinweis and "Jobcenter" in hinweis and "entscheidet" in hinweis
        )
