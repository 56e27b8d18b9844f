"""Rules for related instruments: EQ (§ 54a), BvB (§ 51), § 45 measures, BAB in the Vorphase."""

from __future__ import annotations

from datetime import date

from bot.eligibility import regeln_person as person
from bot.eligibility import values
from bot.eligibility.befund import QUELLE_GESETZ, Befund, Status, quelle_vbw
from bot.eligibility.facts import Facts

_Q221 = quelle_vbw("2.2.1")
_DETAILS = "Einzelheiten erklärt die Agentur für Arbeit."


def _nicht_mehr_passend(regel: str, norm: str, text: str) -> Befund:
    return Befund(regel, "nicht_erfuellt", text, norm, _Q221)


def eq_passt(f: Facts, tag: date) -> list[Befund]:
    """§ 54a: an EQ fits before a training when internships are to be at the core."""
    norm = "§ 54a SGB III"
    vereinbart = f.situation == "in_eq" or f.eq_vertrag_unterschrieben is True
    regel = "eq_vor_der_ausbildung"
    if f.situation in ("in_ausbildung", "ausbildung_mit_asa_abgeschlossen"):
        text = (
            "Eine Einstiegsqualifizierung bereitet auf eine Ausbildung vor; diese läuft "
            "bereits oder ist abgeschlossen."
        )
        lage = Befund(regel, "nicht_erfuellt", text, norm, _Q221)
    elif f.situation is None:
        text = "Die aktuelle Situation ist nicht angegeben (eine EQ liegt vor der Ausbildung)."
        lage = Befund(regel, "offen", text, norm, _Q221, ("situation",))
    else:
        text = "Eine EQ liegt vor der Ausbildung; das passt zur angegebenen Situation."
        lage = Befund(regel, "erfuellt", text, norm, _Q221)
    if f.vollzeitschulpflicht_erfuellt is None and vereinbart:
        text = "Eine EQ ist vereinbart; die Vollzeitschulpflicht ist damit in der Regel erfüllt."
        schule = Befund("eq_nach_vollzeitschulpflicht", "erfuellt", text, norm, QUELLE_GESETZ)
    else:
        schule = person.vollzeitschulpflicht_erfuellt(
            f, regel="eq_nach_vollzeitschulpflicht", norm=norm, quelle=QUELLE_GESETZ
        )
    regel = "eq_praktika_im_mittelpunkt"
    if f.praktika_im_mittelpunkt is True:
        text = (
            "Sollen betriebliche Praktika im Mittelpunkt stehen, ist eine Einstiegsqualifizierung "
            "statt der Vorphase eine gute Wahl."
        )
        passt = Befund(regel, "erfuellt", text, norm, _Q221)
    elif f.praktika_im_mittelpunkt is False:
        text = (
            "Eine EQ ist vor allem ein langes betriebliches Praktikum; da Praktika nach Ihren "
            "Angaben nicht im Mittelpunkt stehen sollen, passt sie weniger als die Vorphase."
        )
        passt = Befund(regel, "nicht_erfuellt", text, norm, _Q221)
    elif vereinbart:
        text = (
            "Eine Einstiegsqualifizierung läuft bereits oder ist vereinbart; die begleitende "
            "Phase der AsA kann sie unterstützen."
        )
        passt = Befund(regel, "erfuellt", text, norm, quelle_vbw("2.2.2"))
    else:
        text = "Ob betriebliche Praktika im Mittelpunkt stehen sollen, ist nicht angegeben."
        passt = Befund(regel, "offen", text, norm, _Q221, ("praktika_im_mittelpunkt",))
    verbot = person.kein_beschaeftigungsverbot(f, norm=norm, quelle=QUELLE_GESETZ)
    return [lage, verbot, schule, passt]


def eq_dauer(tag: date) -> Befund:
    """§ 54a Abs. 2: the supported duration of an EQ, as valid on the Stichtag."""
    minimum = values.eintrag_optional("eq_dauer_min_monate", tag)
    maximum = values.eintrag_optional("eq_dauer_max_monate", tag)
    if minimum is None or maximum is None:
        text = (
            f"Die förderfähige Dauer einer EQ ist für diesen Stichtag nicht hinterlegt. {_DETAILS}"
        )
        return Befund("eq_dauer", "hinweis", text, "§ 54a Abs. 2 SGB III", QUELLE_GESETZ)
    text = (
        f"Eine EQ dauert {minimum.wert} bis {maximum.wert} Monate, in Vollzeit oder in Teilzeit "
        "mit mindestens 20 Wochenstunden; Arbeitgeber können einen Zuschuss zur Vergütung "
        f"erhalten. {_DETAILS}"
    )
    return Befund("eq_dauer", "hinweis", text, minimum.norm, minimum.quelle)


