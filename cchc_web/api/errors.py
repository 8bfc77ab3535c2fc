"""Every failure of the API as JSON: `{"error": {"code", "message", "details"}}`, a stable
kebab-case code (docs/api.md) and a Vietnamese message; never an HTML page, never a bare 500.

`install` puts the handlers on the NinjaAPI; `guarded` wraps its URL views, so that what
happens before or outside an operation (a NUL byte in the query, a method the path does not
take, the API's root) answers the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger("cchc_web.api")

MESSAGES = {
    "not-authenticated": "Chưa đăng nhập: hãy gửi khóa truy cập API trong tiêu đề "
                         "“Authorization: Bearer …” hoặc đăng nhập trên trang web.",
    "token-invalid": "Khóa truy cập API không đúng.",
    "token-expired": "Khóa truy cập API đã hết hạn; hãy tạo khóa mới ở trang "
                     "“Khóa truy cập API”.",
    "token-revoked": "Khóa truy cập API đã bị thu hồi.",
    "account-disabled": "Tài khoản của khóa truy cập API đã bị khóa.",
    "csrf-failed": "Thiếu hoặc sai mã chống giả mạo (CSRF): yêu cầu ghi từ trình duyệt phải "
                   "gửi tiêu đề X-CSRFToken.",
    "token-read-only": "Khóa truy cập API này chỉ được đọc, không được thay đổi dữ liệu.",
    "forbidden": "Bạn không có quyền thực hiện thao tác này.",
    "not-found": "Không tìm thấy (hoặc bạn không có quyền xem).",
    "method-not-allowed": "Đường dẫn này không nhận phương thức {method}.",
    "bad-input": "Yêu cầu không hợp lệ.",
    "invalid-input": "Tham số không hợp lệ.",
    "throttled": "Quá nhiều yêu cầu; hãy thử lại sau {seconds} giây.",
    "render-failed": "Không tạo được văn bản.",
    "internal-error": "Lỗi hệ thống; yêu cầu chưa được thực hiện. Quản trị viên đã được "
                      "ghi nhận lỗi.",
}
STATUS_CODES = {400: "bad-input", 401: "not-authenticated", 403: "forbidden", 404: "not-found",
                405: "method-not-allowed", 422: "invalid-input", 429: "throttled"}


class ApiError(Exception):
    """A failure to answer with `status` and `code` (MESSAGES[code] unless `message`)."""

    def __init__(self, status: int, code: str, message: str | None = None,
                 details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message or MESSAGES[code]
        self.details = details
        self.headers = headers or {}


def response(status: int, code: str, message: str | None = None, details: Any = None,
             headers: dict[str, str] | None = None) -> HttpResponse:
    body = {"error": {"code": code, "message": message or MESSAGES[code], "details": details}}
    out = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for key, value in (headers or {}).items():
        out[key] = value
    return out


def from_error(error: ApiError) -> HttpResponse:
    return response(error.status, error.code, error.message, error.details, error.headers)


# pydantic's error types, in words: "Tham số “limit” phải nhỏ hơn hoặc bằng 500."
WORDS: dict[str, str] = {
    "missing": "bắt buộc phải có",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "date_parsing": "phải là ngày dạng NNNN-TT-NN (ví dụ 2025-07-01)",
    "date_from_datetime_parsing": "phải là ngày dạng NNNN-TT-NN (ví dụ 2025-07-01)",
    "date_from_datetime_inexact": "phải là ngày dạng NNNN-TT-NN (ví dụ 2025-07-01)",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "greater_than": "phải lớn hơn {gt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "less_than": "phải nhỏ hơn {lt}",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_too_short": "phải có ít nhất {min_length} ký tự",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "string_pattern_mismatch": "không đúng định dạng",
    "json_invalid": "không phải JSON hợp lệ",
    "period_spec": "phải là mã số của kỳ (ví dụ 7) hoặc LOẠI:NĂM[:SỐ] (ví dụ half_year:2022, "
                   "quarter:2026:4)",
}
PLACES = {"query": "Tham số", "path": "Phần đường dẫn", "body": "Nội dung", "header": "Tiêu đề"}


def problem(loc: list[Any], kind: str, ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    """One invalid parameter: where, pydantic's type, and the words for it."""
    template = WORDS.get(kind, "không hợp lệ")
    ctx = dict(ctx or {})
    if isinstance(ctx.get("expected"), str):  # pydantic's "'docx', 'xlsx' or 'pdf'"
        ctx["expected"] = ctx["expected"].replace(" or ", " hoặc ")
    try:
        words = template.format(**ctx)
    except (KeyError, IndexError):
        words = "không hợp lệ"
    return {"loc": [str(x) for x in loc], "type": kind, "message": words}


