"""The website widget in real headless Chromium against the running bot and its demo page.

Playwright drives Debian's /usr/bin/chromium (installed by `make browser-install`); axe-core comes
from npm into var/browser-tools/. Screenshots go to var/results/browser/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.conftest import ROOT, BotProcess

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "var" / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "results" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOTLINE = "0800 4 5555 20"
INJECTION = "<img src=x onerror=alert(1)><script>alert(2)</script>"
REPLY_TIMEOUT_MS = 20_000
MAX_TABS = 60

expect.set_options(timeout=REPLY_TIMEOUT_MS)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    missing = [str(path) for path in (CHROMIUM, AXE) if not path.is_file()]
    assert not missing, f"{', '.join(missing)} fehlt: erst `make browser-install` ausführen."
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class Session:
    """One browser tab on the demo page, with what the page did that a test must not miss."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def log(self) -> Any:
        return self.page.get_by_role("log", name="Chatverlauf")

    def open(self) -> None:
        self.page.goto(self.url)
        self.page.get_by_role("button", name="Fragen zu AsA flex").click()
        expect(self.page.locator("#asa-panel")).to_be_visible()

    def click_reply(self, title: str) -> None:
        self.log.get_by_role("button", name=title, exact=True).click()

    def expect_bot(self, text: str) -> None:
        expect(self.log.locator(".asa-msg--bot", has_text=text).last).to_be_visible()

    def expect_result_complete(self) -> None:
        """The result's last message, with its buttons, has arrived."""
        expect(self.log.get_by_role("button", name="Zusammenfassung")).to_be_visible()

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def session(browser: Browser, running_bot: BotProcess) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
    tab = Session(context.new_page(), running_bot.page_url)
    yield tab
    context.close()


def _start_company_questions(tab: Session) -> None:
    tab.open()
    expect(tab.page.get_by_text("Hinweis zum Datenschutz")).to_be_visible()
    expect(tab.log.locator(".asa-msg")).to_have_count(0)
    tab.page.get_by_role("button", name="Chat beginnen").click()
    # Both greetings (the domain varies them) offer the audience buttons.
    expect(tab.log.get_by_role("button", name="Ich bin ein Betrieb")).to_be_visible()
    tab.click_reply("Ich bin ein Betrieb")
    tab.expect_bot("Wie ist die Lage in Ihrem Betrieb?")


def test_company_conversation_by_clicking_buttons(session: Session) -> None:
    _start_company_questions(session)
    # The typing indicator shows as soon as an answer is sent, before the reply can arrive.
    typing_shown = session.page.evaluate(
        """() => {
            const reply = [...document.querySelectorAll('.asa-reply')]
                .find((button) => button.textContent === 'Ein Azubi ist schon da');
            reply.click();
            return !document.querySelector('.asa-typing').hidden;
        }"""
    )
    assert typing_shown
    session.expect_bot("Bilden Sie zum ersten Mal aus?")
    expect(session.page.locator(".asa-typing")).to_be_hidden()
    session.click_reply("Ja")
    session.expect_bot("Wo hakt es am meisten")
    session.click_reply("Prüfungen")
    session.expect_bot(HOTLINE)
    session.expect_bot("Arbeitgeber-Service")
    session.expect_bot("Zur Prüfung")
    session.expect_bot("Weil Sie zum ersten Mal ausbilden")
    session.expect_result_complete()

    users = session.log.locator(".asa-msg--user .asa-msg__text").all_inner_texts()
    assert users == ["Ich bin ein Betrieb", "Ein Azubi ist schon da", "Ja", "Prüfungen"]
    assert "/info" not in session.log.inner_text(), "a payload was shown instead of its title"
    # Answered questions keep no buttons; only the last message offers replies.
    expect(session.log.get_by_role("group", name="Antwortmöglichkeiten")).to_have_count(1)
    session.screenshot("company-flow")
    assert session.dialogs == []
    assert session.errors == []


