"""Downloads: a submission, or a unit's aggregate, as its official document (.docx, .xlsx,
.pdf), and the aggregate's charts (.png, .svg), with the permissions of the page they are
downloaded from (a unit one may not open is a 404, as on the page)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.render import chartdata
from cchc.render.document import RenderError
from cchc_web import documents
from cchc_web.views.aggregate import _choice
from cchc_web.views.common import member_required, visible_submission


def _send(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _failed(request: HttpRequest, error: RenderError) -> HttpResponse:
    """The document could not be written (LibreOffice absent or failing, a broken office
    template): the page says why, in Vietnamese, and nothing else is affected."""
    return render(request, "cchc/render_failed.html", {"message": error.message},
                  status=503)


@member_required
def submission_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in documents.CONTENT_TYPES:
        raise Http404
    s = visible_submission(request, pk)
    try:
        data = documents.render(documents.submission_document(s), fmt)
    except RenderError as error:
        return _failed(request, error)
    except LookupError:
        raise Http404 from None
    return _send(data, fmt, documents.filename(s.unit, s.period, fmt))


@member_required
def aggregate_document(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in documents.CONTENT_TYPES:
        raise Http404
    choice = _choice(request, request.GET)
    doc = documents.aggregate_document(choice.unit, choice.period, choice.rule)
    if doc.appendix is None and fmt == "xlsx":
        raise Http404
    try:
        data = documents.render(doc, fmt)
    except RenderError as error:
        return _failed(request, error)
    return _send(data, fmt, documents.filename(choice.unit, choice.period, fmt, True))


@member_required
def aggregate_chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """One chart of the Tổng hợp page's aggregate (chartdata.NAMES) as PNG or SVG."""
    if name not in chartdata.NAMES or fmt not in documents.CHART_TYPES:
        raise Http404
    choice = _choice(request, request.GET)
    data = documents.aggregate_chart(choice.unit, choice.period, choice.rule, name, fmt)
    response = HttpResponse(data, content_type=documents.CHART_TYPES[fmt])
    name = documents.chart_filename(choice.unit, choice.period, name, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
