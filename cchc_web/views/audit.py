"""The audit trail of a submission, and its kept source files (permission-checked).

An audit row stores codes (`status`, `number`, an item id, a section key, a file's SHA-256);
`describe` turns one into the words people read, here and in the admin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.catalog import Form
from cchc_web.catalog import form as catalog_form
from cchc_web.models import AUDIT_ACTIONS, SECTIONS, STATUSES, AuditEvent, SourceFile
from cchc_web.views.common import member_required, visible_submission

FILTER_PARAM = "loai"  # ?loai=<action>: only that kind of change
FIELD_WORDS = {"status": "Trạng thái", "number": "Số hiệu văn bản", "date": "Ngày ban hành"}
SECTION_WORDS = {key: f"Mục {title}" for key, title in SECTIONS}
STATUS_WORDS = dict(STATUSES)
ACTION_WORDS = dict(AUDIT_ACTIONS)


@dataclass(frozen=True)
class Described:
    """One audit row in words: what was changed, and the old and new values."""

    what: str
    old: str
    new: str
    file: SourceFile | None = None  # a file event's kept file, when it is still kept
    sha256: str = ""  # a file event's fingerprint, for a tooltip only


def describe(event: AuditEvent, the_form: Form | None,
             files: dict[str, SourceFile] | None = None) -> Described:
    """`event` in Vietnamese words. `files`: the submission's kept files by SHA-256."""
    if event.action in ("status", "create"):
        return Described("Trạng thái", _status(event.old), _status(event.new))
    if event.action == "file":
        # The name as uploaded; the kept file with the same content, to download it.
        return Described("Tệp gốc", "", event.field, file=(files or {}).get(event.new),
                         sha256=event.new)
    if event.action == "narrative":
        return Described(SECTION_WORDS.get(event.field, event.field), event.old, event.new)
    if event.action == "meta":
        return Described(FIELD_WORDS.get(event.field, event.field), event.old, event.new)
    item = the_form.item(event.field) if the_form is not None else None
    if item is None:
        return Described(event.field, event.old, event.new)
    what = f"{item.code} {item.label}".strip()
    if event.action == "value" and item.options:
        options = {str(code): text for code, text in item.options}
        return Described(what, _option(options, event.old), _option(options, event.new))
    return Described(what, event.old, event.new)


def _status(code: str) -> str:
    return STATUS_WORDS.get(code, code)


def _option(options: dict[str, str], code: str) -> str:
    return f"{options[code]} ({code})" if code in options else code


@member_required
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = visible_submission(request, pk)
    the_form = catalog_form(submission.form_id)
    chosen = request.GET.get(FILTER_PARAM, "")
    if chosen not in ACTION_WORDS:
        chosen = ""
    events = submission.audit.select_related("user")
    if chosen:
        events = events.filter(action=chosen)
    files = {f.sha256: f for f in submission.files.all()}
    rows = [(e, describe(e, the_form, files)) for e in events]
    return render(request, "cchc/audit.html", {
        "s": submission, "rows": rows, "actions": AUDIT_ACTIONS, "chosen": chosen,
        "filter_param": FILTER_PARAM})


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
