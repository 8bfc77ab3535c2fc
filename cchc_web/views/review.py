"""For reviewers: the queue of their subtree's submissions, and who has reported for a
period (on time, late, not yet) with reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc_web import access, rowhtml
from cchc_web.models import STATUSES, Membership, Notice, Period
from cchc_web.periods import error_words
from cchc_web.reporting import completeness_rows, submission_lines
from cchc_web.views.common import member_required


def _reviewer(request: HttpRequest) -> None:
    if not access.is_reviewer(request.user):
        raise PermissionDenied("Chỉ cán bộ xét duyệt xem được trang này.")


def _periods() -> list[Period]:
    return list(Period.objects.prefetch_related("deadlines").order_by("-end", "kind"))


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue, written out (the template only places the texts)."""

    url: str
    unit: str
    period: str
    status: str
    status_word: str
    errors: str
    warnings: str
    due: str
    sent: str
    late: bool
    overdue: bool = False


def _count(n: int) -> str:
    """1241 → "1.241", without babel (a queue has a line per unit; counts have no decimals)."""
    return f"{n:,}".replace(",", ".")


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


@member_required
def queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    periods = _periods()
    period_id = request.GET.get("ky", "")
    status = request.GET.get("trang-thai", "submitted")
    words = dict(STATUSES)
    rows = [QueueRow(
        url=reverse("submission", args=[line.pk]), unit=line.unit, period=line.period.label,
        status=line.status, status_word=words.get(line.status, line.status),
        errors=error_words(line.errors, line.explained), warnings=_count(line.warnings),
        due=_day(line.due), sent=_day(line.submitted), late=line.late, overdue=line.overdue)
        for line in submission_lines(request.user,
                                     int(period_id) if period_id.isdigit() else None,
                                     status if status in words else None)]
    return render(request, "cchc/queue.html", {
        "rows": rows, "rows_html": rowhtml.queue(rows), "periods": periods,
        "period_id": period_id, "status": status, "statuses": STATUSES})


@member_required
def completeness(request: HttpRequest, period_id: int) -> HttpResponse:
    _reviewer(request)
    period = get_object_or_404(Period.objects.prefetch_related("deadlines"), pk=period_id)
    rows = completeness_rows(request.user, period, timezone.localdate())
    counts = {k: sum(1 for r in rows if r.state == k)
              for k in ("on_time", "late", "not_yet", "overdue")}
    return render(request, "cchc/completeness.html", {
        "period": period, "rows": rows, "counts": counts, "periods": _periods(),
        "email": settings.SEND_REMINDER_EMAIL})


@require_POST
@member_required
def remind(request: HttpRequest, period_id: int) -> HttpResponse:
    _reviewer(request)
    period = get_object_or_404(Period.objects.prefetch_related("deadlines"), pk=period_id)
    wanted = {int(u) for u in request.POST.getlist("unit") if u.isdigit()}
    targets = [r for r in completeness_rows(request.user, period, timezone.localdate())
               if r.waiting and r.unit.pk in wanted]
    sent, unmailed = 0, []
    for r in targets:
        due = f" trước ngày {r.due.strftime('%d/%m/%Y')}" if r.due else ""
        text = (f"Đề nghị {r.unit.name} gửi báo cáo cải cách hành chính {period.label}{due}.")
        members = list(Membership.objects.filter(unit=r.unit).select_related("user"))
        Notice.objects.bulk_create(Notice(user=m.user, submission=r.submission, text=text,
                                          sender=request.user) for m in members)
        if settings.SEND_REMINDER_EMAIL:
            emails = [m.user.email for m in members if m.user.email] + (
                [r.unit.email] if r.unit.email else [])
            try:
                if not emails:
                    raise ValueError("no address")
                send_mail(f"Nhắc gửi báo cáo CCHC {period.label}", text, None, emails)
            except (OSError, ValueError):  # no address, or the mail server refused
                unmailed.append(r.unit.name)
        sent += 1
    messages.success(request, f"Đã gửi nhắc nhở tới {sent} đơn vị.")
    if unmailed:
        messages.warning(request, "Không gửi được thư điện tử tới: " + ", ".join(unmailed)
                         + " (chưa có địa chỉ hoặc máy chủ thư báo lỗi); các đơn vị này vẫn "
                         "nhận thông báo trong hệ thống.")
    return redirect("completeness", period_id=period_id)
