"""Real browser tests: Debian's Chromium, driven by Playwright, through the main flow of the
web system on a live server with the demo data — typing with autosave and findings, upload
with preview, submit / return / resubmit / approve with the audit trail, and keeping typed
values across an expired session. Screenshots go to test-artifacts/screenshots/.
The last two tests are regressions: a saved value must not be offered for restore later, and
what is typed into the next field must survive an autosave of the previous one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Response,
    expect,
    sync_playwright,
)

from cchc.catalog import Form, Item
from cchc.cli import sample_dir
from cchc_web import demo, periods, workflow
from cchc_web.catalog import form_for
from cchc_web.models import Entry, OrgUnit, Submission

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
SEED = ROOT / "tests" / "data" / "seeds" / "000_1d532f9d1e3624b0.txt"
CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = f"Debian's Chromium ({CHROMIUM}) is not installed"
# Skipped only on a developer machine without Chromium; in CI a missing Chromium fails.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                 reason=NO_CHROMIUM)]
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
TIMEOUT = 10_000  # ms, for every wait
PASSWORDS = {p.username: p.password for p in demo.PERSONAS}
REPORTER, REVIEWER = "xa.camhung", "huyen.camxuyen"
UNIT_CODE, UNIT_NAME = "42.H01.X01", "Xã Cẩm Hưng"
SEEDED_PERIOD = "6 tháng đầu năm 2022"  # the imported draft, with errors
NEW_PERIOD = "Năm 2022"  # a period Xã Cẩm Hưng has no report for yet
T = TypeVar("T")


# ---------------------------------------------------------------- data, server, browser


def orm(query: Callable[[], T]) -> T:
    """Run ORM calls in a worker thread, closing its connection after. While Playwright's
    sync API runs, this thread has a running asyncio loop and Django refuses ORM calls in
    it; the data fixtures use this too, so the fixtures' order does not matter."""
    def run() -> T:
        try:
            return query()
        finally:
            connections.close_all()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@dataclass(frozen=True)
class Demo:
    new_form: Form  # the form Xã Cẩm Hưng fills for NEW_PERIOD


@dataclass(frozen=True)
class Seeded(Demo):
    seeded_id: int  # the imported draft of Xã Cẩm Hưng for SEEDED_PERIOD
    seeded_errors: frozenset[str]  # its items with an error finding


def _new_form() -> Form:
    unit = OrgUnit.objects.get(code=UNIT_CODE)
    assert not Submission.objects.filter(unit=unit, period__kind="year",
                                         period__year=2022).exists()
    the_form = form_for(unit, periods.ensure("year", 2022))
    assert the_form is not None
    return the_form


def _tree() -> Demo:
    for kind, year, number in demo.PERIODS:
        periods.ensure(kind, year, number)
    demo.build_accounts(demo.build_tree())
    return Demo(_new_form())


def _whole() -> Seeded:
    demo.build(sample_dir(), generated=False)
    seeded = Submission.objects.get(unit__code=UNIT_CODE, period__kind="half_year",
                                    period__year=2022)
    assert seeded.status == "draft"
    errors = frozenset(workflow.unexplained_errors(seeded))
    assert errors and "" not in errors, errors  # every error sits on a row, can be explained
    return Seeded(_new_form(), seeded.pk, errors)


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    """The real hasher takes half a second per account and per login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_tree(transactional_db: None, fast_passwords: None) -> Demo:
    """The demo's periods, units and personas, without the seed reports (faster), committed
    so that the live server sees them."""
    return orm(_tree)


@pytest.fixture
def demo_data(transactional_db: None, fast_passwords: None) -> Seeded:
    """The whole demo (`demo.build`), the five seed reports imported as drafts, committed so
    that the live server sees it."""
    return orm(_whole)


@pytest.fixture
def browser(transactional_db: None) -> Iterator[Browser]:
    """Chromium for one test; closed before the database is flushed."""
    if not CHROMIUM.exists():  # in CI only: elsewhere the module is skipped
        pytest.fail(NO_CHROMIUM)
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


Open = Callable[[], Page]


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Open]:
    """Opens a page in a fresh context (own cookies and storage: one person at one browser).
    On teardown every page left open is photographed, which shows where a failure stopped."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        return context.new_page()

    yield make
    for n, context in enumerate(contexts, start=1):
        for page in context.pages:
            shot(page, f"{request.node.name}-end-{n}")
        context.close()


