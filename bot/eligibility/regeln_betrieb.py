"""Rules for companies (§ 74 Abs. 1, § 75 and § 75a Abs. 5 SGB III; § 54a for the EQ)."""

from __future__ import annotations

from bot.eligibility.befund import QUELLE_GESETZ, QUELLE_IHK, Befund, quelle_vbw
from bot.eligibility.facts import Facts

_Q21 = quelle_vbw("2.1")


def _bereitschaft(f: Facts, regel: str, norm: str, quelle: str, erfuellt: str) -> Befund:
    if f.betrieb_bildet_aus_oder_will is True:
        return Befund(regel, "erfuellt", erfuellt, norm, quelle)
    if f.betrieb_bildet_aus_oder_will is False:
        text = (
            "Die Unterstützung setzt voraus, dass der Betrieb einen jungen Menschen ausbildet oder "
            "ernsthaft ausbilden will; das ist nach Ihren Angaben nicht der Fall."
        )
        return Befund(regel, "nicht_erfuellt", text, norm, quelle)
    text = (
        "Es ist nicht angegeben, ob der Betrieb bereits ausbildet (oder eine EQ anbietet) oder "
        "das ernsthaft vorhat."
    )
    return Befund(regel, "offen", text, norm, quelle, ("betrieb_bildet_aus_oder_will",))


def betrieb_vorphase(f: Facts) -> Befund:
    """§ 75a Abs. 5: a company aiming to train an eligible young person gets help preparing."""
    return _bereitschaft(
        f,
        "betrieb_vorphase_nach_75a_abs_5",
        "§ 75a Abs. 5 SGB III",
        QUELLE_GESETZ,
        "Ein Betrieb, der einen förderberechtigten jungen Menschen ausbilden will, kann schon in "
        "der Vorphase bei der Vorbereitung des Ausbildungsstarts unterstützt werden.",
    )


def betrieb_begleitende_phase(f: Facts) -> Befund:
    """§ 74 Abs. 1: a company that trains, or seriously means to train, an eligible person."""
    return _bereitschaft(
        f,
        "betrieb_foerderfaehig_nach_74_abs_1",
        "§ 74 Abs. 1 Satz 1 SGB III; § 75 SGB III",
        _Q21,
        "Jeder Betrieb, der einen förderberechtigten jungen Menschen in Ausbildung oder EQ "
        "übernimmt oder das ernsthaft zusagt, kann unterstützt werden – etwa bei Verwaltung, "
        "Organisation, Lernortkooperation und gegen Ausbildungsabbrüche.",
    )


def betrieb_eq(f: Facts) -> Befund:
    """§ 54a Abs. 1: companies offering an EQ can receive a subsidy towards the EQ pay."""
    return _bereitschaft(
        f,
        "betrieb_eq_nach_54a",
        "§ 54a Abs. 1 SGB III",
        QUELLE_GESETZ,
        "Ein Betrieb kann eine Einstiegsqualifizierung anbieten und dafür einen Zuschuss zur "
        "Vergütung erhalten; die Höhe nennt die Agentur für Arbeit.",
    )


def nur_fuer_junge_menschen(option: str, norm: str) -> Befund:
    """BvB, § 45 measures and BAB are benefits for young people, not for companies."""
    text = (
        f"{option} ist eine Leistung für junge Menschen, nicht für Betriebe; Ihre Auszubildenden "
        "oder Bewerbenden können sich dazu an die Agentur für Arbeit wenden."
    )
    return Befund("leistung_fuer_junge_menschen", "nicht_erfuellt", text, norm, QUELLE_GESETZ)


def betrieb_hinweise(f: Facts) -> list[Befund]:
    """Hints for companies: first-time training, cooperation agreement, own choice, chamber."""
    hinweise: list[Befund] = []
    if f.betrieb_erstmals_ausbildend is True:
        text = (
            "Wer zum ersten Mal ausbildet, bekommt Hilfe bei der Zulassung als Ausbildungsbetrieb, "
            "bei Fragen der Ausbildereignung und beim Ausbildungsvertrag."
        )
        hinweise.append(
            Befund(
                "erstausbildender_betrieb",
                "hinweis",
                text,
                "§ 74 Abs. 1 SGB III",
                quelle_vbw("2.5"),
            )
        )
    text = (
        "Der Betrieb entscheidet selbst, ob er die Unterstützung auch für sich nutzt; "
        "Grundlage ist eine Kooperationsvereinbarung mit dem Bildungsträger. Für den Betrieb "
        "entstehen keine Kosten."
    )
    hinweise.append(
        Befund("kooperationsvereinbarung", "hinweis", text, "§ 74 SGB III", quelle_vbw("2.5"))
    )
    if f.behinderung is True:
        text = "Bei Auszubildenden mit Behinderung erhält der Betrieb die gleiche Unterstützung."
        hinweise.append(
            Befund("betrieb_behinderung", "hinweis", text, "§ 75 SGB III", quelle_vbw("2.2.2.1"))
        )
    text = (
        "Die zuständige Kammer (z. B. IHK oder Handwerkskammer) berät als zuständige Stelle vor "
        "und während der Ausbildung und kann sich mit der Ausbildungsbegleitung abstimmen."
    )
    hinweise.append(
        Befund("kammer_als_zustaendige_stelle", "hinweis", text, "§ 74 SGB III", QUELLE_IHK)
    )
    return hinweise
