"""The audit trail of a submission, and its kept source files (permission-checked)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cchc_web.catalog import form as catalog_form
from cchc_web.models import SourceFile
from cchc_web.views.common import member_required, visible_submission


@member_required
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    the_form = catalog_form(submission.form_id)
    labels = {i.id: f"{i.code} {i.label}".strip() for i in the_form.items} if the_form else {}
    events = list(submission.audit.select_related("user"))
    for e in events:
        e.label = labels.get(e.field, e.field)  # type: ignore[attr-defined]
    return render(request, "cchc/audit.html", {"s": submission, "events": events})


@member_required
def source_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    try:
        kept = submission.files.get(pk=file_id)
    except SourceFile.DoesNotExist:
        raise Http404 from None
    path = Path(settings.UPLOAD_DIR, kept.stored).resolve()
    if not path.is_relative_to(Path(settings.UPLOAD_DIR).resolve()) or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=kept.name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
