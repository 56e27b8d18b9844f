"""Rules of the Vorphase (§ 75a SGB III): who can take part before a training starts."""

from __future__ import annotations

from datetime import date

from bot.eligibility import regeln_person as person
from bot.eligibility import values
from bot.eligibility.befund import QUELLE_GESETZ, Befund, quelle_vbw
from bot.eligibility.facts import Facts

_NORM_VORPHASE = "§ 75a Abs. 1 Satz 1 SGB III"
_Q221 = quelle_vbw("2.2.1")


def vorphase_passt_zur_situation(f: Facts) -> Befund:
    """The Vorphase is for someone who is about to look, or is looking, for a training place."""
    regel, norm, quelle = (
        "vorphase_passt_zur_situation",
        "§ 75a Abs. 2 SGB III",
        quelle_vbw("2.2.1"),
    )
    s = f.situation
    if s in ("sucht_ausbildung", "ausbildung_vorzeitig_geloest"):
        text = "Die Vorphase unterstützt bei der Suche nach einem betrieblichen Ausbildungsplatz."
        return Befund(regel, "erfuellt", text, norm, quelle)
    if s == "schule":
        text = (
            "Die Vorphase schließt an die Schulzeit an und unterstützt bei der Suche nach einem "
            "Ausbildungsplatz."
        )
        return Befund(regel, "erfuellt", text, norm, quelle)
    if s == "in_ausbildung":
        text = (
            "Die Ausbildung läuft bereits; die Vorphase dient nur der Suche nach einem "
            "Ausbildungsplatz. Passend ist die begleitende Phase."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    if s == "in_eq":
        text = (
            "Während einer Einstiegsqualifizierung ist die Vorphase nicht vorgesehen; die EQ kann "
            "in der begleitenden Phase unterstützt werden."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    if s == "ausbildung_mit_asa_abgeschlossen":
        text = (
            "Die Ausbildung ist abgeschlossen; die Vorphase dient dem Weg in eine Ausbildung. "
            "In Betracht kommt die Nachbetreuung in der begleitenden Phase."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = "Die aktuelle Situation (Schule, Suche, Ausbildung, EQ …) ist nicht angegeben."
    return Befund(regel, "offen", text, norm, quelle, ("situation",))


def vorphase_hinweise(f: Facts, tag: date) -> list[Befund]:
    """Hints for the Vorphase: duration, hours, part-time, residence abroad, alternatives."""
    hinweise: list[Befund] = []
    dauer = values.eintrag("vorphase_dauer_monate", tag)
    plus = values.wert("vorphase_verlaengerung_monate", tag)
    hinweise.append(
        Befund(
            "vorphase_dauer",
            "hinweis",
            f"Die Vorphase dauert bis zu {dauer.wert} Monate und kann um bis zu {plus} Monate "
            "verlängert werden, wenn noch kein Ausbildungsplatz gefunden ist. Sie ist immer "
            "einer begleitenden Phase vorgeschaltet und wird nicht in jedem Agenturbezirk "
            "angeboten.",
            f"{dauer.norm}; § 74 Abs. 1 Satz 2 SGB III",
            dauer.quelle,
        )
    )
    regelstunden = values.eintrag_optional("vorphase_wochenstunden_regel", tag)
    minimum = values.eintrag_optional("vorphase_wochenstunden_minimum", tag)
    if f.teilzeit is True:
        text = "Die Vorphase findet grundsätzlich in Vollzeit statt"
        if regelstunden is not None:
            text += f" (in der Regel {regelstunden.wert} Stunden pro Woche)"
        text += (
            ". In begründeten Einzelfällen, etwa wegen Kinderbetreuung, kann sie verkürzt werden"
        )
        if minimum is not None:
            text += f"; {minimum.wert} Wochenstunden sollen dabei nicht unterschritten werden"
        text += ". Eine Teilzeitausbildung selbst kann in der begleitenden Phase gefördert werden."
        quelle = minimum.quelle if minimum is not None else quelle_vbw("2.1")
        hinweise.append(
            Befund("vorphase_grundsaetzlich_vollzeit", "hinweis", text, "§ 75a SGB III", quelle)
        )
    elif regelstunden is not None:
        text = f"Die Vorphase umfasst in der Regel {regelstunden.wert} Stunden pro Woche"
        if minimum is not None:
            text += (
                "; verkürzt werden kann sie nur begründet und auf nicht weniger als "
                f"{minimum.wert} Stunden"
            )
        hinweise.append(
            Befund(
                "vorphase_wochenstunden",
                "hinweis",
                text + ".",
                "§ 75a SGB III",
                minimum.quelle if minimum is not None else regelstunden.quelle,
            )
        )
    if f.wohnsitz_im_ausland is True:
        text = (
            "Die Quellen nennen einen Wohnsitz im Ausland nur für die begleitende Phase "
            "ausdrücklich. Ob eine Vorphase bei Wohnsitz im Ausland möglich ist, klärt die "
            "Agentur für Arbeit; das wird hier nicht als Ausschluss gewertet."
        )
        hinweise.append(
            Befund(
                "vorphase_wohnsitz_im_ausland", "hinweis", text, "§ 74 SGB III", quelle_vbw("2.1")
            )
        )
    if f.braucht_intensive_aktivierung is True:
        hinweise.append(
            _alternative(
                "Bei Bedarf an intensiver Aktivierung kann eine Maßnahme nach § 45 SGB III "
                "passender sein als die Vorphase.",
                "§ 45 SGB III",
            )
        )
    if f.braucht_berufsvorbereitung is True:
        hinweise.append(
            _alternative(
                "Wenn zuerst eine Qualifizierung nötig ist, kann eine berufsvorbereitende "
                "Bildungsmaßnahme (BvB) passender sein.",
                "§ 51 SGB III",
            )
        )
    if f.praktika_im_mittelpunkt is True:
        hinweise.append(
            _alternative(
                "Sollen Praktika im Mittelpunkt stehen, kommt statt der Vorphase eine "
                "Einstiegsqualifizierung (EQ) in Betracht.",
                "§ 54a SGB III",
            )
        )
    if f.aufenthaltsstatus in ("aufenthaltsgestattung", "duldung"):
        text = (
            "Ob eine Ausbildung aufgenommen und gefördert werden kann, hängt bei Gestattung oder "
            "Duldung auch von der Zustimmung der Ausländerbehörde ab."
        )
        hinweise.append(
            Befund("zustimmung_auslaenderbehoerde", "hinweis", text, "§ 75a Abs. 1 SGB III", _Q221)
        )
    if f.situation == "schule":
        hinweise.append(
            Befund(
                "vorphase_nach_schulende",
                "hinweis",
                "Eine Vorphase beginnt in der Regel erst nach dem Ende der Schulzeit.",
                "§ 75a Abs. 4 SGB III",
                QUELLE_GESETZ,
            )
        )
    return hinweise


def _alternative(text: str, norm: str) -> Befund:
    return Befund("alternative_zur_vorphase", "hinweis", text, norm, quelle_vbw("2.2.1"))


def vorphase_befunde(f: Facts, tag: date) -> list[Befund]:
    """All findings for the Vorphase of a young person, deciding rules first, then hints."""
    befunde = [
        vorphase_passt_zur_situation(f),
        person.vollzeitschulpflicht_erfuellt(
            f, regel="vollzeitschulpflicht_erfuellt", norm=_NORM_VORPHASE, quelle=quelle_vbw("2.1")
        ),
        person.ausbildungsreife_und_berufseignung(f),
        person.unterstuetzungsbedarf(
            f,
            regel="foerderbedarf_nr_1",
            norm="§ 74 Abs. 3 Satz 1 Nr. 1 SGB III; § 75a Abs. 1 Satz 1 SGB III",
            erfuellt=(
                "Ohne Unterstützung ist der Einstieg in eine Ausbildung voraussichtlich nicht "
                "zu schaffen oder der Abschluss gefährdet."
            ),
        ),
        person.kein_beschaeftigungsverbot(
            f, norm="§ 75a Abs. 1 Satz 2 SGB III", quelle=QUELLE_GESETZ
        ),
        person.aufenthaltsdauer_ausreichend(f, tag),
    ]
    if f.aufenthaltsstatus in ("aufenthaltsgestattung", "duldung") or f.deutsch_niveau is not None:
        befunde.append(person.deutsch_und_schulkenntnisse(f, tag))
    befunde.extend(vorphase_hinweise(f, tag))
    for zusatz in (
        person.behinderung_schliesst_nicht_aus(f),
        person.keine_gleichzeitige_berufseinstiegsbegleitung(f),
    ):
        if zusatz is not None:
            befunde.append(zusatz)
    return befunde
