"""Submit → return (with a comment) → fix → resubmit → approve → locked → reopen (admin,
with a reason); errors must be explained before sending; every step audited and noticed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing, workflow
from cchc_web.editing import Change
from cchc_web.models import AuditEvent, Notice, Submission

Login = Callable[[str], Client]


def _status(s: Submission) -> str:
    s.refresh_from_db()
    return s.status


def test_a_report_with_an_unexplained_error_is_not_sent(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "60")])  # 24/25 is 96 %
    refusal = r"Còn 1 lỗi chưa giải trình / 0 lỗi đã giải trình\..*chưa giải trình: 1\.2 "
    with pytest.raises(workflow.WorkflowError, match=refusal):
        workflow.submit(s.pk, user)
    assert _status(s) == "draft"
    editing.save(s.pk, user, [Change("comment", "1.2", "", "Tỷ lệ theo kế hoạch cũ.")])
    workflow.submit(s.pk, user)
    assert _status(s) == "submitted"


def test_warnings_do_not_stop_a_report(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.1", "", "12,641")])  # ambiguous: a warning
    workflow.submit(s.pk, user)
    assert _status(s) == "submitted"


def test_the_whole_cycle_with_notices_and_audit(drafts: dict[str, Submission],
                                                login: Login) -> None:
    s = drafts["42.H01.X01"]
    reporter, reviewer = login("xa.camhung"), login("huyen.camxuyen")
    assert reporter.post(reverse("submit", kwargs={"pk": s.pk})).status_code == 302
    assert _status(s) == "submitted"
    assert Notice.objects.filter(user__username="huyen.camxuyen", submission=s).exists()
    assert not Notice.objects.filter(user__username="tinh.hatinh").exists()  # nearest only

    empty = reviewer.post(reverse("return", kwargs={"pk": s.pk}), {"comment": "  "},
                          follow=True)
    assert "cần ghi rõ lý do" in empty.content.decode()
    assert _status(s) == "submitted"
    reviewer.post(reverse("return", kwargs={"pk": s.pk}), {"comment": "Mục 1.2 còn thiếu."})
    assert _status(s) == "returned"
    page = reporter.get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
    assert "Mục 1.2 còn thiếu." in page
    assert Notice.objects.filter(user__username="xa.camhung", text__contains="trả lại").exists()

    reporter.post(reverse("save-field", kwargs={"pk": s.pk}), {"v:1.2": "96", "b:1.2": ""})
    reporter.post(reverse("submit", kwargs={"pk": s.pk}))
    assert _status(s) == "submitted"
    reviewer.post(reverse("approve", kwargs={"pk": s.pk}))
    assert _status(s) == "approved"

    locked = reporter.post(reverse("save-field", kwargs={"pk": s.pk}),
                           {"v:1.2": "50", "b:1.2": "96"})
    assert locked.status_code == 403
    page = reporter.get(reverse("submission", kwargs={"pk": s.pk})).content.decode()
    assert 'name="v:1.2"' not in page

    admin = login("quantri")
    no_reason = admin.post(reverse("reopen", kwargs={"pk": s.pk}), {"comment": ""})
    assert no_reason.status_code == 302 and _status(s) == "approved"
    admin.post(reverse("reopen", kwargs={"pk": s.pk}), {"comment": "Sai mục 1.2"})
    assert _status(s) == "returned"

    moves = list(AuditEvent.objects.filter(submission=s, action="status").order_by("at", "id")
                 .values_list("old", "new", "via"))
    assert moves == [("draft", "submitted", "web"), ("submitted", "returned", "web"),
                     ("returned", "submitted", "web"), ("submitted", "approved", "web"),
                     ("approved", "returned", "admin")]
    trail = reporter.get(reverse("audit", kwargs={"pk": s.pk})).content.decode()
    assert "Đã duyệt" in trail and "Sai mục 1.2" in trail and "1.2 Tỷ lệ" in trail


def test_a_transition_is_checked_again_inside_the_action(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="huyen.camxuyen")
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(s.pk, user)  # still a draft
    assert _status(s) == "draft"