def _focused(page: Page) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName,
                text: (el.textContent || '').trim(),
                label: el.getAttribute('aria-label')
                    || (el.labels && el.labels.length ? el.labels[0].textContent : ''),
                outline: style.outlineStyle + ' ' + style.outlineWidth,
            };
        }"""
    )
    return result


def _tab_to(page: Page, name: str) -> None:
    """Press Tab until the control called `name` has the focus; it must show a focus ring."""
    for _ in range(MAX_TABS):
        focused = _focused(page)
        if name in (focused["text"], focused["label"]):
            style, width = focused["outline"].split()
            assert style != "none" and float(width.removesuffix("px")) >= 2, focused
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{name!r} not reached with {MAX_TABS} Tab presses")


def test_keyboard_only_conversation(session: Session) -> None:
    page = session.page
    page.goto(session.url)
    _tab_to(page, "Fragen zu AsA flex")
    page.keyboard.press("Enter")
    expect(page.locator("#asa-panel")).to_be_visible()
    assert _focused(page)["text"] == "Chat beginnen"
    page.keyboard.press("Enter")
    expect(session.log.get_by_role("button", name="Ich bin ein Betrieb")).to_be_visible()

    for reply, next_question in [
        ("Ich bin ein Betrieb", "Wie ist die Lage in Ihrem Betrieb?"),
        ("Wir wollen ausbilden", "Bilden Sie zum ersten Mal aus?"),
        ("Nein", "Wo hakt es am meisten"),
        ("Organisation", HOTLINE),
    ]:
        expect(session.log.get_by_role("button", name=reply, exact=True)).to_be_visible()
        _tab_to(page, reply)
        page.keyboard.press("Enter")
        session.expect_bot(next_question)
    session.expect_result_complete()

    _tab_to(page, "Ihre Nachricht")
    answered = session.log.locator(".asa-msg--bot").count()
    page.keyboard.type("Was kostet AsA flex?")
    page.keyboard.press("Enter")
    expect(session.log.locator(".asa-msg--user .asa-msg__text").last).to_have_text(
        "Was kostet AsA flex?"
    )
    # Either wording of the domain's cost answer names who pays.
    expect(session.log.locator(".asa-msg--bot").nth(answered)).to_contain_text(
        "Agentur für Arbeit oder das Jobcenter"
    )
    session.screenshot("keyboard-flow")

    page.keyboard.press("Escape")
    expect(page.locator("#asa-panel")).to_be_hidden()
    assert _focused(page)["text"] == "Fragen zu AsA flex"
    launcher = page.get_by_role("button", name="Fragen zu AsA flex")
    assert launcher.get_attribute("aria-expanded") == "false"


def test_reload_keeps_the_conversation_and_the_bot_continues(session: Session) -> None:
    _start_company_questions(session)
    session.click_reply("Ein Azubi ist schon da")
    session.expect_bot("Bilden Sie zum ersten Mal aus?")
    before = session.page.evaluate("() => sessionStorage.getItem('asa-widget:v1')")
    session_id = json.loads(before)["sessionId"]
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)
    shown = session.log.inner_text()

    session.page.reload()
    expect(session.page.locator("#asa-panel")).to_be_visible()
    assert session.log.inner_text() == shown
    session.screenshot("after-reload")
    session.click_reply("Nein")  # the open question's buttons survived the reload
    session.expect_bot("Wo hakt es am meisten")  # the form goes on: same sender, same state
    session.click_reply("Nichts davon")
    session.expect_bot(HOTLINE)
    session.expect_result_complete()
    after = json.loads(session.page.evaluate("() => sessionStorage.getItem('asa-widget:v1')"))
    assert after["sessionId"] == session_id
    assert session.errors == []

    session.page.locator(".asa-header").get_by_role("button", name="Neu starten").click()
    session.expect_bot("Alles zurückgesetzt")
    expect(session.log.locator(".asa-msg")).to_have_count(1)


def _axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
            const brief = (rules) => rules.map((rule) => ({
                id: rule.id, impact: rule.impact, help: rule.help,
                nodes: rule.nodes.map((node) => node.target.join(' ')),
            }));
            return {
                version: axe.version,
                violations: brief(result.violations),
                passes: result.passes.length,
                incomplete: brief(result.incomplete),
            };
        }"""
    )
    return result


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("desktop", {"width": 1280, "height": 800}), ("mobile", {"width": 375, "height": 700})],
)
def test_axe_finds_no_serious_or_critical_violation_with_messages_shown(
    browser: Browser, running_bot: BotProcess, name: str, viewport: dict[str, int]
) -> None:
    # The demo page's CSP forbids injected scripts; axe is injected with the CSP bypassed.
    context = browser.new_context(viewport=viewport, locale="de-DE", bypass_csp=True)
    try:
        tab = Session(context.new_page(), running_bot.page_url)
        _start_company_questions(tab)
        tab.click_reply("Ein Azubi ist schon da")
        tab.expect_bot("Bilden Sie zum ersten Mal aus?")
        if name == "mobile":
            box = tab.page.locator("#asa-panel").bounding_box()
            assert box is not None
            assert (box["x"], box["width"]) == (0, viewport["width"]), box
        tab.screenshot(f"axe-{name}")
        result = _axe(tab.page)
    finally:
        context.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"axe-{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=2)
    assert result["passes"] > 20, "axe checked almost nothing"


def test_html_and_script_in_a_message_stay_text(browser: Browser, running_bot: BotProcess) -> None:
    # With the page's CSP bypassed, markup put in as HTML would create elements and fire dialogs.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    try:
        tab = Session(context.new_page(), running_bot.page_url)
        tab.open()
        tab.page.get_by_label("Ihre Nachricht").fill(INJECTION)
        tab.page.get_by_role("button", name="Senden").click()
        expect(tab.log.locator(".asa-msg--bot").first).to_be_visible()
        for attempt in ("sent", "reloaded"):
            bubble = tab.log.locator(".asa-msg--user .asa-msg__text")
            expect(bubble).to_have_count(1)
            assert bubble.text_content() == INJECTION, attempt
            assert tab.page.locator(".asa-widget img, .asa-widget script").count() == 0, attempt
            tab.page.wait_for_timeout(300)  # time for an onerror handler to run, if one existed
            assert tab.dialogs == [], attempt
            if attempt == "sent":
                tab.screenshot("injection-as-text")
                tab.page.reload()
                expect(tab.page.locator("#asa-panel")).to_be_visible()
    finally:
        context.close()
