"""What every view shares: the login gate (401 for htmx, so a page can keep unsaved typing)
and loading a submission the user may see (404 otherwise, never a leak)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from cchc_web import access
from cchc_web.models import Submission

View = Callable[..., HttpResponse]


def member_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                return HttpResponse("Phiên đăng nhập đã hết hạn.", status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)
    return wrapper


def admin_required(view: View) -> View:
    @wraps(view)
    @member_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_administer(request.user):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


def visible_submission(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("unit", "period"), pk=pk)
    if not access.can_view(request.user, submission):
        raise Http404
    return submission


def forbidden(text: str) -> HttpResponse:
    return HttpResponse(text, status=403, content_type="text/plain; charset=utf-8")
