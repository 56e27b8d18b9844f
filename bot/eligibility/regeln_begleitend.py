"""Rules of the begleitende Phase (§§ 74 Abs. 3, 75 SGB III): support during training or an EQ."""

from __future__ import annotations

from datetime import date

from bot.eligibility import regeln_person as person
from bot.eligibility import values
from bot.eligibility.befund import Befund, oder, quelle_vbw, und
from bot.eligibility.facts import Facts
from bot.eligibility.kalender import plus_monate

_DATUM = "%d.%m.%Y"
_Q21 = quelle_vbw("2.1")
_Q222 = quelle_vbw("2.2.2")


def ausbildungsvertrag_unterschrieben(f: Facts) -> Befund:
    """Before entering the begleitende Phase a training contract must be signed."""
    regel, norm = "ausbildungsvertrag_unterschrieben", "§ 74 Abs. 1 Satz 1 SGB III"
    if f.ausbildungsvertrag_unterschrieben is True:
        text = "Ein Ausbildungsvertrag ist unterschrieben."
        return Befund(regel, "erfuellt", text, norm, _Q222)
    if f.ausbildungsvertrag_unterschrieben is False:
        text = (
            "Für die begleitende Phase muss vorher ein Ausbildungsvertrag unterschrieben sein; "
            "das ist noch nicht der Fall."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, _Q222)
    if f.situation == "in_ausbildung":
        text = "Die Ausbildung läuft; ein Ausbildungsvertrag liegt damit vor."
        return Befund(regel, "erfuellt", text, norm, _Q222)
    text = "Es ist nicht angegeben, ob ein Ausbildungsvertrag unterschrieben ist."
    return Befund(regel, "offen", text, norm, _Q222, ("ausbildungsvertrag_unterschrieben",))


def eq_vertrag_unterschrieben(f: Facts) -> Befund:
    """For support during an EQ, the EQ contract must be signed."""
    regel, norm = "eq_vertrag_unterschrieben", "§ 74 Abs. 3 Satz 2 SGB III; § 54a SGB III"
    if f.eq_vertrag_unterschrieben is True:
        return Befund(regel, "erfuellt", "Ein EQ-Vertrag ist unterschrieben.", norm, _Q222)
    if f.eq_vertrag_unterschrieben is False:
        text = "Für die Unterstützung einer EQ muss ein EQ-Vertrag unterschrieben sein."
        return Befund(regel, "nicht_erfuellt", text, norm, _Q222)
    if f.situation == "in_eq":
        text = "Die Einstiegsqualifizierung läuft; ein EQ-Vertrag liegt damit vor."
        return Befund(regel, "erfuellt", text, norm, _Q222)
    text = "Es ist nicht angegeben, ob ein Vertrag über eine EQ unterschrieben ist."
    return Befund(regel, "offen", text, norm, _Q222, ("eq_vertrag_unterschrieben",))


def _bedarf(f: Facts, regel: str, norm: str, erfuellt: str) -> Befund:
    return person.unterstuetzungsbedarf(f, regel=regel, norm=norm, erfuellt=erfuellt)


def _situation_ist(f: Facts, regel: str, norm: str, gesucht: str, beschreibung: str) -> Befund:
    if f.situation == gesucht:
        return Befund(regel, "erfuellt", beschreibung, norm, _Q21)
    if f.situation is None:
        text = f"Es ist nicht angegeben, ob dieser Fall vorliegt: {beschreibung}"
        return Befund(regel, "offen", text, norm, _Q21, ("situation",))
    return Befund(regel, "entfaellt", f"Nicht einschlägig: {beschreibung}", norm, _Q21)


def zweig_nr_1_ausbildung(f: Facts) -> Befund:
    """§ 74 Abs. 3 Satz 1 Nr. 1: without support, training fails to start, go on or end well."""
    regel, norm = "zweig_nr_1_ausbildung", "§ 74 Abs. 3 Satz 1 Nr. 1 SGB III"
    if f.situation in ("in_eq", "ausbildung_vorzeitig_geloest", "ausbildung_mit_asa_abgeschlossen"):
        text = "Nicht einschlägig: Unterstützung während einer laufenden betrieblichen Ausbildung."
        return Befund(regel, "entfaellt", text, norm, _Q21)
    teile = (
        ausbildungsvertrag_unterschrieben(f),
        _bedarf(
            f,
            "foerderbedarf_nr_1",
            norm,
            "Ohne Unterstützung wäre die Ausbildung voraussichtlich gefährdet.",
        ),
    )
    return und(
        regel,
        teile,
        text_erfuellt=(
            "Mit unterschriebenem Ausbildungsvertrag und Unterstützungsbedarf passt die "
            "begleitende Phase während der Ausbildung."
        ),
        text_offen="Für die Unterstützung während einer Ausbildung fehlen noch Angaben.",
        norm=norm,
        quelle=_Q21,
    )


