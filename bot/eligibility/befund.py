"""Three-valued rule findings (erfüllt / nicht erfüllt / offen) and how they combine (Kleene logic).

Every rule returns a `Befund`. A finding is `offen` only for facts that are missing, and names
them; once a fact is stated, a rule never goes back to `offen`. Because `und`/`oder` below are
Kleene's strong three-valued connectives, stating more facts can only settle open findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Art = Literal["erfuellt", "nicht_erfuellt", "offen", "entfaellt", "hinweis"]
Status = Literal["ja", "nein", "offen"]

QUELLE_IHK = "IHK Hannover, AsA flex, Stand 07.10.2025"
QUELLE_GESETZ = "SGB III, Gesetzestext"


def quelle_vbw(abschnitt: str) -> str:
    """Citation of the vbw brochure, section `abschnitt`."""
    return f"vbw, Assistierte Ausbildung, Stand April 2026, Abschn. {abschnitt}"


@dataclass(frozen=True)
class Befund:
    """The outcome of one rule: its kind, a German sentence, the norm, the source, missing facts."""

    regel: str
    art: Art
    text: str
    norm: str
    quelle: str
    fehlend: tuple[str, ...] = ()
    teile: tuple[Befund, ...] = ()

    @property
    def zaehlt(self) -> bool:
        """True when the finding takes part in the decision (hints and void rules do not)."""
        return self.art in ("erfuellt", "nicht_erfuellt", "offen")

    def grund(self) -> dict[str, str]:
        """The finding as a reason object of the result JSON."""
        return {
            "text": self.text,
            "norm": self.norm,
            "quelle": self.quelle,
            "regel": self.regel,
            "art": self.art,
        }


def _eindeutig(namen: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(namen))


def fehlende(befunde: Iterable[Befund]) -> tuple[str, ...]:
    """The missing facts of all open findings, in order of first mention, without repeats."""
    return _eindeutig(n for b in befunde if b.art == "offen" for n in b.fehlend)


def offene_blaetter(befund: Befund) -> tuple[Befund, ...]:
    """The innermost open findings below (or at) `befund`: they say what exactly is missing."""
    if befund.art != "offen":
        return ()
    innen = tuple(b for t in befund.teile for b in offene_blaetter(t))
    return innen or (befund,)


def _offen_text(einleitung: str, teile: tuple[Befund, ...]) -> str:
    texte = dict.fromkeys(b.text for t in teile for b in offene_blaetter(t))
    return " ".join((einleitung, *texte))


def status_aus(befunde: Iterable[Befund]) -> Status:
    """Kleene conjunction: any unmet rule → nein; else any open rule → offen; else ja."""
    arten = {b.art for b in befunde}
    if "nicht_erfuellt" in arten:
        return "nein"
    if "offen" in arten:
        return "offen"
    return "ja"


def oder(
    regel: str,
    zweige: tuple[Befund, ...],
    *,
    text_nicht: str,
    text_offen: str,
    norm: str,
    quelle: str,
) -> Befund:
    """Kleene disjunction of alternative branches ("oder"); a void branch counts as not met."""
    arten = [z.art for z in zweige]
    if "erfuellt" in arten:
        treffer = next(z for z in zweige if z.art == "erfuellt")
        return Befund(regel, "erfuellt", treffer.text, treffer.norm, treffer.quelle, (), zweige)
    if "offen" in arten:
        text = _offen_text(text_offen, zweige)
        return Befund(regel, "offen", text, norm, quelle, fehlende(zweige), zweige)
    return Befund(regel, "nicht_erfuellt", text_nicht, norm, quelle, (), zweige)


def und(
    regel: str,
    teile: tuple[Befund, ...],
    *,
    text_erfuellt: str,
    text_offen: str,
    norm: str,
    quelle: str,
) -> Befund:
    """Kleene conjunction of the conditions of one branch; a "nein" carries the first unmet text."""
    status = status_aus(teile)
    if status == "nein":
        erster = next(t for t in teile if t.art == "nicht_erfuellt")
        return Befund(regel, "nicht_erfuellt", erster.text, norm, quelle, (), teile)
    if status == "offen":
        text = _offen_text(text_offen, teile)
        return Befund(regel, "offen", text, norm, quelle, fehlende(teile), teile)
    return Befund(regel, "erfuellt", text_erfuellt, norm, quelle, (), teile)
