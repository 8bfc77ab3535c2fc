"""Submit, return, approve, reopen: access check, then one atomic action."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cchc_web import access, workflow
from cchc_web.models import Submission
from cchc_web.views.common import member_required, visible_submission


def _transition(request: HttpRequest, pk: int, allowed: Callable[..., bool], denied: str,
                act: Callable[[Submission], object], done: str) -> HttpResponse:
    submission = visible_submission(request, pk)
    if not allowed(request.user, submission):
        raise PermissionDenied(denied)
    try:
        act(submission)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("submission", pk=pk)


@require_POST
@member_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, access.can_submit, "Bạn không được gửi báo cáo này.",
                       lambda s: workflow.submit(s.pk, request.user),  # type: ignore[arg-type]
                       "Đã gửi báo cáo lên cấp trên.")


@require_POST
@member_required
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, access.can_review, "Bạn không được trả lại báo cáo này.",
                       lambda s: workflow.return_(s.pk, request.user, comment),  # type: ignore[arg-type]
                       "Đã trả lại báo cáo cho đơn vị.")


@require_POST
@member_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, access.can_review, "Bạn không được duyệt báo cáo này.",
                       lambda s: workflow.approve(s.pk, request.user, comment),  # type: ignore[arg-type]
                       "Đã duyệt báo cáo.")


@require_POST
@member_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, access.can_reopen, "Chỉ quản trị viên được mở lại báo cáo.",
                       lambda s: workflow.reopen(s.pk, request.user, comment),  # type: ignore[arg-type]
                       "Đã mở lại báo cáo để đơn vị sửa.")
