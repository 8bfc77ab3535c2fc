"""Template context shared by every page: the user's membership and unread notices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cchc_web import access
from cchc_web.models import Notice


def common(request: HttpRequest) -> dict[str, Any]:
    # a 400 for an unknown host is answered before the login middleware has run
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "membership": access.membership(user),
        "is_reviewer": access.is_reviewer(user),
        "is_admin": access.is_admin(user),
        "unread_notices": Notice.objects.filter(user=user, read_at__isnull=True).count(),
    }