def shot(page: Page, name: str, at: Locator | None = None, full: bool = False) -> None:
    """Screenshot into test-artifacts/screenshots/: the viewport scrolled to `at`, or the
    whole page (slow on the long form page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if at is not None:
        at.scroll_into_view_if_needed(timeout=TIMEOUT)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


# ---------------------------------------------------------------- what people do


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    fill_login(page, username)


def fill_login(page: Page, username: str) -> None:
    """On the login page: fill in and send; then the header shows the person's unit."""
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORDS[username])
    page.get_by_role("button", name="Đăng nhập").click()
    who = page.locator("header .who")
    expect(who).to_contain_text(unit_name(username), timeout=TIMEOUT)
    expect(who.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=TIMEOUT)


def unit_name(username: str) -> str:
    code = next(p.unit for p in demo.PERSONAS if p.username == username)
    return next(name for c, name, *_ in demo.TREE if c == code)


def open_new_report(page: Page, base: str, period_label: str) -> int:
    """From the home page, "Lập báo cáo" for a period without a report; the new draft's id."""
    page.goto(f"{base}/")
    first_cell = page.locator("td:first-child", has_text=re.compile(rf"^\s*{period_label}\s*$"))
    row = page.locator("table.list tbody tr").filter(has=first_cell)
    expect(row).to_have_count(1, timeout=TIMEOUT)
    expect(row).to_contain_text("Chưa lập", timeout=TIMEOUT)
    row.get_by_role("button", name="Lập báo cáo").click()
    expect(page).to_have_url(re.compile(r"/bao-cao/\d+/$"), timeout=TIMEOUT)
    expect(page.get_by_test_id("status")).to_have_text("Nháp", timeout=TIMEOUT)
    expect(page.locator(".crumbs")).to_contain_text(period_label, timeout=TIMEOUT)
    found = re.search(r"/bao-cao/(\d+)/$", page.url)
    assert found is not None, page.url
    return int(found.group(1))


def is_autosave(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/luu-o/")


def type_and_save(page: Page, name: str, text: str) -> None:
    """Type into a field, leave it (the change event autosaves it) and wait until the answer
    is on the page: it replaces #save-status, so the old one is marked first (an answer
    arrives before htmx swaps it in, and the status text may not change within a second)."""
    field = page.locator(f'[name="{name}"]')
    page.locator("#save-status").evaluate("box => box.setAttribute('data-stale', '')")
    with page.expect_response(is_autosave, timeout=TIMEOUT) as answer:
        field.fill(text)
        field.press("Tab")
    response = answer.value
    assert response.status == 200, (name, response.status, response.text()[:500])
    expect(page.locator("#save-status:not([data-stale])")).to_contain_text(
        "Đã lưu lúc", timeout=TIMEOUT)


def findings(page: Page, item_id: str) -> Locator:
    """The "Kiểm tra" cell of a row (ids hold dots, so no #id selector)."""
    return page.locator(f'[id="f-{item_id}"]')


def action_cell(page: Page, action: str) -> Locator:
    """The "Thao tác" cell of an audit row saying exactly `action`."""
    return page.locator("td:nth-child(3)", has_text=re.compile(rf"^\s*{action}\s*$"))


def commune_items(the_form: Form) -> tuple[Item, Item, Item, Item]:
    """The first rate item a commune fills, its numerator and denominator, and a count item
    a commune fills that takes no part in that rate."""
    rate = next(i for i in the_form.items if i.rate and "commune" in i.levels)
    assert rate.rate is not None
    numerator, denominator = (the_form.item(k) for k in rate.rate)
    assert numerator is not None and denominator is not None
    for part in (numerator, denominator):
        assert not part.levels or "commune" in part.levels, part.id
    count = next(i for i in the_form.items if i.type == "count" and not i.options
                 and "commune" in i.levels and i.id not in (rate.id, *rate.rate))
    return rate, numerator, denominator, count


# ---------------------------------------------------------------- the tests


def test_reporter_types_a_value_and_sees_the_finding_appear(
        live_server: object, demo_tree: Demo, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REPORTER)
    open_new_report(page, base, NEW_PERIOD)
    rate, numerator, denominator, count = commune_items(demo_tree.new_form)
    rate_findings = findings(page, rate.id)
    mismatch = rate_findings.locator('.finding.sev-error[data-code="rate-mismatch"]')
    summary = page.get_by_test_id("summary")
    expect(summary).to_contain_text(re.compile(r"(^|\D)0 lỗi"), timeout=TIMEOUT)
    expect(mismatch).to_have_count(0, timeout=TIMEOUT)

    type_and_save(page, f"v:{count.id}", "1241")
    # The saved cell comes back written the Vietnamese way.
    expect(page.locator(f'[name="v:{count.id}"]')).to_have_value("1.241", timeout=TIMEOUT)
    type_and_save(page, f"v:{numerator.id}", "24")
    type_and_save(page, f"v:{denominator.id}", "25")
    expect(mismatch).to_have_count(0, timeout=TIMEOUT)
    type_and_save(page, f"v:{rate.id}", "60")

    expect(mismatch).to_be_visible(timeout=TIMEOUT)
    expect(mismatch).to_contain_text("60%", timeout=TIMEOUT)
    # The explanation box appears on the row with the error, and the computed rate is offered.
    expect(rate_findings.locator(f'textarea[name="c:{rate.id}"]')).to_be_visible(
        timeout=TIMEOUT)
    expect(page.locator(f'[id="cell-{rate.id}"] button.suggest')).to_contain_text(
        "96", timeout=TIMEOUT)
    expect(summary).to_contain_text(re.compile(r"(^|\D)[1-9]\d* lỗi"), timeout=TIMEOUT)
    expect(summary).to_contain_text("Lỗi chưa giải trình phải được sửa hoặc giải trình",
                                    timeout=TIMEOUT)
    shot(page, "1-1-rate-mismatch-found", at=page.locator(f'[id="row-{rate.id}"]'))
    shot(page, "1-2-summary", at=summary)

    page.reload()
    expect(page.locator(f'[name="v:{count.id}"]')).to_have_value("1.241", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{numerator.id}"]')).to_have_value("24", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{denominator.id}"]')).to_have_value("25", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{rate.id}"]')).to_have_value("60", timeout=TIMEOUT)
    expect(mismatch).to_be_visible(timeout=TIMEOUT)
    shot(page, "1-3-after-reload", at=mismatch)


