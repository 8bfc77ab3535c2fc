"""A submission or a unit's aggregate as its official document (.docx, .xlsx, .pdf),
written by cchc_web.documents, with the permissions of the pages they are downloaded from."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cchc.render.document import RenderError
from cchc_web import documents
from cchc_web.api import lookup
from cchc_web.api.aggregates import Rule, aggregate_choice
from cchc_web.api.errors import ApiError
from cchc_web.api.schemas import ERRORS, ErrorOut

router = Router(tags=["Văn bản"])
Format = Literal["docx", "xlsx", "pdf"]
BINARY = {200: {"description": "Văn bản", "content": {
    mime: {"schema": {"type": "string", "format": "binary"}}
    for mime in documents.CONTENT_TYPES.values()}}}
RESPONSES = {200: None, 503: ErrorOut, **ERRORS}


def _send(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _failed(error: RenderError) -> ApiError:
    """The document could not be written (LibreOffice absent or failing for a .pdf, a broken
    office template): said in Vietnamese, as the page says it."""
    return ApiError(503, "render-failed", error.message, {"reason": error.code})


@router.get("/submissions/{int:submission_id}/document.{fmt}", response=RESPONSES,
            url_name="submission-document", openapi_extra={"responses": BINARY},
            summary="Tải báo cáo thành văn bản")
def submission_document(request: HttpRequest, submission_id: int, fmt: Format
                        ) -> HttpResponse:
    """The report as its official document (Nghị định 30 layout, its appendix)."""
    s = lookup.visible_submission(request.auth, submission_id)
    try:
        data = documents.render(documents.submission_document(s), fmt)
    except RenderError as error:
        raise _failed(error) from None
    except LookupError:  # its form is no longer in the catalog
        raise lookup.not_found("biểu mẫu", s.form_id, "submission_id") from None
    return _send(data, fmt, documents.filename(s.unit, s.period, fmt))


@router.get("/aggregates/document.{fmt}", response=RESPONSES,
            url_name="aggregate-document", openapi_extra={"responses": BINARY},
            summary="Tải báo cáo tổng hợp thành văn bản")
def aggregate_document(request: HttpRequest, fmt: Format, unit: str, period: str,
                       status: Rule = "approved") -> HttpResponse:
    """The unit's report drafted from its aggregate, as on the Tổng hợp page's downloads."""
    the_unit, the_period = aggregate_choice(request.auth, unit, period)
    doc = documents.aggregate_document(the_unit, the_period, status)
    if doc.appendix is None and fmt == "xlsx":
        raise ApiError(404, "not-found", "Đơn vị không có biểu mẫu cho kỳ này: không có phụ "
                       "lục để xuất ra Excel.")
    try:
        data = documents.render(doc, fmt)
    except RenderError as error:
        raise _failed(error) from None
    return _send(data, fmt, documents.filename(the_unit, the_period, fmt, True))
