"""Renders an evaluation as a readable German trace: each rule, its outcome and its norm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.eligibility.befund import Befund

if TYPE_CHECKING:
    from bot.eligibility.result import Ergebnis

_MARKEN = {
    "erfuellt": "[erfüllt]",
    "nicht_erfuellt": "[nicht erfüllt]",
    "offen": "[offen]",
    "entfaellt": "[entfällt]",
    "hinweis": "[Hinweis]",
}
_STATUS = {"ja": "JA", "nein": "NEIN", "offen": "OFFEN"}


def _zeilen(befund: Befund, tiefe: int) -> list[str]:
    einzug = "  " * tiefe
    zeilen = [f"{einzug}- {_MARKEN[befund.art]} {befund.regel} ({befund.norm})"]
    zeilen.append(f"{einzug}    {befund.text}")
    if befund.art == "offen" and befund.fehlend:
        zeilen.append(f"{einzug}    fehlt: {', '.join(befund.fehlend)}")
    zeilen.append(f"{einzug}    Quelle: {befund.quelle}")
    for teil in befund.teile:
        zeilen.extend(_zeilen(teil, tiefe + 1))
    return zeilen


def erklaere(ergebnis: Ergebnis) -> str:
    """The trace of `ergebnis` as plain German text, one block per option."""
    from bot.eligibility.result import BEZEICHNUNGEN

    rolle = "Betrieb" if ergebnis.rolle == "betrieb" else "junger Mensch"
    zeilen = [
        f"Prüfung zum Stichtag {ergebnis.stichtag.strftime('%d.%m.%Y')} ({rolle})",
        "",
    ]
    for option in ergebnis.optionen:
        zeilen.append(f"{BEZEICHNUNGEN[option.option]}: {_STATUS[option.status]}")
        if option.fehlende_angaben:
            zeilen.append(f"  Fehlende Angaben: {', '.join(option.fehlende_angaben)}")
        zeilen.append("  Angewandte Regeln:")
        for befund in option.befunde:
            zeilen.extend(_zeilen(befund, 2))
        zeilen.append("")
    z = ergebnis.zustaendig
    kontakt = ", ".join(teil for teil in (z.telefon, z.web) if teil)
    zeilen.append(f"Zuständig: {z.name}" + (f" ({kontakt})" if kontakt else ""))
    zeilen.append(f"  {z.hinweis}")
    zeilen.append("")
    zeilen.append(ergebnis.hinweis)
    return "\n".join(zeilen)
