"""Evaluates facts on a Stichtag: runs the rules of each option and assembles the result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.eligibility import regeln_alternativen as alt
from bot.eligibility import regeln_betrieb as betrieb
from bot.eligibility import values
from bot.eligibility.befund import Befund, fehlende, status_aus
from bot.eligibility.facts import Facts, FactsError
from bot.eligibility.regeln_begleitend import begleitende_phase_befunde
from bot.eligibility.regeln_vorphase import vorphase_befunde
from bot.eligibility.result import Ergebnis, OptionErgebnis
from bot.eligibility.routing import zustaendige_stelle


def _option(name: str, befunde: Sequence[Befund]) -> OptionErgebnis:
    status = status_aus(befunde)
    fehlend = fehlende(befunde) if status == "offen" else ()
    return OptionErgebnis(name, status, tuple(befunde), fehlend)


def _junger_mensch(f: Facts, tag: date) -> tuple[OptionErgebnis, ...]:
    vorphase = _option("vorphase", vorphase_befunde(f, tag))
    bab = OptionErgebnis(
        "bab",
        vorphase.status,
        (alt.bab_in_der_vorphase(vorphase.status),),
        vorphase.fehlende_angaben,
    )
    return (
        vorphase,
        _option("begleitende_phase", begleitende_phase_befunde(f, tag)),
        _option("eq", [*alt.eq_passt(f, tag), alt.eq_dauer(tag)]),
        _option("bvb", alt.bvb_passt(f)),
        _option("massnahme_45", alt.massnahme_45_passt(f)),
        bab,
    )


def _betrieb(f: Facts, tag: date) -> tuple[OptionErgebnis, ...]:
    hinweise = betrieb.betrieb_hinweise(f)
    return (
        _option("vorphase", [betrieb.betrieb_vorphase(f), *hinweise]),
        _option("begleitende_phase", [betrieb.betrieb_begleitende_phase(f), *hinweise]),
        _option("eq", [betrieb.betrieb_eq(f), alt.eq_dauer(tag)]),
        _option("bvb", [betrieb.nur_fuer_junge_menschen("Die BvB", "§ 51 SGB III")]),
        _option(
            "massnahme_45",
            [betrieb.nur_fuer_junge_menschen("Eine Maßnahme nach § 45", "§ 45 SGB III")],
        ),
        _option("bab", [betrieb.nur_fuer_junge_menschen("Die BAB", "§§ 56 ff. SGB III")]),
    )


def stichtag_pruefen(tag: date) -> None:
    """Refuse Stichtage before §§ 74–75a SGB III came into force: no rules are held for them."""
    beginn = values.eintraege("asa_inkrafttreten")[0].gueltig_ab
    if tag < beginn:
        raise FactsError(
            "stichtag",
            f"Regeln sind erst ab dem Inkrafttreten der §§ 74–75a SGB III am "
            f"{beginn.strftime('%d.%m.%Y')} hinterlegt, nicht für den {tag.strftime('%d.%m.%Y')}",
        )


def evaluate(facts: Facts, stichtag: date | None = None) -> Ergebnis:
    """Evaluate `facts` on `stichtag` (else the facts' own Stichtag, else today)."""
    tag = stichtag or facts.stichtag or date.today()
    stichtag_pruefen(tag)
    optionen = _betrieb(facts, tag) if facts.rolle == "betrieb" else _junger_mensch(facts, tag)
    return Ergebnis(
        stichtag=tag,
        rolle=facts.rolle,
        optionen=optionen,
        zustaendig=zustaendige_stelle(facts, tag),
    )
