"""Uploading a report file into a submission: receive → preview → confirm.

`receive` stores the file in a pending area outside any web root (bounded size, streamed,
hashed), reads and checks it with the core, and keeps a preview. Nothing touches the
submission until `confirm`, which writes the chosen values, the narrative and the kept file
in one transaction; a file that cannot be read is deleted and reported in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.catalog import Form
from cchc.checks import run_checks
from cchc.errors import ReadError
from cchc.identity import Expected, compare
from cchc.interpret import interpret
from cchc.messages import read_error_message
from cchc.model import Period as CorePeriod
from cchc.model import Report, Row, Source
from cchc.numbers import format_number
from cchc.outline import split_sections
from cchc.readers import Limits, read_raw
from cchc.readers.deadline import budget, checkpoint
from cchc_web import bounded
from cchc_web.catalog import catalog, form
from cchc_web.editing import Change, NotEditable, save, stored_entries
from cchc_web.models import AuditEvent, SourceFile, Submission, Upload
from cchc_web.validation import clean_name

log = logging.getLogger(__name__)
ALLOWED = (".docx", ".xlsx", ".pdf", ".doc", ".txt", ".md")
MODES = ("fill", "replace")


class UploadError(Exception):
    """A file refused; the message is Vietnamese and names the file and the problem."""


def _dir(*parts: str) -> Path:
    path = Path(settings.UPLOAD_DIR, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def receive(file: UploadedFile, submission: Submission, user: AbstractBaseUser) -> Upload:
    name = clean_name(file.name or "tep")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadError(f"{name}: định dạng '{suffix or 'không rõ'}' không được hỗ trợ (chỉ "
                          "nhận .docx, .xlsx, .pdf, .doc, .txt).")
    limit = settings.MAX_UPLOAD_MB * 2**20
    if file.size is not None and file.size > limit:
        raise UploadError(f"{name}: tệp quá lớn ({format_number(file.size / 2**20, 1)} MB), "
                          f"giới hạn là {settings.MAX_UPLOAD_MB} MB.")
    sweep_pending()
    target = _dir("pending") / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("wb") as out:
            for chunk in file.chunks():
                size += len(chunk)
                if size > limit:
                    raise UploadError(f"{name}: tệp quá lớn, giới hạn là "
                                      f"{settings.MAX_UPLOAD_MB} MB.")
                digest.update(chunk)
                out.write(chunk)
        preview = build_preview(target, name, submission)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Upload.objects.create(submission=submission, user=user, name=name,
                                 stored=str(target.relative_to(settings.UPLOAD_DIR)),
                                 sha256=digest.hexdigest(), size=size, preview=preview)


# An unconfirmed preview is kept this long; a pending file nothing refers to (left by a
# crash between a confirm's commit and its clean-up) is removed after a day; a temporary
# file of an upload in flight (left when a worker was killed mid-request) after an hour.
PREVIEW_DAYS = 7
ORPHAN_SECONDS = 24 * 3600
TEMP_SECONDS = 3600


def sweep_pending(now: float | None = None) -> int:
    """Remove stale previews and orphaned pending files; returns how many files went."""
    now = time.time() if now is None else now
    cutoff = timezone.now() - dt.timedelta(days=PREVIEW_DAYS)
    for stale in Upload.objects.filter(confirmed=False, created_at__lt=cutoff):
        discard(stale)
    removed = 0
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if settings.FILE_UPLOAD_TEMP_DIR and temp.is_dir():
        for path in temp.iterdir():
            if path.is_file() and now - path.stat().st_mtime > TEMP_SECONDS:
                path.unlink(missing_ok=True)
                removed += 1
    folder = Path(settings.UPLOAD_DIR, "pending")
    if not folder.is_dir():
        return removed
    referenced = {Path(stored).name for stored in Upload.objects.filter(
        confirmed=False).values_list("stored", flat=True)}
    for path in folder.iterdir():
        if path.name not in referenced and now - path.stat().st_mtime > ORPHAN_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def build_preview(path: Path, name: str, submission: Submission) -> dict[str, Any]:
    """Read, interpret and check the file, and lay it out against the submission's form.
    The work runs in a child process bounded in time (CCHC_READ_SECONDS and a margin) and
    memory (CCHC_READ_MEMORY_MB): a file that would take longer or more is refused in
    Vietnamese, and the web worker is never killed by it."""
    target = form(submission.form_id)
    if target is None:
        raise UploadError(f"{name}: biểu mẫu của báo cáo không còn trong danh mục.")
    limits = Limits.from_env()
    try:
        return bounded.run(_read_preview, path, name, target.id, expected(submission),
                           seconds=limits.read_seconds + READ_MARGIN_SECONDS,
                           memory_mb=read_memory_mb())
    except bounded.Bounded as stopped:
        if stopped.reason == "crash":
            log.error("reading %s failed in its child process: %s", name, stopped.detail)
            raise UploadError(_UNREADABLE.format(name=name)) from None
        what = (f"quá {format_number(limits.read_seconds, None)} giây"
                if stopped.reason == "time" else f"quá {read_memory_mb()} MB bộ nhớ")
        raise UploadError(f"{name}: đọc tệp {what}, tệp quá lớn hoặc quá phức tạp nên đã "
                          "dừng. Hãy gửi tệp chỉ gồm báo cáo và phụ lục (lưu lại từ Word/"
                          "Excel), hoặc chia nhỏ tệp.") from None


# Seconds past the readers' own budget before the child is killed: interpreting and
# checking what was read, and sending the preview back.
READ_MARGIN_SECONDS = 10
_UNREADABLE = ("{name}: không đọc được tệp này (tệp hỏng hoặc cấu trúc bất thường). Hãy "
               "lưu lại tệp từ Word/Excel rồi tải lên lại.")


def read_memory_mb() -> int:
    """The address space a reading child may use (CCHC_READ_MEMORY_MB, default 2048)."""
    raw = os.environ.get("CCHC_READ_MEMORY_MB", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 2048


def _read_preview(path: Path, name: str, form_id: str, wanted: Expected) -> dict[str, Any]:
    """In the child: the whole pipeline, under the readers' time budget."""
    limits = Limits.from_env()
    target = catalog().form(form_id)
    assert target is not None
    try:
        with budget(limits.read_seconds, name):
            raw = read_raw(path, limits)
            raw.path = name
            report = interpret(raw, catalog())
            checkpoint()
            report.findings = run_checks(report, catalog())
            checkpoint()
    except ReadError as error:
        error.path = name
        raise UploadError(read_error_message(error)) from None
    except (RecursionError, ValueError, OverflowError, LookupError):
        # A hostile or broken file that slipped past the readers' guards: the officer is
        # told the file cannot be read, the traceback goes to the log for the developers.
        # (A MemoryError goes up to bounded.run, which says so.)
        log.exception("reading %s failed", name)
        raise UploadError(_UNREADABLE.format(name=name)) from None
    preview = _preview(report, target, split_sections(raw.paragraphs))
    preview["identity"] = [{"code": f.code, "message": f.message}
                           for f in compare(report.meta, wanted)]
    return preview


