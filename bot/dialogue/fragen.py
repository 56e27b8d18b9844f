"""Which question the young-person flow asks next: facts the rules still miss, in fixed order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from bot.eligibility import evaluate, parse_facts

#: Slot value for "weiß nicht": the question counts as answered, the fact stays unknown.
UNBEKANNT: Final = "unbekannt"

#: Order in which facts are asked; a fact is asked only while a relevant option lacks it.
REIHENFOLGE: Final[tuple[str, ...]] = (
    "situation",
    "vollzeitschulpflicht_erfuellt",
    "ausbildungsvertrag_unterschrieben",
    "eq_vertrag_unterschrieben",
    "unterstuetzung_noetig",
    "ausbildungsreife",
    "ausbildungsende",
    "arbeitsverhaeltnis_seit",
    "staatsangehoerigkeit",
    "erwerbstaetigkeit_erlaubt",
    "aufenthaltsstatus",
    "aufenthalt_seit",
    "einreise_datum",
    "deutsch_niveau",
    "wohnsitz_im_ausland",
    "betrieb_in_deutschland",
    "berufseinstiegsbegleitung",
    "braucht_intensive_aktivierung",
    "braucht_berufsvorbereitung",
    "praktika_im_mittelpunkt",
    "buergergeld",
)

#: Facts the flow asks even when no rule misses them: the rules presume the usual case for
#: nationality (which opens the questions on residence), and the contact depends on Bürgergeld.
IMMER_FRAGEN: Final = frozenset({"staatsangehoerigkeit", "buergergeld"})

#: Options that matter in each situation; the others are not shown or asked about.
RELEVANTE_OPTIONEN: Final[Mapping[str, tuple[str, ...]]] = {
    "schule": ("vorphase", "bab", "eq", "bvb", "massnahme_45"),
    "sucht_ausbildung": ("vorphase", "bab", "eq", "bvb", "massnahme_45"),
    "in_ausbildung": ("begleitende_phase",),
    "in_eq": ("begleitende_phase",),
    "ausbildung_vorzeitig_geloest": ("begleitende_phase", "vorphase", "eq"),
    "ausbildung_mit_asa_abgeschlossen": ("begleitende_phase",),
}
ALLE_OPTIONEN: Final = ("vorphase", "begleitende_phase", "eq", "bvb", "massnahme_45", "bab")

#: Facts the dialogue can hold in slots of the same name.
FAKTEN: Final = frozenset(REIHENFOLGE) | {"teilzeit", "behinderung", "pflegeausbildung"}


def fakten_aus_slots(slots: Mapping[str, Any], rolle: str = "junger_mensch") -> dict[str, Any]:
    """The facts contract as a dict: known slot values only ("weiß nicht" stays unknown)."""
    fakten: dict[str, Any] = {"rolle": rolle}
    for name in sorted(FAKTEN):
        wert = slots.get(name)
        if wert is not None and wert != UNBEKANNT:
            fakten[name] = wert
    return fakten


def relevante_optionen(slots: Mapping[str, Any]) -> tuple[str, ...]:
    """Options worth showing for the stated situation (all while the situation is unknown)."""
    situation = slots.get("situation")
    if isinstance(situation, str) and situation in RELEVANTE_OPTIONEN:
        return RELEVANTE_OPTIONEN[situation]
    return ALLE_OPTIONEN


def auswerten(slots: Mapping[str, Any], stichtag: date | None = None) -> dict[str, Any]:
    """The rules' result (CLI JSON shape) for what the slots hold."""
    return evaluate(parse_facts(fakten_aus_slots(slots)), stichtag).to_dict()


def offene_fragen(slots: Mapping[str, Any], stichtag: date | None = None) -> list[str]:
    """Facts still to ask, in order: missing for a relevant option and not yet answered."""
    ergebnis = auswerten(slots, stichtag)
    fehlend: set[str] = set()
    for option in relevante_optionen(slots):
        fehlend.update(ergebnis["optionen"][option]["fehlende_angaben"])
    if slots.get("situation") is None:
        fehlend.add("situation")
    fehlend |= IMMER_FRAGEN
    if slots.get("situation") == "ausbildung_mit_asa_abgeschlossen":
        # The rules presume no job yet; the 6-month limit needs the job's start date.
        fehlend |= {"ausbildungsende", "arbeitsverhaeltnis_seit"}
    return [name for name in REIHENFOLGE if name in fehlend and slots.get(name) is None]
