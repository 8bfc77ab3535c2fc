"""Upload a report file → preview → confirm into the draft (or discard)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cchc_web import access, uploads
from cchc_web.editing import NotEditable
from cchc_web.models import Submission, Upload
from cchc_web.views.common import member_required, visible_submission


def _editable(request: HttpRequest, pk: int) -> Submission:
    submission = visible_submission(request, pk)
    if not access.can_edit(request.user, submission):
        raise PermissionDenied("Bạn không được sửa báo cáo này.")
    return submission


@member_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _editable(request, pk)
    problem = None
    if request.method == "POST":
        file = request.FILES.get("file")
        if getattr(request, "cchc_upload_too_large", False):
            problem = (f"Tệp quá lớn: giới hạn là {uploads.settings.MAX_UPLOAD_MB} MB; "
                       "tệp chưa được nhận.")
        elif file is None:
            problem = "Hãy chọn một tệp báo cáo để tải lên."
        else:
            try:
                pending = uploads.receive(file, submission, request.user)  # type: ignore[arg-type]
            except uploads.UploadError as error:
                problem = str(error)
            else:
                return redirect("upload-preview", pk=pk, token=pending.token)
    return render(request, "cchc/upload.html", {"s": submission, "problem": problem,
                                                "limit": uploads.settings.MAX_UPLOAD_MB},
                  status=422 if problem else 200)


def _pending(request: HttpRequest, submission: Submission, token: str) -> Upload:
    found = submission.uploads.filter(token=token, confirmed=False).first()
    if found is None or found.user_id != request.user.pk:
        raise Http404
    return found


@member_required
def preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    submission = _editable(request, pk)
    pending = _pending(request, submission, token)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            uploads.discard(pending)
            messages.info(request, "Đã bỏ tệp vừa tải lên; báo cáo không thay đổi.")
            return redirect("submission", pk=pk)
        resolutions = {k[2:]: v for k, v in request.POST.items() if k.startswith("r:") and v}
        try:
            written = uploads.confirm(pending.pk, request.user,  # type: ignore[arg-type]
                                      request.POST.get("mode", ""), resolutions,
                                      acknowledged=request.POST.get("ack") == "yes")
        except uploads.UploadError as error:
            messages.error(request, str(error))
        except NotEditable as status:
            messages.error(request, f"Báo cáo đang ở trạng thái “{status}”, không sửa được.")
            return redirect("submission", pk=pk)
        else:
            messages.success(request, f"Đã đưa vào báo cáo từ tệp {pending.name}: "
                                      f"{written.words()}. Tệp gốc được lưu kèm báo cáo.")
            for problem in written.invalid:
                messages.warning(request, problem)
            return redirect("submission", pk=pk)
    entries = dict(submission.entries.values_list("item_id", "raw"))
    rows = pending.preview["rows"]
    for row in rows:
        row["current"] = entries.get(row["item"] or "", "")
    matched = [r for r in rows if r["item"]]
    return render(request, "cchc/upload_preview.html", {
        "s": submission, "upload": pending, "p": pending.preview, "rows": rows,
        "matched": len(matched),
        "with_value": sum(1 for r in matched if r["kind"] not in ("empty", "ambiguous")),
        "unmatched": [r for r in rows if not r["item"] and r["label"]],
        "ambiguous": [r for r in matched if r["kind"] == "ambiguous"],
        "identity": uploads.identity_problems(pending),
    }, status=422 if request.method == "POST" else 200)
