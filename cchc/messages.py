"""Vietnamese sentences for the codes the core returns (read errors, catalog problems).

The core returns codes and parameters; the command line and the web app call these
functions to turn them into words. Finding messages live in `cchc.findings`.
"""

from __future__ import annotations

from typing import Any

from cchc.errors import ReadError

LEVEL_WORDS: dict[str, str] = {"province": "cấp tỉnh", "department": "sở, ngành",
                               "district": "cấp huyện", "commune": "cấp xã",
                               "service_unit": "đơn vị sự nghiệp"}

READ_ERRORS: dict[str, str] = {
    "file-not-found": "không tìm thấy tệp",
    "file-empty": "tệp rỗng, không có nội dung",
    "file-too-large": "tệp quá lớn ({size_mb} MB), giới hạn là {limit_mb} MB",
    "file-binary": "tệp không phải văn bản (có dữ liệu nhị phân)",
    "file-corrupt": "tệp bị hỏng hoặc không đúng định dạng {format}: {detail}",
    "zip-bomb": "tệp nén bất thường, có dấu hiệu bom nén (dung lượng giải nén, số thành phần "
    "hoặc tỷ lệ nén vượt giới hạn an toàn); đã từ chối đọc",
    "format-unsupported": "định dạng '{ext}' không được hỗ trợ (chỉ nhận .docx, .xlsx, .pdf, "
    ".doc, .txt, .md)",
    "libreoffice-missing": "cần LibreOffice để đọc tệp .doc; hãy cài đặt "
    "(sudo apt-get install libreoffice-writer-nogui) hoặc lưu tệp thành .docx",
    "conversion-failed": "LibreOffice không chuyển đổi được tệp: {detail}",
    "conversion-timeout": "LibreOffice chuyển đổi tệp quá {seconds} giây, đã dừng",
    "encoding-unknown": "không nhận ra bảng mã của tệp văn bản (cần UTF-8 hoặc UTF-16)",
    "pdf-encrypted": "tệp PDF có mật khẩu, không đọc được",
    "pdf-no-text": "tệp PDF không có lớp chữ (bản quét); cần bản PDF có chữ hoặc tệp Word",
    "too-many-pages": "tệp có {pages} trang, vượt giới hạn {limit} trang",
    "too-many-cells": "bảng có hơn {limit} ô, vượt giới hạn đọc",
    "document-too-complex": "nội dung tệp quá phức tạp (hơn {limit} thẻ XML), vượt giới hạn "
    "đọc",
    "pdf-bomb": "tệp PDF có dữ liệu nén bất thường, giải nén vượt {limit_mb} MB (dấu hiệu bom "
    "nén); đã từ chối đọc",
    "too-many-objects": "tệp PDF có {objects} đối tượng, vượt giới hạn {limit} đối tượng",
    "pdf-page-too-complex": "trang {page} của tệp PDF quá phức tạp để đọc: {kind} vượt giới "
    "hạn {limit}",
    "read-timeout": "đọc tệp quá {seconds} giây, tệp quá phức tạp nên đã dừng; hãy gửi tệp chỉ "
    "gồm báo cáo và biểu số liệu",
}

# Words for the values of a read error's parameters, by parameter name.
READ_ERROR_WORDS: dict[str, dict[str, str]] = {
    "kind": {"chars": "số ký tự", "graphics": "số nét vẽ và hình ảnh",
             "content": "dung lượng lệnh vẽ (MB)", "font": "dung lượng phông chữ (MB)"},
}


def read_error_message(error: ReadError) -> str:
    """One line naming the file and the problem."""
    template = READ_ERRORS.get(error.code, error.code)
    params: dict[str, Any] = {"format": "", "detail": "", **error.params}
    for key, words in READ_ERROR_WORDS.items():
        if key in params:
            params[key] = words.get(str(params[key]), params[key])
    try:
        text = template.format(**params)
    except (KeyError, IndexError):
        text = template
    return f"{error.path}: {text}"
