"""Printing the report page (/bao-cao/<id>/): no navigation, buttons, forms or saving notices;
each narrative text in full (a print-only copy beside each four-line textarea, kept equal to
what is typed by print.js); the appendix with its header row on every sheet; the report's
unit, period and status at the top of every sheet. And rows that do not apply to the unit's
level stay readable (WCAG AA) and are marked by more than a colour.

The browser tests save what they print to test-artifacts/print/."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pypdf import PdfReader

from cchc_web import demo, editing, periods, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import OrgUnit, Submission
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, TIMEOUT, log_in, orm

Login = Callable[[str], Client]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "print"
APP_CSS = ROOT / "cchc_web" / "static" / "cchc" / "app.css"
# Thirteen lines: three times what the textarea shows, and an end anyone can find.
LONG = "\n".join([f"{n}. Nội dung thứ {n} của mục I, viết đủ dài để thấy khi in." for n in
                  range(1, 13)] + ["Hết mục I (KET-THUC-MUC-I)."])
HEAD = "Xã Cẩm Hưng · 6 tháng đầu năm 2022 · Nháp"


def _with_narrative(s: Submission) -> None:
    editing.save(s.pk, User.objects.get(username="xa.camhung"),
                 [Change("narrative", "I", "", LONG)])


def _copy(html: str, key: str) -> str:
    page = lxml.html.fromstring(html)
    return str(page.xpath(f'//*[@data-print-of="n:{key}"]')[0].text_content())


# ---------------------------------------------------------------- the page as served


def test_the_printed_copy_holds_each_narrative_in_full(drafts: dict[str, Submission],
                                                       login: Login) -> None:
    s = drafts["42.H01.X01"]
    _with_narrative(s)
    for who in ("xa.camhung", "huyen.camxuyen"):  # who edits, and who only reads
        html = login(who).get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
        assert _copy(html, "I") == LONG, who
        assert _copy(html, "II") == "", who
        heads = lxml.html.fromstring(html).xpath("//@data-print-head")
        assert [str(h) for h in heads] == [HEAD], who


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _declarations(css: str, selector: str) -> dict[str, str]:
    found = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert found, selector
    return dict(tuple(part.strip() for part in d.split(":", 1))  # type: ignore[misc]
                for d in found.group(1).split(";") if d.strip())


def test_rows_that_do_not_apply_are_readable_and_marked_by_more_than_colour() -> None:
    css = APP_CSS.read_text(encoding="utf-8")
    row = _declarations(css, "tr.not-applicable td")
    muted = re.search(r"--muted:(#[0-9a-f]{6})", css)
    assert muted
    for text in (row["color"], muted.group(1)):  # the row's text, and its grey code and unit
        assert _contrast(text, "#ffffff") >= 4.5, text
        assert _contrast(text, row["background"]) >= 4.5, text
    assert row["background"].lower() not in ("#fff", "#ffffff")
    assert _declarations(css, "tr.not-applicable td.label") == {"font-style": "italic"}


# ---------------------------------------------------------------- in a browser


@dataclass(frozen=True)
class Report:
    id: int


def _draft() -> Report:
    for kind, year, number in demo.PERIODS:
        periods.ensure(kind, year, number)
    units = demo.build_tree()
    demo.build_accounts(units)
    unit: OrgUnit = units["42.H01.X01"]
    period = periods.ensure("half_year", 2022)
    the_form = form_for(unit, period)
    assert the_form is not None
    user = User.objects.get(username="xa.camhung")
    s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
    editing.save(s.pk, user, [Change("value", "1.2.1", "", "25"), Change("value", "1.2.2", "",
                                                                          "24")])
    _with_narrative(s)
    return Report(s.pk)


@pytest.fixture
def report(transactional_db: None, settings: Any) -> Report:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return orm(_draft)


@pytest.fixture
def browser(transactional_db: None) -> Iterator[Browser]:
    if not CHROMIUM.exists():  # in CI only: elsewhere these tests are skipped
        pytest.fail(NO_CHROMIUM)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def reporter_page(browser: Browser, live_server: object, report: Report) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    log_in(page, str(live_server), "xa.camhung")
    page.goto(f"{live_server}/bao-cao/{report.id}/")
    expect(page.get_by_test_id("status")).to_have_text("Nháp")
    yield page
    context.close()


def _text(reader: PdfReader, n: int) -> str:
    return unicodedata.normalize("NFC", reader.pages[n].extract_text() or "")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason=NO_CHROMIUM)
def test_the_printed_report_has_no_screen_controls_and_every_narrative_in_full(
        reporter_page: Page) -> None:
    page = reporter_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    typed = "Mục II gõ trên trang,\nchưa tải lại trang."
    page.locator('textarea[name="n:II"]').fill(typed)
    page.screenshot(path=str(ARTIFACTS / "bao-cao-man-hinh.png"))

    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("button:visible, .button:visible, form.inline:visible")).to_have_count(0)
    for hidden in ("#save-status", ".sticky-actions", ".actions", ".workflow", ".crumbs"):
        expect(page.locator(hidden)).to_be_hidden()
    for key in ("I", "II", "III", "IV", "V"):
        expect(page.locator(f'textarea[name="n:{key}"]')).to_be_hidden()
    whole = page.locator('[data-print-of="n:I"]')
    expect(whole).to_be_visible()
    assert whole.inner_text() == LONG
    box = whole.bounding_box()
    line = float(whole.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box is not None and box["height"] >= 12 * line, (box, line)  # not cut at four
    # What was typed and not reloaded is printed too.
    expect(page.locator('[data-print-of="n:II"]')).to_have_text(typed)
    assert page.locator("table.entry thead").evaluate(
        "e => getComputedStyle(e).display") == "table-header-group"
    page.screenshot(path=str(ARTIFACTS / "bao-cao-ban-in.png"), full_page=True)

    pdf = ARTIFACTS / "bao-cao.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    reader = PdfReader(pdf)
    assert len(reader.pages) > 2
    texts = [_text(reader, n) for n in range(len(reader.pages))]
    everything = "\n".join(texts)
    for n, text in enumerate(texts, start=1):  # the report named on every sheet
        assert HEAD in text, n
        assert f"Trang {n}/{len(texts)}" in text, n
    assert "KET-THUC-MUC-I" in everything and "chưa tải lại trang." in everything
    for screen_only in ("Đăng xuất", "Lưu nháp", "Gửi báo cáo", "Lịch sử thay đổi"):
        assert screen_only not in everything, screen_only
    # The appendix begins on some sheet; its header row is on every sheet after that.
    first = next(n for n, t in enumerate(texts) if "Phụ lục số liệu" in t)
    assert first < len(texts) - 1
    assert all("STT" in t and "Chỉ tiêu" in t for t in texts[first:]), first


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason=NO_CHROMIUM)
def test_rows_that_do_not_apply_are_readable_on_the_screen(reporter_page: Page) -> None:
    row = reporter_page.locator("tr.not-applicable").first
    row.scroll_into_view_if_needed()
    # The background shown behind the text: the nearest one that is not transparent.
    colours = row.locator("td.label").evaluate(r"""e => {
        const s = getComputedStyle(e);
        let box = e, bg = "rgba(0, 0, 0, 0)";
        while (box && /rgba\(.*, 0\)$|transparent/.test(bg)) {
            bg = getComputedStyle(box).backgroundColor; box = box.parentElement; }
        return [s.color, /, 0\)$|transparent/.test(bg) ? "rgb(255, 255, 255)" : bg,
                s.fontStyle]; }""")
    text, background, style = colours

    def hex_of(rgb: str) -> str:
        r, g, b = (int(v) for v in re.findall(r"\d+", rgb)[:3])
        return f"#{r:02x}{g:02x}{b:02x}"
    assert _contrast(hex_of(text), hex_of(background)) >= 4.5, colours
    assert hex_of(background) != "#ffffff" and style == "italic", colours
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reporter_page.screenshot(path=str(ARTIFACTS / "khong-ap-dung.png"))
