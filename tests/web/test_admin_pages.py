"""The admin (/quan-tri/) and the error pages, in Vietnamese only: every column, filter,
form label and button an administrator sees; 400/403/404/500 pages like the rest of the
site (the 500 page without database or request); expected 4xx answers logged without a
traceback, real errors with theirs; the demo without Django's debug pages."""

from __future__ import annotations

import gettext
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from cchc_web import urls as site_urls
from cchc_web.catalog import form as catalog_form
from cchc_web.models import AuditEvent, OrgUnit, Period, Submission

Login = Callable[[str], Client]
ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "cchc_web" / "locale" / "vi" / "LC_MESSAGES"

# Words of Django's English interface (and of field names) that no Vietnamese page shows.
ENGLISH = set("""
the and of for with this that by from select selected show hide counts count add change
delete view history save search filter filters action actions model name link list user
users group groups permission permissions password passwords reset set enable disable
enabled disabled raw stored object objects error errors warning warnings field old new via
at submission findings checked true false none all home welcome site administration
django skip main content toggle theme sidebar breadcrumbs navigation items choose remove
available chosen today now date time staff status superuser active first last email
address login joined unknown recent entry entries form deadline lineage membership period
unit page close created updated level due kind code comment note label year start end
can admin authentication based valid value values please
""".split())  # noqa: SIM905 (a word list reads better as text)
WORD = re.compile(r"[^\W\d_]+")
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
# What admin.css hides (display: none): Django's name of each deadline row, which the model
# gives in English ("Deadline object (3)").
HIDDEN_RULE = "#deadlines-group td.original p { display: none; }"
HIDDEN = '//*[@id="deadlines-group"]//td[contains(@class, "original")]/p'


def shown_words(html: str) -> set[str]:
    """The words a person (or a screen reader) meets on the page: text outside scripts and
    styles, tooltips, labels and the text of buttons."""
    page = lxml.html.fromstring(html)
    for hidden in page.xpath(f"//script | //style | //template | {HIDDEN}"):
        hidden.drop_tree()
    texts = [t for t in page.xpath("//text()")]
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        texts += [element.get(a, "") for a in SHOWN_ATTRIBUTES]
        if element.tag == "input" and element.get("type") in ("submit", "button", "reset"):
            texts.append(element.get("value", ""))
    return {w.lower() for t in texts for w in WORD.findall(str(t))}


def english_on(html: str) -> set[str]:
    return shown_words(html) & ENGLISH


def admin_pages(seeded: dict[str, OrgUnit]) -> list[str]:
    """Every kind of admin page: the index and app pages; for each model its list, its add
    form and the change (or view) form and history of one object; a user's password page."""
    pages = [reverse("admin:index"), reverse("admin:app_list", args=["cchc_web"]),
             reverse("admin:app_list", args=["auth"])]
    Group.objects.get_or_create(name="Cán bộ tổng hợp")
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        pages.append(reverse(f"{base}_changelist"))
        if model_admin.has_add_permission(_as_admin()):
            pages.append(reverse(f"{base}_add"))
        first = model.objects.order_by("pk").first()
        assert first is not None, meta.model_name  # the demo has one of each
        pages.append(reverse(f"{base}_change", args=[first.pk]))
        if model is not AuditEvent:  # an audit row's page has no history button
            pages.append(reverse(f"{base}_history", args=[first.pk]))
    quantri = User.objects.get(username="quantri")
    pages.append(reverse("admin:auth_user_password_change", args=[quantri.pk]))
    return pages


def _as_admin() -> HttpRequest:
    request = HttpRequest()
    request.user = User.objects.get(username="quantri")
    return request


# ---------------------------------------------------------------- the admin


def test_every_admin_page_is_in_vietnamese(seeded: dict[str, OrgUnit], login: Login) -> None:
    client = login("quantri")
    found = {}
    for url in admin_pages(seeded):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        if english_on(html):
            found[url] = sorted(english_on(html))
        assert "Hiện số lượng" not in html and "_facets" not in html, url  # no counts toggle
    assert not found, found
    assert HIDDEN_RULE in (ROOT / "cchc_web/static/cchc/admin.css").read_text(encoding="utf-8")