def test_upload_a_seed_file_and_confirm(
        live_server: object, demo_tree: Demo, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REPORTER)
    report_id = open_new_report(page, base, NEW_PERIOD)
    rate, numerator, denominator, count = commune_items(demo_tree.new_form)
    # A value typed before the upload: "fill" must keep it.
    type_and_save(page, f"v:{count.id}", "7")
    expect(page.locator(f'[name="v:{numerator.id}"]')).to_have_value("", timeout=TIMEOUT)
    expect(page.get_by_text("Tệp gốc:")).to_have_count(0, timeout=TIMEOUT)

    page.get_by_role("link", name="Tải tệp báo cáo lên").click()
    expect(page).to_have_url(f"{base}/bao-cao/{report_id}/tai-len/", timeout=TIMEOUT)
    page.locator('input[type="file"][name="file"]').set_input_files(str(SEED))
    page.get_by_role("button", name="Đọc tệp").click()

    expect(page).to_have_url(re.compile(rf"/bao-cao/{report_id}/tai-len/[0-9a-f-]{{36}}/$"),
                             timeout=TIMEOUT)
    preview = page.get_by_test_id("preview")
    expect(preview).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text(SEED.name, timeout=TIMEOUT)
    expect(preview.locator("tbody tr").first).to_be_visible(timeout=TIMEOUT)
    assert preview.locator("tbody tr:not(.unmatched)").count() > 10
    # The row of the count item shows what the draft holds now.
    count_row = preview.locator("tbody tr").filter(
        has=page.locator("td:nth-child(5)", has_text=re.compile(rf"^\s*{re.escape(count.id)} ")))
    expect(count_row.first.locator("td:nth-child(6)")).to_have_text("7", timeout=TIMEOUT)
    shot(page, "2-1-upload-preview", full=True)

    # The seed is the report of 6 tháng đầu năm 2022, put into Năm 2022: an error that
    # needs an explicit acknowledgement.
    identity = page.get_by_test_id("identity")
    expect(identity).to_contain_text("Tệp là báo cáo", timeout=TIMEOUT)
    expect(identity).to_contain_text("Năm 2022", timeout=TIMEOUT)
    page.get_by_test_id("confirm").click()
    expect(page.locator(".messages li.error")).to_contain_text("Số liệu chưa được đưa vào",
                                                               timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{numerator.id}"]')).to_have_count(0, timeout=TIMEOUT)
    page.get_by_test_id("ack").check()
    fill = page.locator('input[name="mode"][value="fill"]')
    fill.check()
    expect(fill).to_be_checked(timeout=TIMEOUT)
    expect(page.locator('input[name="mode"][value="replace"]')).not_to_be_checked(
        timeout=TIMEOUT)
    page.get_by_test_id("confirm").click()

    expect(page).to_have_url(f"{base}/bao-cao/{report_id}/", timeout=TIMEOUT)
    expect(page.locator(".messages li.success")).to_contain_text(
        f"Đã đưa vào báo cáo từ tệp {SEED.name}", timeout=TIMEOUT)
    kept = page.get_by_role("link", name=f"Tệp gốc: {SEED.name}")
    expect(kept).to_be_visible(timeout=TIMEOUT)
    expect(kept).to_have_attribute("href", re.compile(rf"/bao-cao/{report_id}/tep/\d+/$"),
                                   timeout=TIMEOUT)
    # Empty cells were filled from the file, the typed value was kept.
    expect(page.locator(f'[name="v:{numerator.id}"]')).to_have_value("24", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{denominator.id}"]')).to_have_value("25", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{rate.id}"]')).to_have_value("60", timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{count.id}"]')).to_have_value("7", timeout=TIMEOUT)
    filled = page.locator('#entry-form input[name^="v:"]:not([value=""])')
    assert filled.count() > 10
    expect(page.get_by_test_id("status")).to_have_text("Nháp", timeout=TIMEOUT)
    shot(page, "2-2-upload-confirmed")


