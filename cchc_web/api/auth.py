"""Who is calling the API: a personal token (`Authorization: Bearer cchc_…`), else the
browser's session. Both give the operation `request.auth`, the user every access decision
(cchc_web.access) is then made for.

Writes are refused here, before any operation runs, in two cases: a read-only token
(403 token-read-only) and a session request without Django's CSRF token (403 csrf-failed).
Any write endpoint added later is therefore covered without doing anything.

A token that is present but unusable is an error (401 with its reason), never a fall-back
to the session: a script must learn that its token expired.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cchc_web.api import keys, limits
from cchc_web.api.errors import ApiError
from cchc_web.throttle import client_address

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Token(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        address = client_address(request)
        limits.refuse_if_failing(address)
        try:
            found = keys.check(token)
        except keys.TokenRefused as refused:
            limits.count_failure(address)
            raise ApiError(401, refused.code,
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
                           ) from None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ApiError(403, "token-read-only")
        limits.count_request(f"t:{found.pk}")
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(APIKeyCookie):
    """Django's session, with the CSRF check on unsafe methods (`csrf` also tells the docs
    page to send the token)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(403, "csrf-failed")
        limits.count_request(f"u:{user.pk}")
        return user


AUTH = [Token(), Session()]
