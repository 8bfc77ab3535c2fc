"""The reviewer's queue: one line per submission of the subtree with its status, counts of
errors and warnings, deadline, date sent and a late mark, in Vietnamese order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.vietnamese import sort_key
from cchc_web import editing, workflow
from cchc_web.editing import Change
from cchc_web.models import Deadline, Submission

Login = Callable[[str], Client]


def _lines(html: str) -> list[list[str]]:
    """The queue's lines, each as the texts of its cells."""
    body = html.split('data-testid="queue"', 1)[1].split("</tbody>", 1)[0]
    return [[c.strip() for c in re.sub(r"<[^>]+>", "|", tr).split("|") if c.strip()]
            for tr in body.split("<tr>")[2:]]


def test_a_late_report_with_an_explained_error_is_listed_with_its_counts(
        drafts: dict[str, Submission], login: Login) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "60"),
                              Change("comment", "1.2", "", "Theo kế hoạch cũ.")])
    workflow.submit(s.pk, user)
    sent = timezone.localdate()
    Deadline.objects.filter(period=s.period, level=s.unit.level).update(
        due=sent - dt.timedelta(days=3))
    html = login("huyen.camxuyen").get(reverse("queue") + "?trang-thai=submitted"
                                       ).content.decode()
    (cells,) = _lines(html)
    due = (sent - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert cells[:4] == [s.unit.name, s.period.label, "Đã gửi",
                         "0 chưa giải trình / 1 đã giải trình"]
    assert cells[5:] == [due, sent.strftime("%d/%m/%Y"), "muộn", "Xem"]
    assert f'href="{reverse("submission", args=[s.pk])}"' in html


def test_the_queue_lists_the_subtree_only_in_vietnamese_order(
        drafts: dict[str, Submission], login: Login) -> None:
    html = login("tinh.hatinh").get(reverse("queue") + "?trang-thai=all").content.decode()
    names = [line[0] for line in _lines(html)]
    assert names == sorted(names, key=sort_key)
    assert set(names) == {"Xã Cẩm Hưng", "Xã Kỳ Xuân"}
    district = login("huyen.camxuyen").get(reverse("queue") + "?trang-thai=all")
    assert [line[0] for line in _lines(district.content.decode())] == [
        "Xã Cẩm Hưng"]