def test_full_cycle_submit_return_resubmit_approve(
        live_server: object, demo_data: Seeded, new_page: Open) -> None:
    base = str(live_server)
    form_url = f"{base}/bao-cao/{demo_data.seeded_id}/"
    reporter = new_page()
    log_in(reporter, base, REPORTER)
    reporter.goto(form_url)
    expect(reporter.locator(".crumbs")).to_contain_text(SEEDED_PERIOD, timeout=TIMEOUT)
    expect(reporter.get_by_test_id("status")).to_have_text("Nháp", timeout=TIMEOUT)

    # 1. Refused while errors have no explanation.
    reporter.get_by_test_id("submit").click()
    refused = reporter.locator(".messages li.error")
    expect(refused).to_contain_text(
        f"Còn {len(demo_data.seeded_errors)} lỗi chưa giải trình / 0 lỗi đã giải trình",
        timeout=TIMEOUT)
    expect(reporter.get_by_test_id("status")).to_have_text("Nháp", timeout=TIMEOUT)
    shot(reporter, "3-1-submit-refused")

    # 2. Every row with an error gets an explanation, each autosaved; then it can go.
    error_rows = reporter.locator("tr[data-item]").filter(
        has=reporter.locator(".finding.sev-error"))
    items = [str(i) for i in error_rows.evaluate_all("rows => rows.map(r => r.dataset.item)")]
    assert set(items) == demo_data.seeded_errors, items
    for item in items:
        type_and_save(reporter, f"c:{item}", f"Giải trình số liệu dòng {item}.")
        expect(reporter.locator(f'textarea[name="c:{item}"]')).to_have_value(
            f"Giải trình số liệu dòng {item}.", timeout=TIMEOUT)
    shot(reporter, "3-2-explained", at=findings(reporter, items[0]))
    reporter.get_by_test_id("submit").click()
    expect(reporter.locator(".messages li.success")).to_contain_text("Đã gửi báo cáo",
                                                                     timeout=TIMEOUT)
    expect(reporter.get_by_test_id("status")).to_have_text("Đã gửi", timeout=TIMEOUT)
    expect(reporter.get_by_test_id("submit")).to_have_count(0, timeout=TIMEOUT)
    shot(reporter, "3-3-submitted")

    # 3. The district reviewer finds it in the queue and returns it.
    reviewer = new_page()
    log_in(reviewer, base, REVIEWER)
    reviewer.goto(f"{base}/xet-duyet/")
    queue_row = reviewer.get_by_test_id("queue").locator("tbody tr").filter(
        has_text=UNIT_NAME)
    expect(queue_row).to_have_count(1, timeout=TIMEOUT)
    expect(queue_row).to_contain_text(SEEDED_PERIOD, timeout=TIMEOUT)
    expect(queue_row).to_contain_text("Đã gửi", timeout=TIMEOUT)
    shot(reviewer, "3-4-review-queue")
    queue_row.get_by_role("link", name="Xem").click()
    expect(reviewer).to_have_url(form_url, timeout=TIMEOUT)
    expect(reviewer.locator("#entry-form")).to_have_attribute("data-readonly", "",
                                                              timeout=TIMEOUT)
    reason = "Đề nghị xã kiểm tra lại tỷ lệ hoàn thành kế hoạch."
    reviewer.get_by_label("Lý do trả lại").fill(reason)
    reviewer.get_by_test_id("return").click()
    expect(reviewer.locator(".messages li.success")).to_contain_text("Đã trả lại",
                                                                     timeout=TIMEOUT)
    expect(reviewer.get_by_test_id("status")).to_have_text("Trả lại", timeout=TIMEOUT)
    expect(reviewer.get_by_test_id("approve")).to_have_count(0, timeout=TIMEOUT)
    shot(reviewer, "3-5-returned")

    # 4. The reporter sees why, corrects the rate and sends again.
    reporter.goto(form_url)
    expect(reporter.get_by_test_id("status")).to_have_text("Trả lại", timeout=TIMEOUT)
    expect(reporter.locator(".warn-box").filter(has_text=reason)).to_be_visible(
        timeout=TIMEOUT)
    rate, numerator, denominator, _ = commune_items(demo_data.new_form)
    assert rate.id in demo_data.seeded_errors
    expect(reporter.locator(f'[name="v:{rate.id}"]')).to_have_value("60", timeout=TIMEOUT)
    expect(reporter.locator(f'[name="v:{numerator.id}"]')).to_have_value("24", timeout=TIMEOUT)
    expect(reporter.locator(f'[name="v:{denominator.id}"]')).to_have_value("25",
                                                                          timeout=TIMEOUT)
    type_and_save(reporter, f"v:{rate.id}", "96")
    expect(findings(reporter, rate.id).locator(".finding.sev-error")).to_have_count(
        0, timeout=TIMEOUT)
    shot(reporter, "3-6-corrected", at=reporter.locator(f'[id="row-{rate.id}"]'))
    reporter.get_by_test_id("submit").click()
    expect(reporter.get_by_test_id("status")).to_have_text("Đã gửi", timeout=TIMEOUT)

    # 5. The reviewer approves.
    reviewer.goto(form_url)
    expect(reviewer.get_by_test_id("status")).to_have_text("Đã gửi", timeout=TIMEOUT)
    reviewer.get_by_test_id("approve").click()
    expect(reviewer.locator(".messages li.success")).to_contain_text("Đã duyệt",
                                                                     timeout=TIMEOUT)
    expect(reviewer.get_by_test_id("status")).to_have_text("Đã duyệt", timeout=TIMEOUT)
    shot(reviewer, "3-7-approved")

    # 6. Nothing is editable for the reporter any more.
    reporter.goto(form_url)
    expect(reporter.get_by_test_id("status")).to_have_text("Đã duyệt", timeout=TIMEOUT)
    form = reporter.locator("#entry-form")
    expect(form).to_have_attribute("data-readonly", "", timeout=TIMEOUT)
    expect(form.locator('[name^="v:"], [name^="c:"]')).to_have_count(0, timeout=TIMEOUT)
    # (the "only rows with findings" filter is a way of looking, not of editing)
    fields = "input:not([type=hidden]):not([data-only-findings]):enabled"
    expect(form.locator(f"{fields}, textarea:enabled, select:enabled")
           ).to_have_count(0, timeout=TIMEOUT)
    expect(reporter.get_by_test_id("submit")).to_have_count(0, timeout=TIMEOUT)
    expect(reporter.get_by_test_id("save")).to_have_count(0, timeout=TIMEOUT)
    expect(reporter.get_by_role("link", name="Tải tệp báo cáo lên")).to_have_count(
        0, timeout=TIMEOUT)
    expect(reporter.locator(f'[id="cell-{rate.id}"] .readonly')).to_have_text("96",
                                                                              timeout=TIMEOUT)
    shot(reporter, "3-8-read-only", at=reporter.locator(f'[id="row-{rate.id}"]'))

    # 7. The audit trail shows every status change, in order, with the return reason.
    reporter.goto(f"{form_url}lich-su/")
    audit = reporter.get_by_test_id("audit").locator("tbody tr")
    status_rows = audit.filter(has=action_cell(reporter, "Chuyển trạng thái"))
    transitions = [
        (cells[4].strip(), cells[5].strip())
        for cells in status_rows.evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.textContent))")]
    assert list(reversed(transitions)) == [  # the table shows the newest first
        ("Nháp", "Đã gửi"), ("Đã gửi", "Trả lại"), ("Trả lại", "Đã gửi"),
        ("Đã gửi", "Đã duyệt")], transitions
    expect(status_rows.filter(has_text=reason)).to_have_count(1, timeout=TIMEOUT)
    # every explanation written, and the one of the corrected rate taken off its row
    explained = audit.filter(has=action_cell(reporter, "Giải trình"))
    expect(explained).to_have_count(len(items) + 1, timeout=TIMEOUT)
    expect(explained.filter(has_text="giải trình không còn áp dụng")).to_have_count(
        1, timeout=TIMEOUT)
    shot(reporter, "3-9-audit", full=True)


