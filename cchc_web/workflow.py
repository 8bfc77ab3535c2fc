"""The workflow of a submission: nháp → đã gửi → trả lại / đã duyệt; reopen by an admin.

Each transition is one atomic action that checks the state again under a row lock, writes
the status, its audit row and the notices; views only call these.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cchc_web import checking
from cchc_web.catalog import form
from cchc_web.models import AuditEvent, Membership, Notice, Submission


class WorkflowError(Exception):
    """A transition that is not allowed now; the message is Vietnamese, for the officer."""


def _locked(submission_id: int) -> Submission:
    return (Submission.objects.select_for_update(of=("self",)).select_related("unit", "period")
            .get(pk=submission_id))


def _move(submission: Submission, user: AbstractBaseUser, status: str, comment: str,
          via: str = "web") -> None:
    old = submission.status
    submission.status = status
    now = timezone.now()
    fields = ["status", "updated_at"]
    if status == "submitted":
        submission.submitted_at = now
        fields.append("submitted_at")
    if status in ("returned", "approved"):
        submission.decided_at = now
        fields.append("decided_at")
    submission.save(update_fields=fields)
    AuditEvent.objects.create(submission=submission, user=user, action="status", field="status",
                              old=old, new=status, via=via, comment=comment)


def unexplained_errors(submission: Submission) -> list[str]:
    """Item ids with an error finding and no explanation on the row ("" for an error that
    sits on no row)."""
    checked = checking.check(submission)
    checking.store(submission, checked)
    return checked.unexplained_items()


def row_names(submission: Submission, items: list[str]) -> str:
    """'1.2 (Tỷ lệ hoàn thành …), 3.4.1 (…)' for a refusal that names the rows to fix."""
    the_form = form(submission.form_id)
    names = []
    for key in dict.fromkeys(items):
        item = the_form.item(key) if the_form and key else None
        if item is None:
            names.append(key if key else "lỗi chung của báo cáo")
            continue
        label = item.label if len(item.label) <= 50 else item.label[:47] + "…"
        names.append(f"{item.code or item.id} ({label})")
    return "; ".join(names)


def submit(submission_id: int, user: AbstractBaseUser) -> Submission:
    with transaction.atomic():
        s = _locked(submission_id)
        if not s.editable:
            raise WorkflowError(f"Báo cáo đang ở trạng thái “{s.get_status_display()}”, "
                                "không gửi được.")
        missing = unexplained_errors(s)
        if missing:
            explained = s.error_count - len(missing)
            raise WorkflowError(
                f"Còn {len(missing)} lỗi chưa giải trình / {explained} lỗi đã giải trình. Hãy "
                "sửa số liệu hoặc ghi giải trình ở từng dòng có lỗi rồi gửi lại. Các dòng còn "
                f"lỗi chưa giải trình: {row_names(s, missing)}.")
        _move(s, user, "submitted", "")
        _notify_reviewers(s, user, f"{s.unit.name} đã gửi báo cáo {s.period.label}.")
        return s


def return_(submission_id: int, user: AbstractBaseUser, comment: str) -> Submission:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("Trả lại báo cáo cần ghi rõ lý do.")
    with transaction.atomic():
        s = _locked(submission_id)
        if s.status != "submitted":
            raise WorkflowError("Chỉ trả lại được báo cáo đã gửi.")
        _move(s, user, "returned", comment)
        _notify_unit(s, user, f"Báo cáo {s.period.label} bị trả lại: {comment}")
        return s


def approve(submission_id: int, user: AbstractBaseUser, comment: str = "") -> Submission:
    with transaction.atomic():
        s = _locked(submission_id)
        if s.status != "submitted":
            raise WorkflowError("Chỉ duyệt được báo cáo đã gửi.")
        _move(s, user, "approved", comment.strip())
        _notify_unit(s, user, f"Báo cáo {s.period.label} đã được duyệt.")
        return s


def reopen(submission_id: int, user: AbstractBaseUser, reason: str) -> Submission:
    reason = reason.strip()
    if not reason:
        raise WorkflowError("Mở lại báo cáo đã duyệt cần ghi rõ lý do.")
    with transaction.atomic():
        s = _locked(submission_id)
        if s.status != "approved":
            raise WorkflowError("Chỉ mở lại được báo cáo đã duyệt.")
        _move(s, user, "returned", reason, via="admin")
        _notify_unit(s, user, f"Báo cáo {s.period.label} đã được mở lại để sửa: {reason}")
        return s


def _notify_unit(s: Submission, sender: AbstractBaseUser, text: str) -> None:
    users = [m.user_id for m in Membership.objects.filter(unit=s.unit)]
    Notice.objects.bulk_create(Notice(user_id=u, submission=s, text=text, sender=sender)
                               for u in users)


def _notify_reviewers(s: Submission, sender: AbstractBaseUser, text: str) -> None:
    """The reviewers of the nearest unit above that has any."""
    ancestors = [int(p) for p in s.unit.path.strip("/").split("/")[:-1] if p]
    for unit_id in reversed(ancestors):
        users = list(Membership.objects.filter(unit_id=unit_id, role="reviewer"))
        if users:
            Notice.objects.bulk_create(Notice(user_id=m.user_id, submission=s, text=text,
                                              sender=sender) for m in users)
            return


def open_draft(unit_id: int, period_id: int, form_id: str, user: AbstractBaseUser,
               via: str = "web") -> Submission:
    """The unit's submission for the period, created as a draft the first time."""
    with transaction.atomic():
        s, created = Submission.objects.get_or_create(unit_id=unit_id, period_id=period_id,
                                                      form_id=form_id)
        if created:
            AuditEvent.objects.create(submission=s, user=user, action="create",
                                      field="status", new="draft", via=via)
        return s