def expected(submission: Submission) -> Expected:
    """What a file put into `submission` should say about itself."""
    p = submission.period
    return Expected(unit=submission.unit.name, level=submission.unit.level,
                    period=CorePeriod(kind=p.kind, year=p.year, number=p.number,
                                      label=p.label))


def identity_problems(upload: Upload) -> list[str]:
    """The ways the file is not the report it is put in (other unit, level, period)."""
    return [f["message"] for f in upload.preview.get("identity", [])]


class NeedsAcknowledgement(UploadError):
    """The file names another unit or period; confirming needs an explicit yes."""


def _preview(report: Report, target: Form, sections: dict[str, str]) -> dict[str, Any]:
    by_concept: dict[str, list[str]] = {}
    for item in target.items:
        if item.concept:
            by_concept.setdefault(item.concept, []).append(item.id)
    row_findings: dict[int, list[str]] = {}
    general = []
    for f in report.findings:
        if f.row is not None:
            row_findings.setdefault(f.row, []).append(f"{_severity(f.severity)}: {f.message}")
        else:
            general.append({"severity": f.severity, "message": f.message})
    rows = []
    for row in report.rows:
        item = _target_item(row, report.form_id, target, by_concept)
        rows.append({
            "index": row.index, "code": row.code, "label": row.label, "unit": row.unit,
            "raw": row.value.raw, "kind": row.value.kind, "note": row.note,
            "choices": [_choice(c) for c in row.value.candidates], "item": item,
            "item_label": target.item(item).label if item and target.item(item) else "",
            "where": where(row.source), "findings": row_findings.get(row.index, []),
        })
    meta = report.meta
    return {
        "form": report.form_id, "same_form": report.form_id == target.id,
        "unit": meta.unit, "period": meta.period.label, "number": meta.number,
        "date": meta.date.strftime("%d/%m/%Y") if meta.date else None,
        "rows": rows, "findings": general, "sections": sections,
        "errors": sum(1 for f in report.findings if f.severity == "error"),
        "warnings": sum(1 for f in report.findings if f.severity == "warning"),
    }


