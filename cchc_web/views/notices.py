"""In-app notices (reminders, returns, approvals) for the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cchc_web.models import Notice
from cchc_web.views.common import member_required


@member_required
def notices(request: HttpRequest) -> HttpResponse:
    mine = list(Notice.objects.filter(user=request.user)
                .select_related("sender", "submission")[:200])
    response = render(request, "cchc/notices.html", {"notices": mine})
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return response
