"""`training check` against the real bot: every staff-training script still matches its replies."""

from __future__ import annotations

from bot.staff_training.ablauf import alle_pruefen, fehler_beschreiben
from bot.staff_training.skripte import SKRIPT_ORDNER, skripte_laden
from tests.conftest import BotProcess


def test_every_training_script_passes_against_the_running_bot(running_bot: BotProcess) -> None:
    skripte = skripte_laden(SKRIPT_ORDNER)
    assert len(skripte) >= 12
    bericht = alle_pruefen(skripte, running_bot.rest_url)
    abweichungen = "\n".join(z for e in bericht.fehlgeschlagen for z in fehler_beschreiben(e))
    assert bericht.bestanden, f"{bericht.zusammenfassung()}\n{abweichungen}"
    assert len(bericht.ergebnisse) == sum(len(s.schritte) for s in skripte)