def test_a_filtered_list_and_a_search_stay_in_vietnamese(seeded: dict[str, OrgUnit],
                                                          login: Login) -> None:
    client = login("quantri")
    for url in (reverse("admin:cchc_web_auditevent_changelist") + "?action__exact=status",
                reverse("admin:cchc_web_submission_changelist") + "?status__exact=draft",
                reverse("admin:cchc_web_orgunit_changelist") + "?q=C%E1%BA%A9m",
                reverse("admin:auth_user_changelist") + "?is_superuser__exact=1"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not english_on(response.content.decode()), url


def _headers(html: str) -> list[str]:
    page = lxml.html.fromstring(html)
    return [th.text_content().strip() for th in page.xpath('//table[@id="result_list"]'
                                                            '/thead/tr/th[@scope="col"]')
            if th.text_content().strip()]


def _filters(html: str) -> list[str]:
    page = lxml.html.fromstring(html)
    return [h.text_content().strip()
            for h in page.xpath('//*[@id="changelist-filter"]//details/summary')]


def test_the_audit_list_names_its_columns_and_filters_in_vietnamese(
        seeded: dict[str, OrgUnit], login: Login) -> None:
    html = login("quantri").get(reverse("admin:cchc_web_auditevent_changelist")).content.decode()
    assert _headers(html) == ["Thời gian", "Người thực hiện", "Báo cáo", "Thao tác",
                              "Nội dung", "Cũ", "Mới", "Cách thức", "Ghi chú"]
    assert _filters(html) == ["Bởi loại thay đổi", "Bởi cách thức"]
    assert "Show counts" not in html


def test_the_report_list_shows_form_titles_not_their_ids(seeded: dict[str, OrgUnit],
                                                          login: Login) -> None:
    html = login("quantri").get(reverse("admin:cchc_web_submission_changelist")).content.decode()
    assert _headers(html) == ["Đơn vị", "Kỳ báo cáo", "Biểu mẫu", "Trạng thái", "Số lỗi",
                              "Số cảnh báo", "Trang báo cáo"]
    camhung = Submission.objects.get(unit__code="42.H01.X01")
    the_form = catalog_form(camhung.form_id)
    assert the_form is not None
    page = lxml.html.fromstring(html)
    titles = [td.text_content().strip() for td in page.xpath('//td[@class="field-form_title"]')]
    assert the_form.title in titles
    assert not any(s.form_id in titles for s in Submission.objects.all())


def test_periods_are_listed_with_plain_years_and_short_dates(seeded: dict[str, OrgUnit],
                                                              login: Login) -> None:
    html = login("quantri").get(reverse("admin:cchc_web_period_changelist")).content.decode()
    period = Period.objects.get(kind="half_year", year=2022)
    row = next(tr for tr in lxml.html.fromstring(html).xpath('//table[@id="result_list"]//tr')
               if period.label in tr.text_content())
    cells = [td.text_content().strip() for td in row.xpath("./td")]
    assert "2022" in cells and "2.022" not in cells
    assert period.start.strftime("%d/%m/%Y") in cells


def test_group_permissions_are_named_in_vietnamese(seeded: dict[str, OrgUnit],
                                                   login: Login) -> None:
    html = login("quantri").get(reverse("admin:auth_group_add")).content.decode()
    labels = [label.text_content().strip() for label in
              lxml.html.fromstring(html).xpath('//input[@name="permissions"]/parent::label')]
    assert "Thêm đơn vị" in labels and "Xem nhật ký thay đổi" in labels
    assert not [label for label in labels if label.startswith("Can ")]


def test_the_vietnamese_catalog_fills_what_djangos_lacks() -> None:
    with translation.override("vi"):
        assert translation.gettext("Reset password") == "Đặt lại mật khẩu"
        assert translation.gettext("Skip to main content") == "Bỏ qua, đến nội dung chính"
        # Django's own translations still come first.
        assert translation.gettext("Save") == "Lưu lại"


def _po_entries(text: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        ident = re.search(r'^msgid "(.*)"$', block, re.M)
        value = re.search(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if ident and value and ident.group(1):
            entries[ident.group(1).replace('\\"', '"')] = value.group(1).replace('\\"', '"')
    return entries


def test_the_compiled_catalog_matches_its_source() -> None:
    source = _po_entries((CATALOG / "django.po").read_text(encoding="utf-8"))
    with (CATALOG / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert source
    for ident, text in source.items():
        assert compiled.gettext(ident) == text, f"run msgfmt: {ident!r}"


# ---------------------------------------------------------------- the error pages


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("hỏng thử")


def _bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("tham số sai")


# The site's own pages, and two that fail on purpose.
urlpatterns = [path("hong/", _boom), path("sai/", _bad),
               *site_urls.urlpatterns]
OWN_URLS = "tests.web.test_admin_pages"


def _text(response: HttpResponse) -> str:
    return lxml.html.fromstring(response.content.decode()).text_content()


@pytest.fixture
def live_errors(settings: Any) -> None:
    """Error pages as production shows them."""
    settings.DEBUG = False


def test_an_unknown_address_answers_404_in_vietnamese(tree: dict[str, OrgUnit], login: Login,
                                                      live_errors: None) -> None:
    for client in (Client(), login("xa.camhung")):
        response = client.get("/khong-co-trang-nay/")
        assert response.status_code == 404
        assert "Không tìm thấy trang" in _text(response)
        assert not english_on(response.content.decode())
        assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_forbidden_page_answers_403_in_vietnamese_and_logs_no_traceback(
        tree: dict[str, OrgUnit], login: Login, live_errors: None,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = login("xa.camhung").get(reverse("queue"))  # a reporter, not a reviewer
    assert response.status_code == 403
    assert "Không có quyền" in _text(response)
    assert "Chỉ cán bộ xét duyệt xem được trang này." in _text(response)
    assert not english_on(response.content.decode())
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in records] == ["WARNING"]
    assert records[0].exc_info is None and not records[0].exc_text
    assert "Traceback" not in caplog.text


@pytest.mark.urls(OWN_URLS)
def test_a_crash_answers_500_in_vietnamese_and_keeps_its_traceback(
        db: None, live_errors: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/hong/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp lỗi" in _text(response)
    assert not english_on(response.content.decode())
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is not None
    assert records[0].exc_info[0] is RuntimeError


@pytest.mark.urls(OWN_URLS)
def test_a_bad_request_answers_400_in_vietnamese(db: None, live_errors: None) -> None:
    response = Client().get("/sai/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in _text(response)
    assert not english_on(response.content.decode())


def test_a_stale_form_answers_in_vietnamese(db: None, live_errors: None) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in _text(response)
    assert not english_on(response.content.decode())


@pytest.mark.parametrize("name", ["500.html", "400.html", "403_csrf.html"])
def test_pages_rendered_without_a_request_need_no_database(name: str) -> None:
    # No `db` fixture: any query here fails the test.
    html = loader.get_template(name).render()
    assert 'lang="vi"' in html and "Báo cáo CCHC" in html
    assert not english_on(html)


# ---------------------------------------------------------------- the demo


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DATABASE_URL")}
    env["CCHC_DATA_DIR"] = str(tmp_path / "demo")
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc_web.cli", "demo", "--port", str(port)], cwd=ROOT,
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/dang-nhap/")
                break
            except OSError:
                assert process.poll() is None, "the demo stopped"
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_demo_shows_vietnamese_error_pages_and_still_serves_static_files(
        demo_server: str) -> None:
    status, html = _get(f"{demo_server}/khong-co-trang-nay/")
    assert status == 404
    assert "Không tìm thấy trang" in html and "DEBUG" not in html and "URLconf" not in html
    for asset in ("cchc/app.css", "cchc/app.js", "cchc/print.js", "cchc/htmx-2.0.11.min.js",
                  "admin/css/base.css"):
        assert _get(f"{demo_server}/static/{asset}")[0] == 200, asset


def test_a_report_cannot_be_deleted_in_the_admin_with_its_audit_trail(
        seeded: dict[str, object], login: object) -> None:
    from cchc_web.models import Submission

    s = Submission.objects.first()
    assert s is not None
    client = login("quantri")  # type: ignore[operator]
    page = client.get(f"/quan-tri/cchc_web/submission/{s.pk}/delete/")
    assert page.status_code == 403
    assert Submission.objects.filter(pk=s.pk).exists()


def test_a_bad_host_gets_the_400_page_not_a_500(db: None, settings: object) -> None:
    from django.test import Client

    settings.DEBUG = False  # type: ignore[attr-defined]
    response = Client(HTTP_HOST="ke-la.example").get("/")
    assert response.status_code == 400