def zweig_nr_2a_vorzeitige_loesung(f: Facts) -> Befund:
    """§ 74 Abs. 3 Satz 1 Nr. 2 a: after an early termination another training cannot be started."""
    regel, norm = "zweig_nr_2a_vorzeitige_loesung", "§ 74 Abs. 3 Satz 1 Nr. 2 Buchst. a SGB III"
    teile = (
        _situation_ist(
            f,
            "ausbildung_vorzeitig_geloest",
            norm,
            "ausbildung_vorzeitig_geloest",
            "Ein betriebliches Ausbildungsverhältnis wurde vorzeitig gelöst.",
        ),
        _bedarf(
            f,
            "foerderbedarf_nr_2a",
            norm,
            "Ohne Unterstützung gelingt der Einstieg in eine weitere Ausbildung "
            "voraussichtlich nicht.",
        ),
    )
    if teile[0].art == "entfaellt":
        return Befund(regel, "entfaellt", teile[0].text, norm, _Q21)
    return und(
        regel,
        teile,
        text_erfuellt=(
            "Nach der vorzeitigen Lösung des Ausbildungsverhältnisses kann die AsA beim Start "
            "in eine weitere Ausbildung helfen."
        ),
        text_offen="Für die Unterstützung nach einer vorzeitigen Lösung fehlen noch Angaben.",
        norm=norm,
        quelle=_Q21,
    )