def invalid(problems: list[dict[str, Any]]) -> ApiError:
    message = MESSAGES["invalid-input"]
    if problems and problems[0]["loc"]:
        where, *names = problems[0]["loc"]
        place = PLACES.get(where, "Giá trị")
        message = f"{place} “{'.'.join(names) or where}” {problems[0]['message']}."
    return ApiError(422, "invalid-input", message, problems)


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [problem(list(e.get("loc", ())), str(e.get("type", "")), e.get("ctx"))
                for e in exc.errors]
    return from_error(invalid(problems))


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return from_error(exc)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return response(404, "not-found")


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return response(403, "forbidden")


def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return response(401, "not-authenticated", headers={"WWW-Authenticate": "Bearer"})


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    seconds = max(1, int(exc.wait or 60))
    return response(429, "throttled", MESSAGES["throttled"].format(seconds=seconds),
                    {"retry_after": seconds}, {"Retry-After": str(seconds)})


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = STATUS_CODES.get(exc.status_code, "bad-input")
    return response(exc.status_code, code)


def _internal(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return response(500, "internal-error")


def install(api: NinjaAPI) -> None:
    """Replace ninja's error answers (`{"detail": …}`, a traceback or Django's HTML page)."""
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(AuthenticationError, _unauthenticated)
    api.add_exception_handler(Throttled, _throttled)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Exception, _internal)


# What any request to the API may carry: larger or stranger is refused before it is read.
MAX_PATH = 512
MAX_VALUE = 256
MAX_PARAMETERS = 32
View = Callable[..., HttpResponse]


def bad_input(request: HttpRequest) -> str | None:
    """Why the request is refused as bad input (400), or None."""
    if "\x00" in request.path or len(request.path) > MAX_PATH:
        return "Đường dẫn chứa ký tự không hợp lệ hoặc quá dài."
    if len(request.GET) > MAX_PARAMETERS:
        return f"Quá nhiều tham số (tối đa {MAX_PARAMETERS})."
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return "Tham số chứa ký tự NUL (\\x00)."
        if len(key) > MAX_VALUE or any(len(v) > MAX_VALUE for v in values):
            return f"Tham số dài quá {MAX_VALUE} ký tự."
    if "\x00" in request.headers.get("Authorization", ""):
        return "Tiêu đề Authorization chứa ký tự NUL (\\x00)."
    return None


def guarded(view: View) -> View:
    """`view` behind the bad-input check, with its non-JSON failures answered as JSON.
    Exempt from Django's CSRF check, as ninja's own views are: the session authentication
    checks CSRF itself (cchc_web.api.auth), and a token request has no cookie to forge."""
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        why = bad_input(request)
        if why is not None:
            return response(400, "bad-input", why)
        try:
            answer = view(request, *args, **kwargs)
        except Http404:
            return response(404, "not-found")
        except Exception as exc:
            return _internal(request, exc)
        if answer.status_code == 405 and not _is_json(answer):
            allowed = answer.get("Allow", "")
            return response(405, "method-not-allowed",
                            MESSAGES["method-not-allowed"].format(method=request.method),
                            {"allowed": [m.strip() for m in allowed.split(",") if m.strip()]},
                            {"Allow": allowed})
        return answer
    return wrapper


def _is_json(answer: HttpResponse) -> bool:
    return str(answer.get("Content-Type", "")).startswith("application/json")


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that is no endpoint."""
    why = bad_input(request)
    if why is not None:
        return response(400, "bad-input", why)
    return response(404, "not-found", "Không có địa chỉ này trong API; danh sách địa chỉ ở "
                    "/api/docs và /api/openapi.json.")