def test_session_expiry_keeps_typed_values(
        live_server: object, demo_data: Seeded, new_page: Open) -> None:
    base = str(live_server)
    form_url = f"{base}/bao-cao/{demo_data.seeded_id}/"
    _, _, _, count = commune_items(demo_data.new_form)
    name = f"v:{count.id}"
    page = new_page()
    log_in(page, base, REPORTER)
    page.goto(form_url)
    field = page.locator(f'[name="{name}"]')
    expect(field).to_have_value("35", timeout=TIMEOUT)
    lost = page.locator("#session-lost")
    expect(lost).to_be_hidden(timeout=TIMEOUT)

    # The session ends (expired, or logged out in another tab); the CSRF cookie stays.
    page.context.clear_cookies(name="sessionid")
    with page.expect_response(is_autosave, timeout=TIMEOUT) as answer:
        field.fill("4321")
        field.press("Tab")
    assert answer.value.status == 401, answer.value.status
    expect(lost).to_be_visible(timeout=TIMEOUT)
    expect(lost).to_contain_text("Phiên đăng nhập đã hết hạn", timeout=TIMEOUT)
    expect(field).to_have_value("4321", timeout=TIMEOUT)  # still on the screen
    shot(page, "4-1-session-lost", at=lost)

    # Log in again from the banner's link, which leads back to the form.
    lost.get_by_role("link", name="Đăng nhập lại").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next="), timeout=TIMEOUT)
    fill_login(page, REPORTER)
    expect(page).to_have_url(form_url, timeout=TIMEOUT)
    restore = page.locator("#restore")
    expect(restore).to_be_visible(timeout=TIMEOUT)
    expect(restore.locator("[data-restore-count]")).to_have_text("1", timeout=TIMEOUT)
    expect(field).to_have_value("35", timeout=TIMEOUT)  # the server never got it
    shot(page, "4-2-restore-offered", at=restore)

    with page.expect_response(is_autosave, timeout=TIMEOUT) as answer:
        restore.locator("[data-restore]").click()
    assert answer.value.status == 200, (answer.value.status, answer.value.text()[:500])
    expect(restore).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc", timeout=TIMEOUT)
    expect(field).to_have_value("4.321", timeout=TIMEOUT)
    shot(page, "4-3-restored", at=field)

    page.reload()
    expect(page.locator(f'[name="{name}"]')).to_have_value("4.321", timeout=TIMEOUT)
    stored = orm(lambda: Entry.objects.get(submission_id=demo_data.seeded_id,
                                           item_id=count.id).raw)
    assert stored == "4.321"


