"""Routing: Arbeitgeber-Service for companies, Jobcenter with Bürgergeld, else the Agentur."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

import yaml

from bot.eligibility import values
from bot.eligibility.facts import Facts
from bot.errors import AsaError

Stelle = Literal["arbeitgeber_service", "agentur_fuer_arbeit", "jobcenter"]


@dataclass(frozen=True)
class Zustaendigkeit:
    """The responsible office with its contact data and the facts that could change the routing."""

    stelle: Stelle
    name: str
    telefon: str | None
    web: str | None
    hinweis: str
    norm: str
    quelle: str
    fehlende_angaben: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The routing as part of the result JSON."""
        return {
            "stelle": self.stelle,
            "name": self.name,
            "telefon": self.telefon,
            "web": self.web,
            "hinweis": self.hinweis,
            "norm": self.norm,
            "quelle": self.quelle,
            "fehlende_angaben": list(self.fehlende_angaben),
        }


@functools.lru_cache(maxsize=1)
def _kontakte() -> dict[str, dict[str, str]]:
    text = resources.files("bot").joinpath("data/kontakte.yml").read_text(encoding="utf-8")
    daten = yaml.safe_load(text)
    if not isinstance(daten, dict):
        raise AsaError("kontakte.yml: oberste Ebene muss eine Zuordnung sein")
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in daten.items()}


def zustaendige_stelle(f: Facts, tag: date) -> Zustaendigkeit:
    """Route companies to the Arbeitgeber-Service, Bürgergeld households to the Jobcenter."""
    stelle: Stelle
    fehlend: tuple[str, ...] = ()
    if f.rolle == "betrieb":
        stelle = "arbeitgeber_service"
    elif f.buergergeld is True:
        stelle = "jobcenter"
    else:
        stelle = "agentur_fuer_arbeit"
        if f.buergergeld is None:
            fehlend = ("buergergeld",)
    kontakt = _kontakte()[stelle]
    telefon: str | None = None
    web: str | None = None
    if stelle == "arbeitgeber_service":
        nummer = values.eintrag_optional("arbeitgeber_service_telefon", tag)
        seite = values.eintrag_optional("arbeitgeber_service_web", tag)
        telefon = None if nummer is None else str(nummer.wert)
        web = None if seite is None else str(seite.wert)
    return Zustaendigkeit(
        stelle=stelle,
        name=kontakt["name"],
        telefon=telefon,
        web=web,
        hinweis=kontakt["hinweis"],
        norm=kontakt["norm"],
        quelle=kontakt["quelle"],
        fehlende_angaben=fehlend,
    )
