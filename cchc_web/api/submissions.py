"""GET /submissions (the reviewer queue's list: reporting.submission_lines), one submission
with its values, narrative, findings and files, and a kept file's download."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import P, Query, Router

from cchc_web import checking, editing
from cchc_web.api import lookup
from cchc_web.api.schemas import ERRORS, SubmissionOut, SubmissionPage
from cchc_web.catalog import form as catalog_form
from cchc_web.documents import CONTENT_TYPES
from cchc_web.models import SECTIONS, OrgUnit, Period, Submission
from cchc_web.reporting import Line, submission_lines

router = Router(tags=["Báo cáo"])
Status = Literal["draft", "submitted", "returned", "approved"]
MAX_LIMIT = 500
MAX_OFFSET = 10**9


def period_ref(p: Period) -> dict[str, Any]:
    return {"id": p.pk, "kind": p.kind, "year": p.year, "number": p.number, "label": p.label}


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def _line(line: Line) -> dict[str, Any]:
    return {"id": line.pk, "unit": {"code": line.unit_code, "name": line.unit},
            "period": period_ref(line.period), "status": line.status, "errors": line.errors,
            "explained": line.explained, "warnings": line.warnings,
            "submitted": line.submitted, "due": line.due, "late": line.late,
            "overdue": line.overdue, "url": url("submission", submission_id=line.pk)}


@router.get("/submissions", response={200: SubmissionPage, **ERRORS},
            summary="Danh sách báo cáo")
def submissions(request: HttpRequest, unit: str | None = None, period: str | None = None,
                status: Status | None = None,
                limit: Query[int, P(ge=1, le=MAX_LIMIT)] = 100,
                offset: Query[int, P(ge=0, le=MAX_OFFSET)] = 0) -> dict[str, Any]:
    """The reports you may see — the reviewer queue's list, newest period first, units in
    Vietnamese order — with their error and warning counts. `unit`: a unit's code, for it
    and every unit below it; `period`: a period's id or `KIND:YEAR[:N]`
    (`half_year:2022`); `status`: draft, submitted, returned or approved."""
    user = request.auth
    chosen = lookup.period(period) if period is not None else None
    lines = submission_lines(user, chosen.pk if chosen else None, status)
    if unit is not None:
        root = lookup.visible_unit(user, unit)
        codes = set(OrgUnit.objects.filter(path__startswith=root.path)
                    .values_list("code", flat=True))
        lines = [line for line in lines if line.unit_code in codes]
    return {"total": len(lines), "limit": limit, "offset": offset,
            "items": [_line(line) for line in lines[offset:offset + limit]]}


def _values(s: Submission) -> list[dict[str, Any]]:
    """Every stored value, in the order of the form's items: as typed and as read."""
    the_form = catalog_form(s.form_id)
    order = {i.id: n for n, i in enumerate(the_form.items)} if the_form else {}
    out = []
    for item_id, raw, value, comment, note, derived in s.entries.values_list(
            "item_id", "raw", "value", "comment", "note", "derived"):
        item = the_form.item(item_id) if the_form else None
        out.append({"item": item_id, "code": item.code if item else "",
                    "label": item.label if item else "", "raw": raw, "value": value,
                    "comment": comment, "note": note, "derived": derived})
    out.sort(key=lambda v: (order.get(v["item"], len(order)), v["item"]))
    return out


def _findings(s: Submission) -> list[dict[str, Any]]:
    """The findings whole, as the submission's page shows them (checked again when the
    rules or forms changed since, exactly as the page does)."""
    entries = editing.stored_entries(s)
    checked = checking.current(s, {k: e.raw for k, e in entries.items()},
                               {k: e.comment for k, e in entries.items() if e.comment})
    return checking.as_json(checked)


@router.get("/submissions/{int:submission_id}", response={200: SubmissionOut, **ERRORS},
            url_name="submission", summary="Một báo cáo")
def submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    """A report: its values (`raw` as typed, `value` as read), the officer's explanations
    and notes, the narrative sections I–V, its findings, its kept files and documents."""
    s = lookup.visible_submission(request.auth, submission_id)
    texts = dict(s.narratives.values_list("section", "text"))
    files = [{"id": f.pk, "name": f.name, "size": f.size, "sha256": f.sha256,
              "uploaded_at": f.uploaded_at,
              "url": url("submission-file", submission_id=s.pk, file_id=f.pk)}
             for f in s.files.order_by("pk")]
    return {
        "id": s.pk, "unit": {"code": s.unit.code, "name": s.unit.name},
        "period": period_ref(s.period), "form": s.form_id, "status": s.status,
        "doc_number": s.doc_number, "doc_date": s.doc_date, "created_at": s.created_at,
        "updated_at": s.updated_at, "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
        "counts": {"errors": s.error_count, "explained": s.explained_count,
                   "warnings": s.warning_count},
        "values": _values(s),
        "narrative": [{"section": key, "title": title, "text": texts.get(key, "")}
                      for key, title in SECTIONS],
        "findings": _findings(s),
        "files": files,
        "documents": {fmt: url("submission-document", submission_id=s.pk, fmt=fmt)
                      for fmt in CONTENT_TYPES},
    }


@router.get("/submissions/{int:submission_id}/files/{int:file_id}",
            response={200: None, **ERRORS}, url_name="submission-file",
            summary="Tải tệp báo cáo gốc",
            openapi_extra={"responses": {200: {"description": "Tệp gốc", "content": {
                "application/octet-stream": {"schema": {"type": "string",
                                                        "format": "binary"}}}}}})
def submission_file(request: HttpRequest, submission_id: int, file_id: int) -> FileResponse:
    """A kept source file of the report, as uploaded."""
    s = lookup.visible_submission(request.auth, submission_id)
    kept = s.files.filter(pk=file_id).first()
    if kept is None:
        raise lookup.not_found("tệp", str(file_id), "file_id")
    root = Path(settings.UPLOAD_DIR).resolve()
    path = Path(root, kept.stored).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise lookup.not_found("tệp", str(file_id), "file_id")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=kept.name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