def test_a_saved_value_is_not_offered_for_restore_later(
        live_server: object, demo_tree: Demo, new_page: Open) -> None:
    base = str(live_server)
    _, _, _, count = commune_items(demo_tree.new_form)
    page = new_page()
    log_in(page, base, REPORTER)
    open_new_report(page, base, NEW_PERIOD)
    type_and_save(page, f"v:{count.id}", "1241")
    expect(page.locator(f'[name="v:{count.id}"]')).to_have_value("1.241", timeout=TIMEOUT)
    page.reload()  # waits for the load event: app.js (deferred) has decided on the banner
    expect(page.locator(f'[name="v:{count.id}"]')).to_have_value("1.241", timeout=TIMEOUT)
    shot(page, "5-restore-offered-for-a-saved-value")
    assert page.locator("#restore").is_hidden()


def test_typing_in_the_next_field_survives_the_autosave(
        live_server: object, demo_tree: Demo, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REPORTER)
    open_new_report(page, base, NEW_PERIOD)
    _, numerator, _, count = commune_items(demo_tree.new_form)
    first = page.locator(f'[name="v:{count.id}"]')
    second = page.locator(f'[name="v:{numerator.id}"]')
    with page.expect_response(is_autosave, timeout=TIMEOUT) as answer:
        first.fill("5")
        second.click()  # leaving the first field autosaves it
        page.keyboard.type("24")  # typed while that save is on its way
    assert answer.value.status == 200
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc", timeout=TIMEOUT)
    expect(first).to_have_value("5", timeout=TIMEOUT)
    shot(page, "6-typing-during-autosave", at=second)
    assert second.input_value() == "24"


