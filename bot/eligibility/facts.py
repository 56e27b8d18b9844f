"""The facts contract: validated facts about a young person or a company; `rolle` is required."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, get_args

from bot.errors import AsaError

Rolle = Literal["junger_mensch", "betrieb"]
Situation = Literal[
    "schule",
    "sucht_ausbildung",
    "in_ausbildung",
    "in_eq",
    "ausbildung_vorzeitig_geloest",
    "ausbildung_mit_asa_abgeschlossen",
]
Staatsangehoerigkeit = Literal["deutsch", "eu", "drittstaat"]
Aufenthaltsstatus = Literal["aufenthaltstitel", "aufenthaltsgestattung", "duldung"]
DeutschNiveau = Literal["A1", "A2", "B1", "B2", "C1", "C2"]
Pflegeausbildung = Literal["pflegeberufegesetz", "altenpflegegesetz", "sonstige_pflege"]

_DATUM_MUSTER: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FactsError(AsaError):
    """A fact is missing, unknown, of the wrong type or has an impossible value; names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Facts:
    """What is known about the person or company; None means unknown (never "no")."""

    rolle: Rolle
    stichtag: date | None = None
    situation: Situation | None = None
    vollzeitschulpflicht_erfuellt: bool | None = None
    ausbildungsreife: bool | None = None
    unterstuetzung_noetig: bool | None = None
    ausbildungsvertrag_unterschrieben: bool | None = None
    eq_vertrag_unterschrieben: bool | None = None
    teilzeit: bool | None = None
    erwerbstaetigkeit_erlaubt: bool | None = None
    behinderung: bool | None = None
    berufseinstiegsbegleitung: bool | None = None
    wohnsitz_im_ausland: bool | None = None
    betrieb_in_deutschland: bool | None = None
    braucht_intensive_aktivierung: bool | None = None
    braucht_berufsvorbereitung: bool | None = None
    praktika_im_mittelpunkt: bool | None = None
    buergergeld: bool | None = None
    betrieb_bildet_aus_oder_will: bool | None = None
    betrieb_erstmals_ausbildend: bool | None = None
    staatsangehoerigkeit: Staatsangehoerigkeit | None = None
    aufenthaltsstatus: Aufenthaltsstatus | None = None
    deutsch_niveau: DeutschNiveau | None = None
    pflegeausbildung: Pflegeausbildung | None = None
    aufenthalt_seit: date | None = None
    einreise_datum: date | None = None
    ausbildungsbeginn: date | None = None
    ausbildungsende: date | None = None
    arbeitsverhaeltnis_seit: date | None = None

    def angegeben(self) -> frozenset[str]:
        """Names of the facts that are stated (not None)."""
        return frozenset(
            f.name for f in dataclasses.fields(self) if getattr(self, f.name) is not None
        )

    def to_dict(self) -> dict[str, object]:
        """The stated facts in the JSON shape of the contract (dates as YYYY-MM-DD)."""
        ergebnis: dict[str, object] = {}
        for name in sorted(self.angegeben()):
            wert = getattr(self, name)
            ergebnis[name] = wert.isoformat() if isinstance(wert, date) else wert
        return ergebnis


BOOL_FELDER: Final = (
    "vollzeitschulpflicht_erfuellt",
    "ausbildungsreife",
    "unterstuetzung_noetig",
    "ausbildungsvertrag_unterschrieben",
    "eq_vertrag_unterschrieben",
    "teilzeit",
    "erwerbstaetigkeit_erlaubt",
    "behinderung",
    "berufseinstiegsbegleitung",
    "wohnsitz_im_ausland",
    "betrieb_in_deutschland",
    "braucht_intensive_aktivierung",
    "braucht_berufsvorbereitung",
    "praktika_im_mittelpunkt",
    "buergergeld",
    "betrieb_bildet_aus_oder_will",
    "betrieb_erstmals_ausbildend",
)
ENUM_FELDER: Final[dict[str, tuple[str, ...]]] = {
    "rolle": get_args(Rolle),
    "situation": get_args(Situation),
    "staatsangehoerigkeit": get_args(Staatsangehoerigkeit),
    "aufenthaltsstatus": get_args(Aufenthaltsstatus),
    "deutsch_niveau": get_args(DeutschNiveau),
    "pflegeausbildung": get_args(Pflegeausbildung),
}
DATUM_FELDER: Final = (
    "stichtag",
    "aufenthalt_seit",
    "einreise_datum",
    "ausbildungsbeginn",
    "ausbildungsende",
    "arbeitsverhaeltnis_seit",
)
ALLE_FELDER: Final = frozenset(f.name for f in dataclasses.fields(Facts))


def _datum(feld: str, roh: object) -> date:
    if isinstance(roh, date) and not hasattr(roh, "hour"):
        return roh
    if not isinstance(roh, str):
        raise FactsError(feld, f"Datum als Text im Format JJJJ-MM-TT erwartet, erhalten: {roh!r}")
    if not _DATUM_MUSTER.match(roh):
        raise FactsError(feld, f"Datum im Format JJJJ-MM-TT erwartet, erhalten: {roh!r}")
    try:
        return date.fromisoformat(roh)
    except ValueError:
        raise FactsError(feld, f"dieses Datum gibt es nicht: {roh!r}") from None


def _wert(feld: str, roh: object) -> object:
    if feld in BOOL_FELDER:
        if not isinstance(roh, bool):
            raise FactsError(feld, f"true oder false erwartet, erhalten: {roh!r}")
        return roh
    if feld in ENUM_FELDER:
        erlaubt = ENUM_FELDER[feld]
        if not isinstance(roh, str) or roh not in erlaubt:
            raise FactsError(feld, f"unbekannter Wert {roh!r}; erlaubt sind: {', '.join(erlaubt)}")
        return roh
    return _datum(feld, roh)


def parse_facts(mapping: Mapping[str, object]) -> Facts:
    """Validate a mapping of facts (as the CLI does) and return Facts; raises FactsError."""
    if not isinstance(mapping, Mapping):
        raise FactsError("(Eingabe)", "ein JSON-Objekt mit Angaben wird erwartet")
    werte: dict[str, object] = {}
    for schluessel, roh in mapping.items():
        if not isinstance(schluessel, str) or schluessel not in ALLE_FELDER:
            raise FactsError(str(schluessel), "unbekanntes Feld")
        if roh is not None:
            werte[schluessel] = _wert(schluessel, roh)
    if "rolle" not in werte:
        raise FactsError("rolle", "Pflichtangabe fehlt (junger_mensch oder betrieb)")
    return Facts(**werte)  # type: ignore[arg-type]
