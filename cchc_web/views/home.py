"""The home page: the user's unit's reports by period, opening a draft for a period."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc_web import access, workflow
from cchc_web.catalog import form_for, title_for
from cchc_web.models import Period
from cchc_web.periods import error_words, overdue
from cchc_web.views.common import member_required


@member_required
def home(request: HttpRequest) -> HttpResponse:
    m = access.membership(request.user)
    rows = []
    today = timezone.localdate()
    if m is not None and access.can_write_for(request.user, m.unit):
        unit = m.unit
        province = unit.province()
        existing = {(s.period_id, s.form_id): s for s in unit.submissions.all()}
        for period in Period.objects.prefetch_related("deadlines").order_by("-end", "kind"):
            if not unit.overlaps(period.start, period.end):
                continue
            the_form = form_for(unit, period, province)
            submission = next((s for (p, _), s in existing.items() if p == period.pk), None)
            if the_form is None and submission is None:
                continue
            due = period.deadline_for(unit.level)
            rows.append({"period": period, "form": the_form, "submission": submission,
                         "title": title_for(the_form, unit) if the_form else "",
                         "deadline": due,
                         "overdue": overdue(submission.status if submission else None, due,
                                            today),
                         "errors": error_words(submission.error_count,
                                               submission.explained_count)
                         if submission else ""})
    return render(request, "cchc/home.html", {"rows": rows, "unit": m.unit if m else None,
                                              "aggregates": _aggregates(request)})


def _aggregates(request: HttpRequest) -> list[dict[str, object]]:
    """For a reviewer: the latest periods with reports in its subtree, each with how many
    units have sent one, as links to their "Tổng hợp"."""
    m = access.membership(request.user)
    if m is None or not access.is_reviewer(request.user):
        return []
    found = (access.visible_submissions(request.user).exclude(unit=m.unit)
             .values_list("period_id", "status"))
    sent: dict[int, list[int]] = {}
    for period_id, status in found:
        counts = sent.setdefault(period_id, [0, 0])
        counts[0] += 1
        counts[1] += status in ("submitted", "approved")
    periods = Period.objects.filter(pk__in=sent).order_by("-end", "kind")[:4]
    return [{"period": p, "reports": sent[p.pk][0], "sent": sent[p.pk][1],
             "url": f"{reverse('aggregate')}?don-vi={m.unit.code}&ky={p.pk}"} for p in periods]


@require_POST
@member_required
def open_report(request: HttpRequest, period_id: int) -> HttpResponse:
    m = access.membership(request.user)
    period = get_object_or_404(Period, pk=period_id)
    if m is None or not access.can_write_for(request.user, m.unit):
        raise PermissionDenied("Tài khoản của bạn không lập báo cáo cho đơn vị nào.")
    the_form = form_for(m.unit, period)
    if the_form is None or not m.unit.overlaps(period.start, period.end):
        raise Http404
    s = workflow.open_draft(m.unit.pk, period.pk, the_form.id, request.user)  # type: ignore[arg-type]
    return redirect("submission", pk=s.pk)
