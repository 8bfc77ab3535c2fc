"""The API's URLs, included at /api/ by cchc_web.urls: ninja's views behind the JSON error
guard (cchc_web.api.errors.guarded), the docs and OpenAPI document for GET only, and a JSON
404 for every other path under /api/ (never Django's HTML page)."""

from __future__ import annotations

from django.urls import URLPattern, re_path
from django.views.decorators.http import require_safe

from cchc_web.api import api
from cchc_web.api.errors import guarded, not_found

DOCUMENTATION = ("openapi-json", "openapi-view")


def _patterns() -> list[URLPattern]:
    found, _, _ = api.urls
    out = []
    for pattern in found:
        assert isinstance(pattern, URLPattern), pattern
        view = pattern.callback
        if pattern.name in DOCUMENTATION:
            view = require_safe(view)
        out.append(URLPattern(pattern.pattern, guarded(view), pattern.default_args,
                              pattern.name))
    return out


app_name = "api"
urlpatterns = [*_patterns(), re_path(r"", not_found, name="not-found")]