def _choice(number: float) -> dict[str, str]:
    """An ambiguous number's reading: a value that reads back unambiguously, and a label."""
    value = str(int(number)) if number.is_integer() else repr(number).replace(".", ",")
    return {"value": value, "label": format_number(number)}


def _severity(code: str) -> str:
    return {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}.get(code, code)


def _target_item(row: Row, form_id: str | None, target: Form,
                 by_concept: dict[str, list[str]]) -> str | None:
    """The submission's item for an uploaded row: the same item when the file is in the
    submission's form, else the one item measuring the same concept."""
    if row.item is None:
        return None
    if form_id == target.id:
        return row.item
    candidates = by_concept.get(row.concept or "", [])
    return candidates[0] if len(candidates) == 1 else None


def where(source: Source) -> str:
    """'trang 3, bảng 2, dòng 15' — where a row was read, in words."""
    parts = []
    if source.sheet:
        parts.append(f"trang tính {source.sheet}")
    if source.page:
        parts.append(f"trang {source.page}")
    if source.table:
        parts.append(f"bảng {source.table}")
    if source.row:
        parts.append(f"dòng {source.row}")
    if source.line:
        parts.append(f"dòng {source.line}" if not source.row else f"dòng văn bản {source.line}")
    if source.paragraph:
        parts.append(f"đoạn {source.paragraph}")
    return ", ".join(parts)


def planned_changes(upload: Upload, submission: Submission, mode: str,
                    resolutions: dict[str, str]) -> list[Change]:
    """The changes `confirm` would make: values and notes of matched rows (an ambiguous
    value only where the officer chose one), narrative sections, number and date."""
    if mode not in MODES:
        raise UploadError("Hãy chọn cách đưa số liệu vào báo cáo: điền ô trống hay thay thế.")
    stored = stored_entries(submission)
    entries = {item: e.raw for item, e in stored.items()}
    notes = {item: e.note for item, e in stored.items()}
    target = form(submission.form_id)
    keeps_notes = target is not None and "note" in target.columns
    narratives = dict(submission.narratives.values_list("section", "text"))
    preview = upload.preview
    changes: list[Change] = []
    seen: set[str] = set()
    noted: set[str] = set()
    headings = {i.id for i in target.items if i.type == "section"} if target else set()
    for row in preview["rows"]:
        item = row["item"]
        if not item or item in seen or item in headings:
            continue  # a heading of the form holds no value, whatever the file wrote there
        note = (row.get("note") or "").strip()
        if keeps_notes and note and item not in noted and not (
                mode == "fill" and notes.get(item, "").strip()):
            noted.add(item)
            changes.append(Change("note", item, notes.get(item, ""), note))
        new = resolutions.get(item, "").strip() or (
            row["raw"] if row["kind"] not in ("ambiguous", "empty") else "")
        if not new:
            continue
        seen.add(item)
        current = entries.get(item, "")
        if mode == "fill" and current.strip():
            continue
        changes.append(Change("value", item, current, new))
    for section, text in preview.get("sections", {}).items():
        current = narratives.get(section, "")
        if mode == "fill" and current.strip():
            continue
        changes.append(Change("narrative", section, current, text))
    for kind, key, current in (("number", "number", submission.doc_number),
                               ("date", "date", submission.doc_date.strftime("%d/%m/%Y")
                                if submission.doc_date else "")):
        new = preview.get(key) or ""
        if new and (mode == "replace" or not current):
            changes.append(Change(kind, "", current, new))
    return changes


@dataclass(frozen=True)
class Written:
    """What a confirm or an import wrote, by kind, and what it left out and why."""

    values: int = 0
    notes: int = 0
    sections: int = 0
    document: int = 0  # the document number and date
    kept: int = 0  # values already typed, kept (fill mode)
    invalid: tuple[str, ...] = ()  # fields refused (Vietnamese messages)
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.values + self.notes + self.sections + self.document

    def words(self) -> str:
        """'98 số liệu, 4 ghi chú, 5 mục thuyết minh, số hiệu và ngày văn bản'."""
        parts = [f"{self.values} số liệu"]
        if self.notes:
            parts.append(f"{self.notes} ghi chú")
        if self.sections:
            parts.append(f"{self.sections} mục thuyết minh")
        if self.document:
            parts.append("số hiệu, ngày văn bản" if self.document > 1 else
                         "số hiệu hoặc ngày văn bản")
        text = ", ".join(parts)
        if self.kept:
            text += f"; giữ nguyên {self.kept} ô đã nhập trước"
        if self.invalid:
            text += f"; {len(self.invalid)} ô không hợp lệ nên không đưa vào"
        if self.conflicts:
            text += f"; {self.conflicts} ô vừa được người khác sửa nên không ghi đè"
        return text