def nachbetreuung_im_zeitfenster(f: Facts, tag: date) -> Befund:
    """§ 74 Abs. 3 Satz 3: Nachbetreuung ends 6 months into a job or a year after training."""
    regel = "nachbetreuung_im_zeitfenster"
    nach_arbeit = values.eintrag("nachbetreuung_monate_nach_arbeitsbeginn", tag)
    nach_ende = values.eintrag("nachbetreuung_monate_nach_ausbildungsende", tag)
    norm, quelle = nach_arbeit.norm, nach_arbeit.quelle
    enden: list[tuple[date, str]] = []
    if f.arbeitsverhaeltnis_seit is not None:
        ende = plus_monate(f.arbeitsverhaeltnis_seit, int(nach_arbeit.wert))
        enden.append((ende, f"{nach_arbeit.wert} Monate nach Beginn des Arbeitsverhältnisses"))
    if f.ausbildungsende is not None:
        ende = plus_monate(f.ausbildungsende, int(nach_ende.wert))
        enden.append((ende, "ein Jahr nach Ende der Ausbildung"))
    if not enden:
        text = (
            "Die Nachbetreuung ist befristet; dafür fehlen das Ende der Ausbildung und, falls "
            "schon vorhanden, der Beginn des Arbeitsverhältnisses."
        )
        return Befund(
            regel, "offen", text, norm, quelle, ("ausbildungsende", "arbeitsverhaeltnis_seit")
        )
    ende, grund = min(enden)
    if tag > ende:
        text = (
            f"Die Nachbetreuung endet spätestens {grund}, also am {ende.strftime(_DATUM)}; "
            "dieser Zeitpunkt ist am Stichtag überschritten."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = (
        f"Die Nachbetreuung ist noch möglich: Sie endet spätestens {grund}, am "
        f"{ende.strftime(_DATUM)}."
    )
    if f.arbeitsverhaeltnis_seit is None:
        text += (
            " Beginnt vorher ein Arbeitsverhältnis, endet sie spätestens "
            f"{nach_arbeit.wert} Monate danach."
        )
    return Befund(regel, "erfuellt", text, norm, quelle)


def zweig_nr_2b_nachbetreuung(f: Facts, tag: date) -> Befund:
    """§ 74 Abs. 3 Satz 1 Nr. 2 b: after an AsA-supported training a job cannot be found or kept."""
    regel, norm = "zweig_nr_2b_nachbetreuung", "§ 74 Abs. 3 Satz 1 Nr. 2 Buchst. b SGB III"
    situation = _situation_ist(
        f,
        "ausbildung_mit_asa_abgeschlossen",
        norm,
        "ausbildung_mit_asa_abgeschlossen",
        "Eine mit AsA unterstützte Ausbildung wurde abgeschlossen.",
    )
    if situation.art == "entfaellt":
        return Befund(regel, "entfaellt", situation.text, norm, _Q21)
    teile = (
        situation,
        _bedarf(
            f,
            "foerderbedarf_nr_2b",
            norm,
            "Ohne Unterstützung gelingt es voraussichtlich nicht, ein Arbeitsverhältnis zu "
            "beginnen oder zu festigen.",
        ),
        nachbetreuung_im_zeitfenster(f, tag),
    )
    return und(
        regel,
        teile,
        text_erfuellt=(
            "Nach der mit AsA unterstützten Ausbildung ist eine Nachbetreuung beim Start in "
            f"den Beruf möglich. {teile[2].text}"
        ),
        text_offen="Für die Nachbetreuung fehlen noch Angaben.",
        norm=norm,
        quelle=_Q21,
    )


def zweig_eq(f: Facts) -> Befund:
    """§ 74 Abs. 3 Satz 2: during an EQ additional support is needed for personal reasons."""
    regel, norm = "zweig_eq", "§ 74 Abs. 3 Satz 2 SGB III"
    if f.situation in (
        "in_ausbildung",
        "ausbildung_vorzeitig_geloest",
        "ausbildung_mit_asa_abgeschlossen",
    ):
        text = "Nicht einschlägig: Unterstützung während einer Einstiegsqualifizierung."
        return Befund(regel, "entfaellt", text, norm, _Q21)
    teile = (
        eq_vertrag_unterschrieben(f),
        _bedarf(
            f,
            "foerderbedarf_eq",
            norm,
            "Während der Einstiegsqualifizierung ist zusätzliche Unterstützung nötig.",
        ),
    )
    return und(
        regel,
        teile,
        text_erfuellt=(
            "Mit unterschriebenem EQ-Vertrag und Unterstützungsbedarf kann die begleitende Phase "
            "die Einstiegsqualifizierung unterstützen."
        ),
        text_offen="Für die Unterstützung während einer EQ fehlen noch Angaben.",
        norm=norm,
        quelle=_Q21,
    )


def foerderberechtigt_nach_74_abs_3(f: Facts, tag: date) -> Befund:
    """§ 74 Abs. 3: at least one of the "oder" branches holds (Nr. 1, Nr. 2 a, Nr. 2 b, Satz 2)."""
    zweige = (
        zweig_nr_1_ausbildung(f),
        zweig_nr_2a_vorzeitige_loesung(f),
        zweig_nr_2b_nachbetreuung(f, tag),
        zweig_eq(f),
    )
    unerfuellt = [z for z in zweige if z.art == "nicht_erfuellt"]
    text_nicht = (
        unerfuellt[0].text
        if len(unerfuellt) == 1
        else " ".join(dict.fromkeys(z.text for z in unerfuellt))
    )
    return oder(
        "foerderberechtigt_nach_74_abs_3",
        zweige,
        text_nicht=text_nicht or "Keiner der Fälle des § 74 Abs. 3 SGB III liegt vor.",
        text_offen=(
            "Ob einer der Fälle des § 74 Abs. 3 SGB III vorliegt (Ausbildung, vorzeitige "
            "Lösung, Nachbetreuung oder EQ), lässt sich noch nicht sagen."
        ),
        norm="§ 74 Abs. 3 SGB III",
        quelle=_Q21,
    )


def wohnsitz_im_ausland_mit_betrieb_in_deutschland(f: Facts) -> Befund:
    """Residence abroad is no obstacle in the begleitende Phase if the company is in Germany."""
    regel, norm = "wohnsitz_im_ausland_mit_betrieb_in_deutschland", "§ 74 Abs. 3 SGB III"
    if f.wohnsitz_im_ausland is not True:
        text = "Ein Wohnsitz im Ausland ist nicht angegeben."
        return Befund(regel, "entfaellt", text, norm, _Q21)
    if f.betrieb_in_deutschland is True:
        text = (
            "Trotz Wohnsitz im Ausland ist die begleitende Phase möglich, weil der "
            "Ausbildungsbetrieb in Deutschland liegt."
        )
        return Befund(regel, "erfuellt", text, norm, _Q21)
    if f.betrieb_in_deutschland is False:
        text = (
            "Bei Wohnsitz im Ausland ist die begleitende Phase nur möglich, wenn der "
            "Ausbildungsbetrieb in Deutschland liegt; das ist nach Ihren Angaben nicht so."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, _Q21)
    text = "Bei Wohnsitz im Ausland kommt es darauf an, ob der Betrieb in Deutschland liegt."
    return Befund(regel, "offen", text, norm, _Q21, ("betrieb_in_deutschland",))


def pflegeausbildung_foerderbar(f: Facts, tag: date) -> Befund:
    """Nursing: PflBG (from 2020-01-01) and Altenpflegegesetz yes; others begun earlier no."""
    regel = "pflegeausbildung_foerderbar"
    eintrag = values.eintrag("pflegeberufegesetz_foerderbar_ab", tag)
    ab: date = eintrag.wert
    norm, quelle = eintrag.norm, eintrag.quelle
    if f.pflegeausbildung is None:
        return Befund(
            regel, "entfaellt", "Eine Pflegeausbildung ist nicht angegeben.", norm, quelle
        )
    if f.pflegeausbildung == "pflegeberufegesetz":
        text = (
            "Ausbildungen nach Teil 2 des Pflegeberufegesetzes können seit dem "
            f"{ab.strftime(_DATUM)} gefördert werden."
        )
        return Befund(regel, "erfuellt", text, norm, quelle)
    if f.pflegeausbildung == "altenpflegegesetz":
        text = (
            "Ausbildungen nach dem Altenpflegegesetz können gefördert werden, auch wenn sie "
            "früher begonnen haben."
        )
        return Befund(regel, "erfuellt", text, norm, quelle)
    if f.ausbildungsbeginn is None:
        text = (
            f"Bei anderen Pflegeausbildungen kommt es auf den Beginn an: vor dem "
            f"{ab.strftime(_DATUM)} begonnene sind nicht förderbar; das Datum fehlt."
        )
        return Befund(regel, "offen", text, norm, quelle, ("ausbildungsbeginn",))
    if f.ausbildungsbeginn < ab:
        text = (
            f"Diese Pflegeausbildung hat am {f.ausbildungsbeginn.strftime(_DATUM)} begonnen, also "
            f"vor dem {ab.strftime(_DATUM)}; solche Ausbildungen können – außer nach dem "
            "Altenpflegegesetz – nicht gefördert werden."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = (
        f"Die Pflegeausbildung hat nicht vor dem {ab.strftime(_DATUM)} begonnen; der Ausschluss "
        "älterer Pflegeausbildungen greift nicht. Ob sie als betriebliche Ausbildung "
        "förderbar ist, prüft die Agentur für Arbeit."
    )
    return Befund(regel, "erfuellt", text, norm, quelle)


def begleitend_hinweise(f: Facts) -> list[Befund]:
    """Hints for the begleitende Phase: part-time, readiness, release from work, what is offered."""
    hinweise: list[Befund] = []
    if f.teilzeit is True:
        text = (
            "Eine Ausbildung in Teilzeit kann in der begleitenden Phase genauso gefördert werden."
        )
        hinweise.append(
            Befund("teilzeitausbildung_foerderbar", "hinweis", text, "§ 74 SGB III", _Q21)
        )
    if f.ausbildungsreife is False:
        text = (
            "Sie haben angegeben, dass die Ausbildungsreife fehlt. Mit einem Ausbildungsvertrag "
            "hat der Betrieb die Eignung bejaht; die Agentur für Arbeit bewertet das im Gespräch."
        )
        hinweise.append(
            Befund("ausbildungsreife_hinweis", "hinweis", text, "§ 74 Abs. 3 SGB III", _Q21)
        )
    text = (
        "Angeboten werden unter anderem Stütz- und Förderunterricht, sozialpädagogische "
        "Begleitung und Prüfungsvorbereitung. Ob die Unterstützung in der Arbeitszeit "
        "stattfindet, entscheidet der Betrieb."
    )
    hinweise.append(Befund("inhalte_begleitende_phase", "hinweis", text, "§ 75 SGB III", _Q222))
    return hinweise


def begleitende_phase_befunde(f: Facts, tag: date) -> list[Befund]:
    """All findings for the begleitende Phase of a young person, deciding rules first."""
    befunde = [
        foerderberechtigt_nach_74_abs_3(f, tag),
        person.kein_beschaeftigungsverbot(f, norm="§ 74 Abs. 3 SGB III", quelle=_Q222),
        wohnsitz_im_ausland_mit_betrieb_in_deutschland(f),
        pflegeausbildung_foerderbar(f, tag),
    ]
    befunde.extend(begleitend_hinweise(f))
    for zusatz in (
        person.behinderung_schliesst_nicht_aus(f),
        person.keine_gleichzeitige_berufseinstiegsbegleitung(f),
    ):
        if zusatz is not None:
            befunde.append(zusatz)
    return befunde
