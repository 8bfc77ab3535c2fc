""""Khóa truy cập API": the signed-in user's personal API tokens — made here (the secret
shown once, in the answer to the form, never again), listed with their last use, revoked.
A user sees and revokes only its own tokens (another's is a 404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cchc_web.api import keys
from cchc_web.models import ApiToken
from cchc_web.views.common import member_required

DAYS = [("30", "30 ngày"), ("90", "90 ngày"), ("365", "1 năm"), ("", "Không hết hạn")]
STATE_WORDS = {"active": "Còn hiệu lực", "expired": "Đã hết hạn", "revoked": "Đã thu hồi"}


class TokenForm(forms.Form):
    name = forms.CharField(label="Tên khóa", max_length=keys.NAME_LENGTH, strip=True,
                           error_messages={"required": "Hãy đặt tên cho khóa (ví dụ: Bảng "
                                                       "điều khiển của tỉnh).",
                                           "max_length": "Tên khóa dài tối đa "
                                                         f"{keys.NAME_LENGTH} ký tự.",
                                           "null_characters_not_allowed":
                                               "Tên khóa chứa ký tự không hợp lệ (NUL)."})
    days = forms.ChoiceField(label="Thời hạn", choices=DAYS, required=False, initial="90",
                             error_messages={"invalid_choice": "Thời hạn không hợp lệ."})
    read_only = forms.BooleanField(label="Chỉ đọc", required=False, initial=True)


def _rows(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    return [{"token": t, "state": t.state(now), "state_word": STATE_WORDS[t.state(now)]}
            for t in ApiToken.objects.filter(user=request.user)]


def _page(request: HttpRequest, form: TokenForm, issued: keys.Issued | None = None,
          status: int = 200) -> HttpResponse:
    return render(request, "cchc/tokens.html", {
        "form": form, "rows": _rows(request), "issued": issued, "max_active": keys.MAX_ACTIVE,
    }, status=status)


@member_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    if "revoke" in request.POST:
        return _revoke(request, str(request.POST["revoke"]))
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    if keys.active_count(request.user) >= keys.MAX_ACTIVE:  # type: ignore[arg-type]
        form.add_error(None, f"Bạn đã có {keys.MAX_ACTIVE} khóa còn hiệu lực; hãy thu hồi "
                             "khóa không dùng nữa trước khi tạo khóa mới.")
        return _page(request, form, status=422)
    days = form.cleaned_data["days"]
    issued = keys.issue(request.user, form.cleaned_data["name"],  # type: ignore[arg-type]
                        int(days) if days else None, form.cleaned_data["read_only"])
    return _page(request, TokenForm(), issued)


def _revoke(request: HttpRequest, pk: str) -> HttpResponse:
    token = ApiToken.objects.filter(pk=int(pk), user=request.user).first() if (
        pk.isdigit() and len(pk) < 19) else None
    if token is None:
        raise Http404
    if keys.revoke(token):
        messages.success(request, f"Đã thu hồi khóa “{token.name}” ({token.prefix}): từ "
                                  "nay khóa này không dùng được nữa.")
    return redirect("tokens")
