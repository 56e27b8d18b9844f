"""The result of an evaluation: per option a status, reasons and missing facts, plus routing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.eligibility.befund import Befund, Status
from bot.eligibility.facts import Rolle
from bot.eligibility.routing import Zustaendigkeit

OPTIONEN: Final = ("vorphase", "begleitende_phase", "eq", "bvb", "massnahme_45", "bab")
BEZEICHNUNGEN: Final = {
    "vorphase": "Vorphase der Assistierten Ausbildung (§ 75a SGB III)",
    "begleitende_phase": "Begleitende Phase der Assistierten Ausbildung (§§ 74, 75 SGB III)",
    "eq": "Einstiegsqualifizierung (§ 54a SGB III)",
    "bvb": "Berufsvorbereitende Bildungsmaßnahme (§ 51 SGB III)",
    "massnahme_45": "Maßnahme zur Aktivierung und beruflichen Eingliederung (§ 45 SGB III)",
    "bab": "Berufsausbildungsbeihilfe während der Vorphase (§§ 56 ff. SGB III)",
}
HINWEIS: Final = (
    "Diese Auskunft ist eine Orientierung und keine Entscheidung. Ob und wie gefördert wird, "
    "entscheidet die Agentur für Arbeit oder das Jobcenter."
)


@dataclass(frozen=True)
class OptionErgebnis:
    """One option: its status, every finding (for the trace), and the missing facts."""

    option: str
    status: Status
    befunde: tuple[Befund, ...]
    fehlende_angaben: tuple[str, ...]

    @property
    def gruende(self) -> tuple[Befund, ...]:
        """The findings worth telling: deciding ones for the status, then hints."""
        if self.status == "ja":
            arten: tuple[str, ...] = ("erfuellt",)
        elif self.status == "nein":
            arten = ("nicht_erfuellt",)
        else:
            arten = ("offen", "erfuellt")
        entscheidend = [b for art in arten for b in self.befunde if b.art == art]
        return (*entscheidend, *(b for b in self.befunde if b.art == "hinweis"))

    def to_dict(self) -> dict[str, object]:
        """The option as part of the result JSON."""
        return {
            "bezeichnung": BEZEICHNUNGEN[self.option],
            "status": self.status,
            "gruende": [b.grund() for b in self.gruende],
            "fehlende_angaben": list(self.fehlende_angaben),
        }


@dataclass(frozen=True)
class Ergebnis:
    """The whole evaluation on one Stichtag; `to_dict()` is exactly the CLI's JSON output."""

    stichtag: date
    rolle: Rolle
    optionen: tuple[OptionErgebnis, ...]
    zustaendig: Zustaendigkeit
    hinweis: str = HINWEIS

    def option(self, name: str) -> OptionErgebnis:
        """The result for option `name` (one of OPTIONEN)."""
        for kandidat in self.optionen:
            if kandidat.option == name:
                return kandidat
        raise KeyError(name)

    def to_dict(self) -> dict[str, object]:
        """The result in the JSON shape of the CLI contract."""
        return {
            "stichtag": self.stichtag.isoformat(),
            "rolle": self.rolle,
            "optionen": {o.option: o.to_dict() for o in self.optionen},
            "zustaendig": self.zustaendig.to_dict(),
            "hinweis": self.hinweis,
        }

    def erklaerung(self) -> str:
        """A readable German trace of every rule applied (for `asa-bot check --explain`)."""
        from bot.eligibility.trace import erklaere

        return erklaere(self)
