"""The "Tổng hợp" page: the aggregate of a unit of one's subtree laid out in its form,
drill-down to every unit's value, filling one's own draft from it, and permissions."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing, periods, reporting, workflow
from cchc_web.catalog import form_for
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Entry, Membership, OrgUnit, Submission

Login = Callable[[str], Client]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def communes(tree: dict[str, OrgUnit]) -> dict[str, Submission]:
    """Cẩm Hưng approved, Cẩm Thịnh submitted, for 6 tháng đầu năm 2022."""
    period = periods.ensure("half_year", 2022)
    thinh = User.objects.create_user("xa.camthinh", password="x")
    Membership.objects.create(user=thinh, unit=tree["42.H01.X02"], role="reporter")
    reviewer = User.objects.get(username="huyen.camxuyen")
    out = {}
    for code, user, values, approve in (
            ("42.H01.X01", User.objects.get(username="xa.camhung"),
             {"1.1": "3", "1.2.1": "25", "1.2.2": "24"}, True),
            ("42.H01.X02", thinh, {"1.1": "4", "1.2.1": "15", "1.2.2": "6"}, False)):
        unit = tree[code]
        the_form = form_for(unit, period)
        assert the_form is not None
        s = workflow.open_draft(unit.pk, period.pk, the_form.id, user)
        editing.save(s.pk, user, [Change("value", k, "", v) for k, v in values.items()])
        workflow.submit(s.pk, user)
        if approve:
            workflow.approve(s.pk, reviewer)
        out[code] = s
    return out


def _page(client: Client, **query: str) -> tuple[int, str]:
    response = client.get(reverse("aggregate"), query)
    return response.status_code, response.content.decode()


def test_the_district_reviewer_sees_its_aggregate_at_once(
        communes: dict[str, Submission], login: Login) -> None:
    period = periods.ensure("half_year", 2022)
    status, html = _page(login("huyen.camxuyen"), ky=str(period.pk))
    assert status == 200
    text = _text(html)
    assert "Tổng hợp số liệu: Huyện Cẩm Xuyên – 6 tháng đầu năm 2022" in text
    assert "1/4 xã đã có báo cáo được tính (chỉ báo cáo đã duyệt)" in text
    assert "Xã Cẩm Thịnh" in text  # waiting: submitted, not approved yet
    row = html.split('id="agg-1.2.1"')[1].split("</tr>")[0]
    assert ">25<" in row and "1/4" in row
    status, html = _page(login("huyen.camxuyen"), ky=str(period.pk), **{"trang-thai": "submitted"})
    row = html.split('id="agg-1.2"')[1].split("</tr>")[0]
    assert "75" in row and "2/4" in row  # 30/40 recomputed


def test_a_row_opens_onto_each_units_value_and_report(
        communes: dict[str, Submission], login: Login) -> None:
    period = periods.ensure("half_year", 2022)
    response = login("huyen.camxuyen").get(reverse("aggregate-detail"), {
        "don-vi": "42.H01", "ky": str(period.pk), "trang-thai": "submitted",
        "chi-tieu": "1.2"})
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Xã Cẩm Hưng 96 (24/25) Đã duyệt" in text
    assert "Xã Cẩm Thịnh 40 (6/15) Đã gửi" in text
    assert f'href="/bao-cao/{communes["42.H01.X01"].pk}/"' in response.content.decode()


def test_permissions_and_no_leak(communes: dict[str, Submission], login: Login) -> None:
    period = str(periods.ensure("half_year", 2022).pk)
    assert _page(login("xa.camhung"), ky=period)[0] == 403
    district = login("huyen.camxuyen")
    assert _page(district, ky=period, **{"don-vi": "42.H02"})[0] == 404  # Kỳ Anh
    assert _page(district, ky=period, **{"don-vi": "42"})[0] == 404  # the province above
    detail = district.get(reverse("aggregate-detail"), {"don-vi": "42.H02", "ky": period,
                                                        "chi-tieu": "1.1"})
    assert detail.status_code == 404
    _, html = _page(district, ky=period)
    assert "Kỳ Xuân" not in html and "Kỳ Anh" not in html
    status, html = _page(login("tinh.hatinh"), ky=period, **{"don-vi": "42.H01"})
    assert status == 200 and "1/4 xã" in _text(html)
    assert Client().get(reverse("aggregate")).status_code == 302  # to the login page


def test_the_district_fills_its_own_draft_from_the_aggregate(
        communes: dict[str, Submission], login: Login) -> None:
    period = periods.ensure("half_year", 2022)
    client = login("huyen.camxuyen")
    done = client.post(reverse("aggregate-fill"), {"don-vi": "42.H01", "ky": str(period.pk),
                                                   "trang-thai": "submitted", "mode": "fill"})
    assert done.status_code == 302
    own = Submission.objects.get(unit__code="42.H01", period=period)
    assert done["Location"] == reverse("submission", args=[own.pk])
    values = dict(Entry.objects.filter(submission=own).values_list("item_id", "raw"))
    assert values["1.2.1"] == "40" and values["1.2.2"] == "30" and values["1.2"] == "75"
    assert Entry.objects.get(submission=own, item_id="1.2.1").derived
    event = AuditEvent.objects.filter(submission=own, via="aggregate", field="1.2.1").get()
    assert "2/4 đơn vị" in event.comment and "đã gửi" in event.comment
    # the narrative is drafted from the figures into the empty sections, audited
    drafted = dict(own.narratives.values_list("section", "text"))
    assert set(drafted) == {"I", "II", "III", "IV", "V"}
    assert drafted["I"].startswith("I. CÔNG TÁC CHỈ ĐẠO") and "2/4" in drafted["I"]
    assert AuditEvent.objects.filter(submission=own, via="aggregate", action="narrative"
                                     ).count() == 5
    user = User.objects.get(username="huyen.camxuyen")
    editing.save(own.pk, user, [Change("narrative", "III", drafted["III"], "Đánh giá riêng.")])
    client.post(reverse("aggregate-fill"), {"don-vi": "42.H01", "ky": str(period.pk),
                                            "trang-thai": "submitted", "mode": "fill"})
    assert own.narratives.get(section="III").text == "Đánh giá riêng."  # kept
    # what the district then types is its own again
    editing.save(own.pk, user, [Change("value", "1.1", values.get("1.1", ""), "12")])
    assert not Entry.objects.get(submission=own, item_id="1.1").derived
    # the province does not count the district's filled-in figures beside its communes'
    province = reporting.aggregate(OrgUnit.objects.get(code="42"), period, "all")
    planned = province.concepts["plan.tasks.planned"]
    assert planned.value == 40
    assert ("42.H01", "from-aggregate") in planned.left_out


def test_filling_is_only_for_the_units_own_officer(
        communes: dict[str, Submission], login: Login) -> None:
    period = str(periods.ensure("half_year", 2022).pk)
    response = login("tinh.hatinh").post(reverse("aggregate-fill"), {
        "don-vi": "42.H01", "ky": period, "mode": "fill"})
    assert response.status_code == 403
    assert not Submission.objects.filter(unit__code="42.H01").exists()


def test_the_reviewers_home_page_links_to_its_aggregates(
        communes: dict[str, Submission], login: Login) -> None:
    html = login("tinh.hatinh").get(reverse("home")).content.decode()
    assert 'data-testid="home-aggregates"' in html
    assert "6 tháng đầu năm 2022</a>: 2 báo cáo đã gửi" in html
    commune = login("xa.camhung").get(reverse("home")).content.decode()
    assert 'data-testid="home-aggregates"' not in commune


def test_the_districts_own_figure_is_checked_against_its_communes(
        communes: dict[str, Submission], login: Login) -> None:
    period = periods.ensure("half_year", 2022)
    district = OrgUnit.objects.get(code="42.H01")
    the_form = form_for(district, period)
    assert the_form is not None
    user = User.objects.get(username="huyen.camxuyen")
    own = workflow.open_draft(district.pk, period.pk, the_form.id, user)
    editing.save(own.pk, user, [Change("value", "1.2.1", "", "99"),
                                Change("value", "1.1", "", "7")])  # 3 + 4: agrees
    client = login("huyen.camxuyen")
    page = _text(client.get(reverse("submission", args=[own.pk])).content.decode())
    assert "So với báo cáo của cấp dưới" in page
    assert ("Huyện ghi 99 (Số nhiệm vụ đề ra trong kế hoạch); tổng các xã đã gửi là 40 "
            "(2/4 xã).") in page
    assert "(Số văn bản chỉ đạo" not in page.split("So với báo cáo của cấp dưới")[1]
    status, html = _page(client, ky=str(period.pk), **{"trang-thai": "submitted"})
    assert status == 200
    row = _text(html.split('id="agg-1.2.1"')[1].split("</tr>")[0])
    assert "40" in row and "99" in row and "tổng các xã đã gửi là 40" in row
    # a commune's page has no such section
    commune = login("xa.camhung").get(reverse("submission", args=[communes["42.H01.X01"].pk]))
    assert "So với báo cáo của cấp dưới" not in commune.content.decode()


def test_a_province_without_a_form_sees_its_units_form_in_words(
        communes: dict[str, Submission], login: Login) -> None:
    period = periods.ensure("half_year", 2022)
    status, html = _page(login("tinh.hatinh"), ky=str(period.pk), **{"don-vi": "42"})
    assert status == 200
    row = _text(html.split('id="agg-1.2.1"')[1].split("</tr>")[0])
    assert "Nhiệm vụ" in row  # the unit of the form the rows follow
    waiting = _text(html.split('data-testid="waiting"')[1].split("</p>")[0])
    assert "(Đã gửi)" in waiting and "submitted" not in waiting
