"""Rules about the young person shared by several options: school, need, work, stay, hints."""

from __future__ import annotations

from datetime import date

from bot.eligibility import values
from bot.eligibility.befund import Befund, quelle_vbw
from bot.eligibility.facts import Facts
from bot.eligibility.kalender import frist_erreicht, monate_und_tage, plus_monate

_DATUM = "%d.%m.%Y"


def vollzeitschulpflicht_erfuellt(f: Facts, *, regel: str, norm: str, quelle: str) -> Befund:
    """The young person has fulfilled full-time compulsory schooling (Vollzeitschulpflicht)."""
    if f.vollzeitschulpflicht_erfuellt is True:
        return Befund(regel, "erfuellt", "Die Vollzeitschulpflicht ist erfüllt.", norm, quelle)
    if f.vollzeitschulpflicht_erfuellt is False:
        text = (
            "Die Vollzeitschulpflicht ist noch nicht erfüllt; dieses Angebot kommt erst danach "
            "in Frage."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = "Es ist nicht angegeben, ob die Vollzeitschulpflicht schon erfüllt ist."
    return Befund(regel, "offen", text, norm, quelle, ("vollzeitschulpflicht_erfuellt",))


def ausbildungsreife_und_berufseignung(f: Facts) -> Befund:
    """§ 74 Abs. 3: the young person has Ausbildungsreife and Berufseignung."""
    regel, norm, quelle = (
        "ausbildungsreife_und_berufseignung",
        "§ 74 Abs. 3 SGB III",
        quelle_vbw("2.1"),
    )
    if f.ausbildungsreife is True:
        text = "Ausbildungsreife und Berufseignung sind nach Ihren Angaben vorhanden."
        return Befund(regel, "erfuellt", text, norm, quelle)
    if f.ausbildungsreife is False:
        text = (
            "Die AsA setzt Ausbildungsreife und Berufseignung voraus; nach Ihren Angaben fehlt "
            "sie noch. Eine Berufsvorbereitung (BvB) kann hier der passendere Schritt sein."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = "Es ist nicht angegeben, ob Ausbildungsreife und Berufseignung vorhanden sind."
    return Befund(regel, "offen", text, norm, quelle, ("ausbildungsreife",))


def unterstuetzungsbedarf(f: Facts, *, regel: str, norm: str, erfuellt: str) -> Befund:
    """Without support the young person will likely struggle (need in each § 74 Abs. 3 case)."""
    quelle = quelle_vbw("2.1")
    if f.unterstuetzung_noetig is True:
        return Befund(regel, "erfuellt", erfuellt, norm, quelle)
    if f.unterstuetzung_noetig is False:
        text = (
            "Nach Ihren Angaben ist keine zusätzliche Unterstützung nötig; die AsA richtet sich "
            "an junge Menschen, die ohne Unterstützung voraussichtlich nicht zurechtkommen."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = "Es ist nicht angegeben, ob ohne Unterstützung Schwierigkeiten zu erwarten sind."
    return Befund(regel, "offen", text, norm, quelle, ("unterstuetzung_noetig",))


def ist_auslaendisch(f: Facts) -> bool | None:
    """True for a foreign national, False for German or EU citizens, None when unknown."""
    if f.staatsangehoerigkeit == "drittstaat" or f.aufenthaltsstatus is not None:
        return True
    if f.staatsangehoerigkeit in ("deutsch", "eu"):
        return False
    return None


def kein_beschaeftigungsverbot(f: Facts, *, norm: str, quelle: str) -> Befund:
    """Foreign nationals may work or may be permitted to work (no Beschäftigungsverbot)."""
    regel = "kein_beschaeftigungsverbot"
    if f.erwerbstaetigkeit_erlaubt is False:
        text = (
            "Nach Ihren Angaben besteht ein Beschäftigungsverbot; solange es gilt, ist eine "
            "Förderung nicht möglich. Die Ausländerbehörde kann sagen, ob es aufgehoben werden "
            "kann."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    if f.erwerbstaetigkeit_erlaubt is True:
        text = "Eine Erwerbstätigkeit ist erlaubt oder kann erlaubt werden."
        return Befund(regel, "erfuellt", text, norm, quelle)
    auslaendisch = ist_auslaendisch(f)
    if auslaendisch:
        text = (
            "Für ausländische Staatsangehörige ist wichtig, ob sie arbeiten dürfen oder ob ihnen "
            "das erlaubt werden kann; das ist nicht angegeben."
        )
        return Befund(regel, "offen", text, norm, quelle, ("erwerbstaetigkeit_erlaubt",))
    if auslaendisch is False:
        text = "Für deutsche und EU-Staatsangehörige gibt es kein Beschäftigungsverbot."
        return Befund(regel, "entfaellt", text, norm, quelle)
    text = (
        "Angenommen wird, dass keine ausländerrechtliche Einschränkung besteht; für "
        "Staatsangehörige von Drittstaaten gelten zusätzliche Voraussetzungen."
    )
    return Befund(regel, "entfaellt", text, norm, quelle)


def aufenthaltsdauer_ausreichend(f: Facts, tag: date) -> Befund:
    """§ 75a Abs. 1 Satz 3 Nr. 1, Satz 4: Gestattung/Duldung need 15 (or 3) months of stay."""
    regel = "aufenthaltsdauer_ausreichend"
    lang = values.eintrag("mindestaufenthalt_monate", tag)
    kurz = values.eintrag("mindestaufenthalt_monate_fruehe_einreise", tag)
    grenze: date = values.wert("einreise_stichtag_verkuerzte_frist", tag)
    norm, quelle = lang.norm, lang.quelle
    if f.aufenthaltsstatus not in ("aufenthaltsgestattung", "duldung"):
        if f.aufenthaltsstatus is None and f.staatsangehoerigkeit == "drittstaat":
            text = (
                "Bei Staatsangehörigen eines Drittstaats hängt die Vorphase vom Aufenthaltsstatus "
                "ab (bei Gestattung oder Duldung gilt eine Mindestaufenthaltsdauer)."
            )
            return Befund(regel, "offen", text, norm, quelle, ("aufenthaltsstatus",))
        text = "Eine Mindestaufenthaltsdauer gilt nur bei Aufenthaltsgestattung oder Duldung."
        return Befund(regel, "entfaellt", text, norm, quelle)
    starts = [d for d in (f.aufenthalt_seit, f.einreise_datum) if d is not None]
    if not starts:
        text = (
            "Bei Aufenthaltsgestattung oder Duldung zählt, seit wann der Aufenthalt erlaubt, "
            "gestattet oder geduldet ist; dieses Datum fehlt."
        )
        return Befund(regel, "offen", text, norm, quelle, ("aufenthalt_seit", "einreise_datum"))
    # The permitted stay cannot begin before entry: the later of the two dates counts.
    beginn = max(starts)
    monate, tage = monate_und_tage(beginn, tag)
    dauer = f"{monate} Monate und {tage} Tage" if monate >= 0 else "noch keinen Tag"
    annahme = (
        " Angenommen wird, dass der Aufenthalt seit der Einreise erlaubt, gestattet oder "
        "geduldet ist."
        if f.aufenthalt_seit is None
        else ""
    )
    if f.einreise_datum is not None:
        frist = kurz if f.einreise_datum < grenze else lang
        noetig = int(frist.wert)
        if frist_erreicht(beginn, noetig, tag):
            text = (
                f"Der Aufenthalt seit dem {beginn.strftime(_DATUM)} dauert am Stichtag {dauer}; "
                f"die nötigen {noetig} Monate sind erreicht.{annahme}"
            )
            return Befund(regel, "erfuellt", text, frist.norm, frist.quelle)
        text = (
            f"Der erlaubte, gestattete oder geduldete Aufenthalt dauert am Stichtag {dauer}; "
            f"nötig sind mindestens {noetig} Monate. Die Vorphase ist damit frühestens ab dem "
            f"{plus_monate(beginn, noetig).strftime(_DATUM)} möglich."
        )
        return Befund(regel, "nicht_erfuellt", text, frist.norm, frist.quelle)
    if frist_erreicht(beginn, int(lang.wert), tag):
        text = (
            f"Der Aufenthalt seit dem {beginn.strftime(_DATUM)} dauert am Stichtag {dauer}; "
            f"die nötigen {int(lang.wert)} Monate sind erreicht."
        )
        return Befund(regel, "erfuellt", text, norm, quelle)
    if frist_erreicht(beginn, int(kurz.wert), tag):
        text = (
            f"Der Aufenthalt dauert am Stichtag {dauer}. Das reicht nur bei Einreise vor dem "
            f"{grenze.strftime(_DATUM)} ({int(kurz.wert)} Monate), sonst sind "
            f"{int(lang.wert)} Monate nötig; das Einreisedatum fehlt."
        )
        return Befund(regel, "offen", text, norm, quelle, ("einreise_datum",))
    text = (
        f"Der erlaubte, gestattete oder geduldete Aufenthalt dauert am Stichtag {dauer}; "
        f"selbst die verkürzte Frist von {int(kurz.wert)} Monaten ist noch nicht erreicht."
    )
    return Befund(regel, "nicht_erfuellt", text, kurz.norm, kurz.quelle)


def deutsch_und_schulkenntnisse(f: Facts, tag: date) -> Befund:
    """§ 75a Abs. 1 Satz 3 Nr. 2 and the B1 guideline: a hint, never a refusal on its own."""
    regel = "deutsch_und_schulkenntnisse"
    eintrag = values.eintrag("deutsch_niveau_vorphase", tag)
    ziel = str(eintrag.wert)
    gestattet = f.aufenthaltsstatus in ("aufenthaltsgestattung", "duldung")
    if f.deutsch_niveau is not None and f.deutsch_niveau >= ziel:
        text = (
            f"Das Sprachniveau {f.deutsch_niveau} erreicht die Empfehlung {ziel} für den Eintritt."
        )
        return Befund(regel, "hinweis", text, eintrag.norm, eintrag.quelle)
    if f.deutsch_niveau is not None:
        text = (
            f"Für die Vorphase wird in der Regel Deutsch auf Niveau {ziel} erwartet; angegeben ist "
            f"{f.deutsch_niveau}. Das schließt die Vorphase nicht aus – die Agentur für Arbeit "
            "schätzt ein, ob ein Übergang in Ausbildung gelingen kann, und kann auf Sprachkurse "
            "hinweisen."
        )
        return Befund(regel, "hinweis", text, eintrag.norm, eintrag.quelle)
    if gestattet:
        text = (
            "Bei Gestattung oder Duldung prüft die Agentur für Arbeit auch, ob Schul- und "
            f"Deutschkenntnisse einen Übergang in Ausbildung erwarten lassen (in der Regel {ziel})."
        )
        return Befund(regel, "hinweis", text, eintrag.norm, eintrag.quelle)
    text = f"Für die Vorphase wird in der Regel Deutsch auf Niveau {ziel} empfohlen."
    return Befund(regel, "hinweis", text, eintrag.norm, eintrag.quelle)


def behinderung_schliesst_nicht_aus(f: Facts) -> Befund | None:
    """People with disabilities can take part; rehabilitation benefits do not exclude AsA."""
    if f.behinderung is not True:
        return None
    text = (
        "Eine Behinderung schließt die AsA nicht aus, wenn sie den individuellen Förderbedarf "
        "abdeckt; Leistungen zur Rehabilitation stehen einer Teilnahme nicht entgegen."
    )
    return Befund(
        "behinderung_schliesst_nicht_aus", "hinweis", text, "§ 74 SGB III", quelle_vbw("2.1")
    )


def keine_gleichzeitige_berufseinstiegsbegleitung(f: Facts) -> Befund | None:
    """AsA and Berufseinstiegsbegleitung cannot run at once; the more useful one is chosen."""
    if f.berufseinstiegsbegleitung is not True:
        return None
    text = (
        "Eine Berufseinstiegsbegleitung läuft bereits. Beides gleichzeitig ist nicht möglich; "
        "die Agentur für Arbeit prüft mit Ihnen, ob ein Wechsel in die AsA wegen der längeren "
        "Förderdauer und der Unterstützung durch das Personal sinnvoller ist."
    )
    return Befund(
        "keine_gleichzeitige_berufseinstiegsbegleitung",
        "hinweis",
        text,
        "§ 74 SGB III; § 49 SGB III",
        quelle_vbw("2.2.2"),
    )


def entscheidung_agentur() -> Befund:
    """Every verdict is an orientation; the Agentur für Arbeit or the Jobcenter decides."""
    text = (
        "Dies ist eine Orientierung: Ob eine Teilnahme möglich ist, entscheidet die Agentur für "
        "Arbeit oder das Jobcenter."
    )
    return Befund("entscheidung_agentur", "hinweis", text, "§§ 74–75a SGB III", quelle_vbw("3"))