def bvb_passt(f: Facts) -> list[Befund]:
    """§§ 51, 52: a BvB fits when preparation is needed and full-time schooling is done."""
    befunde: list[Befund] = []
    if f.situation in ("in_ausbildung", "ausbildung_mit_asa_abgeschlossen"):
        befunde.append(
            _nicht_mehr_passend(
                "bvb_vor_der_ausbildung",
                "§ 51 SGB III",
                "Eine Berufsvorbereitung (BvB) bereitet auf eine Ausbildung vor; diese läuft "
                "bereits oder ist abgeschlossen.",
            )
        )
    elif f.situation is None:
        text = "Die aktuelle Situation ist nicht angegeben (eine BvB liegt vor der Ausbildung)."
        befunde.append(
            Befund("bvb_vor_der_ausbildung", "offen", text, "§ 51 SGB III", _Q221, ("situation",))
        )
    befunde.append(
        person.vollzeitschulpflicht_erfuellt(
            f,
            regel="bvb_nach_vollzeitschulpflicht",
            norm="§ 52 Abs. 1 Nr. 2 SGB III",
            quelle=QUELLE_GESETZ,
        )
    )
    regel, norm = "bvb_berufsvorbereitung_erforderlich", "§ 52 Abs. 1 Nr. 1 SGB III; § 51 SGB III"
    if f.braucht_berufsvorbereitung is True:
        text = "Es ist zuerst eine Berufsvorbereitung nötig; dafür ist die BvB gedacht."
        befunde.append(Befund(regel, "erfuellt", text, norm, _Q221))
    elif f.braucht_berufsvorbereitung is False:
        text = "Nach Ihren Angaben ist keine Berufsvorbereitung nötig; eine BvB passt dann nicht."
        befunde.append(Befund(regel, "nicht_erfuellt", text, norm, _Q221))
    elif f.ausbildungsreife is False:
        text = (
            "Die Ausbildungsreife fehlt noch; eine BvB kann darauf vorbereiten und auch zum "
            "Hauptschulabschluss führen."
        )
        befunde.append(Befund(regel, "erfuellt", text, f"{norm}; § 53 SGB III", _Q221))
    else:
        text = "Es ist nicht angegeben, ob vor einer Ausbildung eine Berufsvorbereitung nötig ist."
        befunde.append(Befund(regel, "offen", text, norm, _Q221, ("braucht_berufsvorbereitung",)))
    if person.ist_auslaendisch(f):
        text = (
            f"Für ausländische Staatsangehörige gelten bei der BvB besondere Voraussetzungen. "
            f"{_DETAILS}"
        )
        befunde.append(
            Befund("bvb_auslaender", "hinweis", text, "§ 52 Abs. 2 SGB III", QUELLE_GESETZ)
        )
    return befunde


def massnahme_45_passt(f: Facts) -> list[Befund]:
    """§ 45: a measure for activation and integration fits when intensive activation is needed."""
    norm = "§ 45 SGB III"
    befunde: list[Befund] = []
    if f.situation == "in_ausbildung":
        text = (
            "Maßnahmen zur Aktivierung richten sich an Menschen, die eine Ausbildung oder Arbeit "
            "suchen; die Ausbildung läuft bereits."
        )
        befunde.append(_nicht_mehr_passend("massnahme_45_fuer_suchende", norm, text))
    regel = "massnahme_45_intensive_aktivierung"
    if f.braucht_intensive_aktivierung is True:
        text = (
            "Es ist eine intensive Aktivierung nötig; dafür gibt es Maßnahmen zur Aktivierung und "
            f"beruflichen Eingliederung, etwa mit einem Gutschein. {_DETAILS}"
        )
        befunde.append(Befund(regel, "erfuellt", text, norm, _Q221))
    elif f.braucht_intensive_aktivierung is False:
        text = (
            "Nach Ihren Angaben ist keine intensive Aktivierung nötig; diese Maßnahme passt "
            "dann nicht."
        )
        befunde.append(Befund(regel, "nicht_erfuellt", text, norm, _Q221))
    else:
        text = "Es ist nicht angegeben, ob eine intensive Aktivierung nötig ist."
        befunde.append(
            Befund(regel, "offen", text, norm, _Q221, ("braucht_intensive_aktivierung",))
        )
    return befunde


def bab_in_der_vorphase(vorphase_status: Status) -> Befund:
    """Participants of a Vorphase are entitled to Berufsausbildungsbeihilfe (BAB)."""
    regel, norm, quelle = "bab_in_der_vorphase", "§§ 56 ff. SGB III", quelle_vbw("2.2.1.2")
    if vorphase_status == "ja":
        text = (
            "Während der Vorphase besteht Anspruch auf Berufsausbildungsbeihilfe (BAB); BAB wird "
            f"beantragt, die Höhe hängt vom Einzelfall ab. {_DETAILS}"
        )
        return Befund(regel, "erfuellt", text, norm, quelle)
    if vorphase_status == "nein":
        text = (
            "BAB während der Vorphase kommt nicht in Betracht, weil die Vorphase nach Ihren "
            "Angaben nicht passt. BAB während einer Ausbildung oder einer BvB prüft die Agentur "
            "für Arbeit gesondert."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = "Der Anspruch auf BAB in der Vorphase hängt davon ab, ob die Vorphase in Betracht kommt."
    return Befund(regel, "offen", text, norm, quelle)