def confirm(upload_id: int, user: AbstractBaseUser, mode: str,
            resolutions: dict[str, str], acknowledged: bool = False) -> Written:
    """Write the upload into its submission. A file that names another unit, level or
    period is written only when the officer `acknowledged` it; that is audited."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.confirmed:
            raise UploadError("Tệp này đã được đưa vào báo cáo.")
        submission = Submission.objects.select_related("unit", "period").get(
            pk=upload.submission_id)
        _acknowledge(upload, acknowledged, "đánh dấu ô xác nhận ở trang xem trước")
        source = Path(settings.UPLOAD_DIR, upload.stored)
        written = _write(submission, user, upload, source, mode, resolutions, "upload")
        upload.confirmed = True
        upload.save(update_fields=["confirmed"])
        transaction.on_commit(lambda: source.unlink(missing_ok=True))
        return written


def _acknowledge(upload: Upload, acknowledged: bool, how: str) -> None:
    problems = identity_problems(upload)
    if problems and not acknowledged:
        raise NeedsAcknowledgement(
            f"{upload.name}: {' '.join(problems)} Số liệu chưa được đưa vào. Nếu đúng là muốn "
            f"dùng tệp này, hãy {how}.")


def import_file(path: Path, submission: Submission, user: AbstractBaseUser,
                mode: str = "replace", acknowledged: bool = False) -> Written:
    """Read a report file from disk straight into a draft (command line, demo)."""
    data = path.read_bytes()
    preview = build_preview(path, path.name, submission)
    pending = Upload(submission=submission, user=user, name=clean_name(path.name), stored="",
                     sha256=hashlib.sha256(data).hexdigest(), size=len(data), preview=preview)
    _acknowledge(pending, acknowledged, "chạy lại lệnh với --accept-mismatch")
    with transaction.atomic():
        return _write(submission, user, pending, path, mode, {}, "import")


def _write(submission: Submission, user: AbstractBaseUser, upload: Upload, source: Path,
           mode: str, resolutions: dict[str, str], via: str) -> Written:
    if not submission.editable:
        raise NotEditable(submission.get_status_display())
    changes = planned_changes(upload, submission, mode, resolutions)
    result = save(submission.pk, user, changes, via=via)
    final = _dir(str(submission.pk)) / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    shutil.copyfile(source, final)
    kinds = Counter(c.kind for c in result.saved)
    written = Written(values=kinds["value"], notes=kinds["note"], sections=kinds["narrative"],
                      document=kinds["number"] + kinds["date"],
                      kept=_kept(upload, mode, changes),
                      invalid=tuple(i.message for i in result.invalid),
                      conflicts=len(result.conflicts))
    try:
        SourceFile.objects.create(submission=submission, name=upload.name,
                                  stored=str(final.relative_to(settings.UPLOAD_DIR)),
                                  sha256=upload.sha256, size=upload.size, uploaded_by=user)
        how = "thay thế" if mode == "replace" else "điền ô trống"
        note = f"Đưa vào {written.words()}; chế độ {how}."
        problems = identity_problems(upload)
        if problems:
            note += " Người nhập đã xác nhận dùng tệp dù: " + " ".join(problems)
        AuditEvent.objects.create(submission=submission, user=user, action="file",
                                  field=upload.name, new=upload.name, via=via, comment=note)
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return written


def _kept(upload: Upload, mode: str, changes: list[Change]) -> int:
    """Matched values of the file not written because the draft already had one (fill)."""
    if mode != "fill":
        return 0
    planned = {c.key for c in changes if c.kind == "value"}
    items = {r["item"] for r in upload.preview["rows"]
             if r["item"] and r["kind"] not in ("ambiguous", "empty")}
    return len(items - planned)


def discard(upload: Upload) -> None:
    Path(settings.UPLOAD_DIR, upload.stored).unlink(missing_ok=True)
    upload.delete()