def test_the_suggested_rate_follows_the_values_on_the_screen(
        live_server: object, demo_tree: Demo, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REPORTER)
    open_new_report(page, base, NEW_PERIOD)
    rate, numerator, denominator, _ = commune_items(demo_tree.new_form)
    suggest = page.locator(f'[id="d-{rate.id}"] button.suggest')
    type_and_save(page, f"v:{numerator.id}", "24")
    type_and_save(page, f"v:{denominator.id}", "25")
    expect(suggest).to_have_text("Tính được: 96%", timeout=TIMEOUT)
    type_and_save(page, f"v:{numerator.id}", "30")
    expect(suggest).to_have_text("Tính được: 120%", timeout=TIMEOUT)
    type_and_save(page, f"v:{numerator.id}", "24")
    expect(suggest).to_have_text("Tính được: 96%", timeout=TIMEOUT)
    shot(page, "7-1-suggestion-redrawn", at=page.locator(f'[id="row-{rate.id}"]'))

    # Typed but not saved yet: the old suggestion must not be written. (Clicked from
    # script, so that the numerator keeps the focus and is not saved meanwhile.)
    page.locator(f'[name="v:{numerator.id}"]').fill("20")
    suggest.evaluate("button => button.click()")
    expect(page.locator("#save-status")).to_contain_text("Tử số hoặc mẫu số vừa thay đổi",
                                                         timeout=TIMEOUT)
    expect(page.locator(f'[name="v:{rate.id}"]')).to_have_value("", timeout=TIMEOUT)
    expect(suggest).to_have_count(0, timeout=TIMEOUT)  # the stale one is gone
    # The numerator saved brings the new suggestion: 80 %.
    with page.expect_response(is_autosave, timeout=TIMEOUT):
        page.locator(f'[name="v:{numerator.id}"]').press("Tab")
    expect(suggest).to_have_text("Tính được: 80%", timeout=TIMEOUT)
    with page.expect_response(is_autosave, timeout=TIMEOUT) as answer:
        suggest.click()
    assert answer.value.status == 200
    expect(page.locator(f'[name="v:{rate.id}"]')).to_have_value("80", timeout=TIMEOUT)
    expect(findings(page, rate.id).locator(".finding.sev-error")).to_have_count(
        0, timeout=TIMEOUT)
    expect(suggest).to_have_count(0, timeout=TIMEOUT)
    stored = orm(lambda: Entry.objects.get(submission__unit__code=UNIT_CODE,
                                           submission__period__kind="year",
                                           item_id=rate.id).raw)
    assert stored == "80"
    shot(page, "7-2-suggestion-filled", at=page.locator(f'[id="row-{rate.id}"]'))


def test_findings_are_listed_filtered_and_counted_as_explained(
        live_server: object, demo_data: Seeded, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REPORTER)
    page.goto(f"{base}/bao-cao/{demo_data.seeded_id}/")
    summary = page.get_by_test_id("summary")
    errors = len(demo_data.seeded_errors)
    expect(summary).to_contain_text(f"{errors} lỗi chưa giải trình / 0 lỗi đã giải trình",
                                    timeout=TIMEOUT)
    listing = page.get_by_test_id("listing")
    first = sorted(demo_data.seeded_errors, key=lambda i: [int(p) for p in i.split(".")
                                                            if p.isdigit()])[0]
    link = listing.locator(f'a[data-jump="{first}"]').first
    if not listing.is_visible():
        summary.locator("summary").click()
    link.click()
    row = page.locator(f'[id="row-{first}"]')
    expect(row).to_be_in_viewport(timeout=TIMEOUT)
    shot(page, "8-1-jumped-to-row", at=row)

    # Only the rows with findings.
    page.locator("[data-only-findings]").check()
    visible = page.locator("#entry-table tbody tr[data-item]:visible")
    with_findings = page.locator("#entry-table tbody tr[data-item].has-findings")
    expect(visible).to_have_count(with_findings.count(), timeout=TIMEOUT)
    assert 0 < with_findings.count() < page.locator("#entry-table tbody tr[data-item]").count()
    shot(page, "8-2-only-rows-with-findings")

    # An explanation moves one error from "chưa" to "đã giải trình", in the summary at once.
    type_and_save(page, f"c:{first}", "Số liệu theo kế hoạch đã điều chỉnh.")
    expect(summary).to_contain_text(
        f"{errors - 1} lỗi chưa giải trình / 1 lỗi đã giải trình", timeout=TIMEOUT)
    # The submit button at the bottom; the refusal names the rows still unexplained.
    bottom = page.get_by_test_id("submit-bottom")
    expect(bottom).to_be_visible(timeout=TIMEOUT)
    bottom.click()
    refused = page.locator(".messages li.error")
    expect(refused).to_contain_text(
        f"Còn {errors - 1} lỗi chưa giải trình / 1 lỗi đã giải trình", timeout=TIMEOUT)
    expect(refused).to_contain_text("Các dòng còn lỗi chưa giải trình:", timeout=TIMEOUT)
    shot(page, "8-3-refusal-names-rows", at=refused)


