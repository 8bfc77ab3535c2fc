"""Request and response guards that hold for every page.

- `BodyLimit` refuses a request body larger than the page it is sent to accepts, before
  anything reads it: Django's CSRF check parses a multipart body (and writes its files to
  disk) before any view runs, so without this an anonymous 2 GB POST was written to disk
  before being refused. An upload page accepts the upload limit; every other page, a
  whole-form save at most; anyone not logged in, a login form.
- `LimitedUploadHandler` counts the bytes of each uploaded file as they stream in and
  stops at the limit, whatever the declared length said.
- `SecurityHeaders` adds a Content-Security-Policy (scripts only from this site) and
  `Cache-Control: no-store` on everything but static files, so that a report page or a
  downloaded report is never kept by a shared browser or proxy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from cchc.numbers import format_number

Handler = Callable[[HttpRequest], HttpResponse]
UPLOAD_PATH = re.compile(r"^/bao-cao/\d+/tai-len/$")
ANONYMOUS_BYTES = 2**20  # a login form, or a page saved after its session expired
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB * 2**20)


def body_limit(request: HttpRequest) -> int:
    """The largest body `request` may carry."""
    if not request.user.is_authenticated:
        return ANONYMOUS_BYTES
    if UPLOAD_PATH.match(request.path):
        return upload_bytes() + 2**20  # the file and the form around it
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + 2**20


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    mb = format_number(limit / 2**20, 1 if limit < 10 * 2**20 else 0)
    text = (f"Nội dung gửi lên quá lớn (giới hạn {mb} MB với trang này). Tệp báo cáo được "
            f"nhận tối đa {settings.MAX_UPLOAD_MB} MB.")
    html = render_to_string("413.html", {"message": text}, request=None)
    response = HttpResponse(html, status=413)
    response["Connection"] = "close"
    return response


class BodyLimit:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return HttpResponse("Độ dài nội dung gửi lên không hợp lệ.", status=400,
                                content_type="text/plain; charset=utf-8")
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        request.cchc_body_limit = limit  # type: ignore[attr-defined]
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """Stops an upload whose file grows past the limit (the view then says so)."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > upload_bytes():
            if self.request is not None:
                self.request.cchc_upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class SecurityHeaders:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        response.setdefault("Content-Security-Policy", CSP)
        response["Cache-Control"] = "no-store, private"
        return response
