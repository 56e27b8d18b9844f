"""Plays training scripts against the running bot and compares each reply with the script."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bot.staff_training.skripte import Schritt, Skript

#: Same shape as `bot.chat.send`: (url, sender, message) -> the bot's replies.
Senden = Callable[[str, str, str], list[dict[str, Any]]]


def _senden_standard(url: str, sender: str, message: str) -> list[dict[str, Any]]:
    from bot.chat import send

    return send(url, sender, message)


@dataclass(frozen=True)
class SchrittErgebnis:
    """One played turn: the bot's reply texts and buttons, and the expected texts it lacked."""

    skript: Skript
    nummer: int
    schritt: Schritt
    texte: tuple[str, ...]
    buttons: tuple[str, ...]
    fehlend: tuple[str, ...]

    @property
    def bestanden(self) -> bool:
        return not self.fehlend

    @property
    def antwort(self) -> str:
        """All reply texts of the turn, one per line (what the expectations are matched against)."""
        return "\n".join(self.texte)


def neuer_sender(skript: Skript) -> str:
    """A fresh conversation id, so that every run starts without remembered answers."""
    return f"training-{skript.name}-{uuid.uuid4().hex[:12]}"


def schritt_spielen(
    skript: Skript, nummer: int, url: str, sender: str, senden: Senden | None = None
) -> SchrittErgebnis:
    """Send turn `nummer` (1-based) of `skript` and compare the reply with its expectations."""
    schritt = skript.schritte[nummer - 1]
    antworten = (senden or _senden_standard)(url, sender, schritt.nutzer)
    texte = tuple(str(a["text"]) for a in antworten if a.get("text"))
    buttons = tuple(str(b.get("title", "")) for a in antworten for b in (a.get("buttons") or []))
    gesamt = "\n".join(texte)
    fehlend = tuple(e for e in schritt.erwartet if e not in gesamt)
    return SchrittErgebnis(skript, nummer, schritt, texte, buttons, fehlend)


def skript_spielen(
    skript: Skript, url: str, senden: Senden | None = None
) -> Iterator[SchrittErgebnis]:
    """Play every turn of `skript` in a fresh conversation, yielding each result as it comes."""
    sender = neuer_sender(skript)
    for nummer in range(1, len(skript.schritte) + 1):
        yield schritt_spielen(skript, nummer, url, sender, senden)


@dataclass(frozen=True)
class Pruefbericht:
    """The outcome of `training check`: every played turn of every script."""

    skripte: int
    ergebnisse: tuple[SchrittErgebnis, ...]

    @property
    def fehlgeschlagen(self) -> tuple[SchrittErgebnis, ...]:
        return tuple(e for e in self.ergebnisse if not e.bestanden)

    @property
    def bestanden(self) -> bool:
        return not self.fehlgeschlagen

    def zusammenfassung(self) -> str:
        """One line such as `12 Skripte, 87 Schritte: 87 bestanden, 0 fehlgeschlagen`."""
        gesamt = len(self.ergebnisse)
        falsch = len(self.fehlgeschlagen)
        return (
            f"{self.skripte} Skripte, {gesamt} Schritte: "
            f"{gesamt - falsch} bestanden, {falsch} fehlgeschlagen"
        )


def alle_pruefen(skripte: Sequence[Skript], url: str, senden: Senden | None = None) -> Pruefbericht:
    """Play every script against the bot at `url` and collect each turn's result."""
    ergebnisse = [e for skript in skripte for e in skript_spielen(skript, url, senden)]
    return Pruefbericht(len(skripte), tuple(ergebnisse))


def fehler_beschreiben(ergebnis: SchrittErgebnis) -> list[str]:
    """Lines naming a failed turn: script, turn number, the missing text and the actual reply."""
    zeilen = [
        f"✗ {ergebnis.skript.name}, Schritt {ergebnis.nummer} (Nutzer: {ergebnis.schritt.nutzer})"
    ]
    zeilen.extend(f"    erwartet, fehlt: „{text}“" for text in ergebnis.fehlend)
    antwort = ergebnis.antwort or "(keine Antwort)"
    zeilen.append("    tatsächliche Antwort:")
    zeilen.extend(f"      {zeile}" for zeile in antwort.splitlines())
    return zeilen
