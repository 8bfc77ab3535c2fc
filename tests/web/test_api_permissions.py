"""The permission matrix of the JSON API: every endpoint, with a token of each persona and
without one, answers as the page showing the same thing answers — and lists, counts and
aggregates hold nothing the pages would not show.

Personas as in test_access: the province reviewer (tinh.hatinh), the district reviewer
above the commune (huyen.camxuyen), the commune's officer (xa.camhung), the officer of an
unrelated commune in another district (xa.kyxuan), the administrator (quantri), and nobody
(None). Invisible objects are 404, a visible one with a forbidden action 403, no
credentials 401."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cchc_web import periods, workflow
from cchc_web.api import keys
from cchc_web.catalog import form_for
from cchc_web.editing import Change, save
from cchc_web.models import OrgUnit, Submission

PERSONAS = ("tinh.hatinh", "huyen.camxuyen", "xa.camhung", "xa.kyxuan", "quantri", None)
REVIEWERS = ("tinh.hatinh", "huyen.camxuyen", "quantri")
Login = Callable[[str], Client]
PAGE_LOGIN = 302  # the pages send an anonymous visitor to the login page


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reports(drafts: dict[str, Submission]) -> dict[str, Submission]:
    """The two commune drafts (Cẩm Hưng's sent), the district's own draft, and a report of
    another province (Thị xã Hương Trà), all of 6 tháng 2022."""
    period = periods.ensure("half_year", 2022)
    out = dict(drafts)
    for code, username in (("42.H01", "huyen.camxuyen"), ("46.H01", "tx.huongtra")):
        unit = OrgUnit.objects.get(code=code)
        the_form = form_for(unit, period)
        assert the_form is not None
        user = User.objects.get(username=username)
        s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
        save(s.pk, user, [Change("value", "1.1", "", "3")] if code == "42.H01" else [])
        out[code] = s
    Submission.objects.filter(pk=drafts["42.H01.X01"].pk).update(status="submitted")
    return out


class Api:
    """A client sending a token of `persona` (none for None)."""

    def __init__(self, persona: str | None) -> None:
        self.headers = {}
        if persona is not None:
            user = User.objects.get(username=persona)
            self.headers = {"Authorization": f"Bearer {keys.issue(user, 'ma trận').secret}"}

    def get(self, url: str, **params: Any) -> Any:
        return Client().get(url, params, headers=self.headers)


def _page_client(login: Login, persona: str | None) -> Client:
    return login(persona) if persona else Client()


def _api_status(page_status: int) -> int:
    """What the API answers where the page answers `page_status`."""
    return 401 if page_status == PAGE_LOGIN else page_status


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("what", ["detail", "file", "docx"])
def test_reading_a_submission_answers_as_its_pages(
        reports: dict[str, Submission], login: Login, persona: str | None, what: str) -> None:
    s = reports["42.H01.X01"]
    file_id = s.files.get().pk
    api = {"detail": f"/api/v1/submissions/{s.pk}",
           "file": f"/api/v1/submissions/{s.pk}/files/{file_id}",
           "docx": f"/api/v1/submissions/{s.pk}/document.docx"}[what]
    page = {"detail": reverse("submission", kwargs={"pk": s.pk}),
            "file": reverse("source-file", kwargs={"pk": s.pk, "file_id": file_id}),
            "docx": reverse("submission-document", kwargs={"pk": s.pk, "fmt": "docx"})}[what]
    expected = {"tinh.hatinh": 200, "huyen.camxuyen": 200, "xa.camhung": 200,
                "xa.kyxuan": 404, "quantri": 200, None: 401}[persona]
    assert Api(persona).get(api).status_code == expected
    assert _api_status(_page_client(login, persona).get(page).status_code) == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("unit", ["42.H01", "42.H02", "42"])
def test_aggregates_answer_as_the_tong_hop_page(
        reports: dict[str, Submission], login: Login, persona: str | None, unit: str) -> None:
    period = reports["42.H01.X01"].period
    expected = {
        "42.H01": {"tinh.hatinh": 200, "huyen.camxuyen": 200, "quantri": 200},
        "42.H02": {"tinh.hatinh": 200, "huyen.camxuyen": 404, "quantri": 200},
        "42": {"tinh.hatinh": 200, "huyen.camxuyen": 404, "quantri": 200},
    }[unit].get(persona, 401 if persona is None else 403)
    api = Api(persona)
    params = {"unit": unit, "period": str(period.pk), "status": "all"}
    assert api.get("/api/v1/aggregates", **params).status_code == expected
    document = api.get("/api/v1/aggregates/document.docx", **params)
    assert document.status_code == expected
    page = _page_client(login, persona).get(reverse("aggregate"), {
        "don-vi": unit, "ky": period.pk, "trang-thai": "all"})
    assert _api_status(page.status_code) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_completeness_is_for_reviewers_and_lists_what_the_page_lists(
        reports: dict[str, Submission], login: Login, persona: str | None) -> None:
    period = reports["42.H01.X01"].period
    response = Api(persona).get("/api/v1/completeness", period=f"half_year:{period.year}")
    page = _page_client(login, persona).get(
        reverse("completeness", kwargs={"period_id": period.pk}))
    expected = 200 if persona in REVIEWERS else 401 if persona is None else 403
    assert response.status_code == expected
    assert _api_status(page.status_code) == expected
    if expected != 200:
        return
    shown = [html.unescape(name) for state, name in re.findall(
        r'<tr class="state-(\w+)">.*?<td>.*?</td>\s*<td>(.*?)</td>', page.content.decode(),
        re.S)]
    listed = response.json()
    assert shown
    assert [u["unit"]["name"] for u in listed["units"]] == shown
    assert sum(listed["counts"].values()) == len(shown)
    names = set(shown)
    if persona == "huyen.camxuyen":
        assert "Xã Cẩm Hưng" in names and "Xã Kỳ Xuân" not in names
        assert "Huyện Cẩm Xuyên" not in names  # its own report is not one it reviews


def _page_ids(client: Client, ids: list[int]) -> set[int]:
    """The submissions among `ids` whose page opens for `client`."""
    return {pk for pk in ids
            if client.get(reverse("submission", kwargs={"pk": pk})).status_code == 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_of_submissions_holds_exactly_what_the_pages_open(
        reports: dict[str, Submission], login: Login, persona: str | None) -> None:
    response = Api(persona).get("/api/v1/submissions", limit="500")
    if persona is None:
        assert response.status_code == 401
        return
    body = response.json()
    listed = {item["id"] for item in body["items"]}
    assert body["total"] == len(listed)
    every = list(Submission.objects.values_list("pk", flat=True))
    assert listed == _page_ids(login(persona), every)
    if persona in REVIEWERS:  # and the reviewer queue shows the same
        queue = login(persona).get(reverse("queue"), {"trang-thai": "all"}).content.decode()
        assert listed == {int(pk) for pk in re.findall(r'href="/bao-cao/(\d+)/"', queue)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_counts_of_a_filtered_list_leak_nothing(
        reports: dict[str, Submission], persona: str | None) -> None:
    api = Api(persona)
    district = api.get("/api/v1/submissions", unit="42.H01")
    other_province = api.get("/api/v1/submissions", unit="46.H01")
    if persona is None:
        assert district.status_code == other_province.status_code == 401
        return
    sees_district = persona in ("tinh.hatinh", "huyen.camxuyen", "quantri")
    assert district.status_code == (200 if sees_district else 404)
    assert other_province.status_code == (200 if persona == "quantri" else 404)
    if sees_district:
        codes = {i["unit"]["code"] for i in district.json()["items"]}
        assert codes == {"42.H01", "42.H01.X01"}
        assert district.json()["total"] == 2
    mine = api.get("/api/v1/submissions", status="draft").json()
    drafts = {i["unit"]["code"] for i in mine["items"]}
    assert mine["total"] == len(mine["items"])
    assert drafts == {"tinh.hatinh": {"42.H01", "42.H02.X01"},
                      "huyen.camxuyen": {"42.H01"}, "xa.camhung": set(),
                      "xa.kyxuan": {"42.H02.X01"},
                      "quantri": {"42.H01", "42.H02.X01", "46.H01"}}[persona]


def _page_codes(client: Client) -> set[str]:
    text = client.get(reverse("units")).content.decode()
    return set(re.findall(r'<span class="muted small">[^<]*· ([0-9A-Z.]+)</span>', text))


@pytest.mark.parametrize("persona", PERSONAS)
def test_units_are_those_of_the_units_page(
        reports: dict[str, Submission], login: Login, persona: str | None) -> None:
    api = Api(persona)
    response = api.get("/api/v1/units")
    one = api.get("/api/v1/units/42.H01.X01")
    other = api.get("/api/v1/units/46.H01")
    if persona is None:
        assert response.status_code == one.status_code == other.status_code == 401
        return
    codes = {u["code"] for u in response.json()}
    assert codes == _page_codes(login(persona))
    assert one.status_code == (404 if persona == "xa.kyxuan" else 200)
    assert other.status_code == (200 if persona == "quantri" else 404)
    expected = {"xa.camhung": {"42.H01.X01"}, "xa.kyxuan": {"42.H02.X01"}}.get(persona)
    if expected is not None:
        assert codes == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["/api/v1/periods", "/api/v1/forms",
                                 "/api/v1/forms/ha-tinh-phu-luc-1b-2022"])
def test_periods_and_forms_are_for_every_logged_in_user(
        reports: dict[str, Submission], persona: str | None, url: str) -> None:
    assert Api(persona).get(url).status_code == (401 if persona is None else 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_aggregate_counts_only_what_its_reader_may_open(
        reports: dict[str, Submission], persona: str | None) -> None:
    """The district's aggregate lists the units below it only, for whoever may open it."""
    period = reports["42.H01.X01"].period
    response = Api(persona).get("/api/v1/aggregates", unit="42.H01",
                                period=str(period.pk), status="all")
    if persona not in REVIEWERS:
        assert response.status_code == (401 if persona is None else 403)
        return
    body = response.json()
    assert body["coverage"]["expected"] == 4
    seen = {u["code"] for c in body["concepts"] for u in c["units"]}
    assert seen and seen <= {"42.H01.X01", "42.H01.X02", "42.H01.X03", "42.H01.X04"}
