"""Errors are counted as explained or not, everywhere; an explanation whose error has gone
no longer claims anything (its text stays in the audit trail)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing, workflow
from cchc_web.editing import STALE_EXPLANATION, Change
from cchc_web.models import AuditEvent, Entry, Submission

Login = Callable[[str], Client]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_summary_counts_explained_and_unexplained_errors(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "60"),  # rate-mismatch
                              Change("value", "1.3.3", "", "150")])  # a rate over 100 %
    s.refresh_from_db()
    assert s.error_count >= 2 and s.explained_count == 0
    editing.save(s.pk, user, [Change("comment", "1.2", "", "Theo kế hoạch điều chỉnh.")])
    s.refresh_from_db()
    assert s.explained_count == 1
    html = _text(login("xa.camhung").get(reverse("submission", kwargs={"pk": s.pk})
                                         ).content.decode())
    assert f"{s.error_count - 1} lỗi chưa giải trình / 1 lỗi đã giải trình" in html
    assert "Lỗi chưa giải trình phải được sửa hoặc giải trình trước khi gửi" in html
    assert re.search(r"Dòng 1\.2 ?:", html) and "(đã giải trình)" in html  # the list


def test_an_explanation_is_dropped_when_its_error_goes(drafts: dict[str, Submission],
                                                       login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "60")])
    editing.save(s.pk, user, [Change("comment", "1.2", "", "Giải trình cũ.")])
    result = editing.save(s.pk, user, [Change("value", "1.2", "60", "96")])  # fixed
    assert result.dropped == ["1.2"]
    assert Entry.objects.get(submission=s, item_id="1.2").comment == ""
    s.refresh_from_db()
    assert s.explained_count == 0
    event = AuditEvent.objects.filter(submission=s, action="comment").first()
    assert event is not None and event.old == "Giải trình cũ." and event.new == ""
    assert event.comment == STALE_EXPLANATION
    html = login("xa.camhung").get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
    assert "Giải trình cũ." not in html


def test_a_sent_report_does_not_say_errors_must_be_fixed_before_sending(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "60")])
    editing.save(s.pk, user, [Change("comment", "1.2", "", "Đã rõ.")])
    workflow.submit(s.pk, user)
    html = _text(login("huyen.camxuyen").get(reverse("submission", kwargs={"pk": s.pk})
                                             ).content.decode())
    assert "0 lỗi chưa giải trình / 1 lỗi đã giải trình" in html
    assert "trước khi gửi" not in html


def test_overdue_is_marked_on_the_home_page_queue_and_completeness(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    due = s.period.deadline_for("commune")
    assert due is not None and due < dt.date.today()  # 6 tháng 2022: long past
    home = login("xa.camhung").get(reverse("home")).content.decode()
    row = next(r for r in home.split("<tr>") if "6 tháng đầu năm 2022" in r)
    assert 'data-testid="overdue"' in row and "quá hạn" in row
    reviewer = login("huyen.camxuyen")
    queue = reviewer.get(reverse("queue"), {"trang-thai": "draft"}).content.decode()
    line = next(r for r in queue.split("<tr>") if "Xã Cẩm Hưng" in r)
    assert "quá hạn" in line
    page = _text(reviewer.get(reverse("completeness", kwargs={"period_id": s.period.pk})
                              ).content.decode())
    assert "Chưa gửi, quá hạn" in page
    assert re.search(r"[1-9]\d* chưa gửi và đã quá hạn", page)


def test_a_sent_report_or_a_future_deadline_is_not_overdue() -> None:
    from cchc_web.periods import overdue

    today = dt.date(2026, 12, 4)
    assert overdue(None, dt.date(2026, 12, 3), today)
    assert overdue("returned", dt.date(2026, 12, 3), today)
    assert not overdue("submitted", dt.date(2026, 12, 3), today)
    assert not overdue("approved", dt.date(2026, 12, 3), today)
    assert not overdue("draft", dt.date(2026, 12, 4), today)  # due today: not yet late
    assert not overdue("draft", None, today)