def _whole_with_generated() -> int:
    demo.build(sample_dir())
    return periods.ensure("half_year", 2022).pk


@pytest.fixture
def demo_generated(transactional_db: None, fast_passwords: None) -> int:
    """The whole demo with its generated reports; the id of 6 tháng đầu năm 2022."""
    return orm(_whole_with_generated)


def test_the_district_aggregates_drills_down_fills_its_report_and_sends_it(
        live_server: object, demo_generated: int, new_page: Open) -> None:
    base = str(live_server)
    page = new_page()
    log_in(page, base, REVIEWER)
    # from the home page, straight to the aggregate
    home = page.get_by_test_id("home-aggregates")
    home.get_by_role("link", name=SEEDED_PERIOD).click()
    expect(page.locator("h1")).to_contain_text(f"Huyện Cẩm Xuyên – {SEEDED_PERIOD}",
                                               timeout=TIMEOUT)
    expect(page.get_by_test_id("coverage")).to_contain_text("3/4 xã", timeout=TIMEOUT)
    expect(page.get_by_test_id("waiting")).to_contain_text("Xã Cẩm Hưng", timeout=TIMEOUT)
    shot(page, "9-1-aggregate")

    row = page.locator('[id="agg-1.2.1"]')
    total = row.get_by_test_id("value").inner_text()
    assert total and total.replace(".", "").isdigit(), total
    row.locator("details summary").click()
    detail = row.get_by_test_id("detail")
    expect(detail.locator("tbody tr")).to_have_count(3, timeout=TIMEOUT)
    expect(detail).to_contain_text("Xã Cẩm Thịnh", timeout=TIMEOUT)
    values = [int(t.replace(".", "")) for t in detail.locator("tbody tr td:nth-child(2)")
              .all_inner_texts()]
    assert sum(values) == int(total.replace(".", ""))  # the total is its rows' sum
    shot(page, "9-2-drill-down", at=row)
    with page.expect_navigation():
        detail.get_by_role("link", name="Xem báo cáo").first.click()
    expect(page.get_by_test_id("status")).to_have_text("Đã duyệt", timeout=TIMEOUT)
    page.go_back()

    # fill the district's own report from the aggregate, then send it
    page.get_by_test_id("fill").click()
    expect(page.locator(".messages li.success")).to_contain_text(
        "từ số liệu tổng hợp", timeout=TIMEOUT)
    expect(page.get_by_test_id("status")).to_have_text("Nháp", timeout=TIMEOUT)
    expect(page.locator('[name="v:1.2.1"]')).to_have_value(total, timeout=TIMEOUT)
    shot(page, "9-3-filled-from-aggregate", at=page.locator('[id="row-1.2.1"]'))
    errors = page.locator("tr[data-item]").filter(has=page.locator(".finding.sev-error"))
    for item in errors.evaluate_all("rows => rows.map(r => r.dataset.item)"):
        type_and_save(page, f"c:{item}", "Số liệu tổng hợp từ các xã.")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã gửi", timeout=TIMEOUT)
    shot(page, "9-4-sent")
    page.goto(f"{page.url}lich-su/")
    expect(page.get_by_test_id("audit")).to_contain_text("Tổng hợp từ cấp dưới",
                                                         timeout=TIMEOUT)
