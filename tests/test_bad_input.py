"""Files that cannot be read give a ReadError with a stable code, never a traceback, and
reading them stays small in time and memory (zip bombs are refused before inflating)."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest
from builders import (
    build_blank_pdf,
    build_docx_from_body,
    build_encrypted_pdf,
    build_many_members_zip,
    build_report_docx,
    build_report_xlsx,
    build_text_pdf,
    build_zip_bomb,
    build_zip_without,
)
from openpyxl import Workbook

from cchc.errors import ReadError
from cchc.messages import READ_ERRORS, read_error_message
from cchc.readers import Limits, read_raw
from cchc.readers.zipsafe import MAX_CELLS, MAX_MEMBERS, MAX_TAGS

MB = 2**20
LIMITS = Limits(max_file_bytes=20 * MB, max_unzipped_bytes=200 * MB, max_pages=300,
                convert_seconds=60)
SMALL = Limits(max_file_bytes=20 * MB, max_unzipped_bytes=50 * MB, max_pages=300,
               convert_seconds=60)
FORMATS = [".docx", ".xlsx", ".pdf", ".doc"]
XLSX_MEMBERS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}


def read_error(path: Path, limits: Limits = LIMITS) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_raw(path, limits)
    error = caught.value
    assert error.code in READ_ERRORS
    message = read_error_message(error)
    assert message.startswith(f"{path}: ") and "{" not in message
    return error


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """word/document.xml inflating to 1 GB of zeros, about 1 MB on disk."""
    path = tmp_path_factory.mktemp("bomb") / "bao-cao.docx"
    return build_zip_bomb(path, "word/document.xml", 1024 * MB)


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_empty_file_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"rong{suffix}"
    path.write_bytes(b"")
    assert read_error(path).code == "file-empty"


@pytest.mark.parametrize("suffix", FORMATS)
def test_random_bytes_under_a_known_extension_are_corrupt(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"ngau-nhien{suffix}"
    path.write_bytes(os.urandom(4096))
    error = read_error(path)
    assert (error.code, error.params["format"]) == ("file-corrupt", suffix[1:])


@pytest.mark.parametrize(("suffix", "builder"), [(".docx", build_report_docx),
                                                  (".xlsx", build_report_xlsx)])
def test_a_file_cut_in_half_is_corrupt(tmp_path: Path, suffix: str, builder: object) -> None:
    whole = builder(tmp_path / f"nguyen{suffix}")  # type: ignore[operator]
    path = tmp_path / f"cat-doi{suffix}"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    error = read_error(path)
    assert (error.code, error.params["format"]) == ("file-corrupt", suffix[1:])


def test_a_pdf_cut_in_half_is_corrupt(tmp_path: Path) -> None:
    data = build_text_pdf(tmp_path / "nguyen.pdf", ["So: 228/BC-UBND"]).read_bytes()
    path = tmp_path / "cat-doi.pdf"
    path.write_bytes(data[: len(data) // 2])
    error = read_error(path)
    assert (error.code, error.params["format"]) == ("file-corrupt", "pdf")


def test_a_docx_without_its_document_part_is_corrupt(tmp_path: Path) -> None:
    path = build_zip_without(tmp_path / "thieu.docx", {"word/styles.xml": "<w:styles/>"})
    error = read_error(path)
    assert error.code == "file-corrupt"
    assert "word/document.xml" in error.params["detail"]


def test_a_docx_whose_document_is_not_xml_is_corrupt(tmp_path: Path) -> None:
    path = build_zip_without(tmp_path / "hong.docx", {"word/document.xml": "<w:document><w:"})
    assert read_error(path).code == "file-corrupt"


def test_a_docx_with_too_many_xml_tags_is_refused_before_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lowered limit: at the real one (MAX_TAGS) such a file compresses past the bomb ratio.
    assert MAX_TAGS >= 1_000_000
    monkeypatch.setattr("cchc.readers.zipsafe.MAX_TAGS", 1000)
    path = build_docx_from_body(tmp_path / "nhieu-the.docx", "<w:p/>" * 1000)
    error = read_error(path)
    assert (error.code, error.params) == ("document-too-complex", {"limit": 1000})


def test_a_docx_with_too_many_cells_is_refused(tmp_path: Path) -> None:
    row = "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"1000\"/></w:tcPr><w:p/></w:tc></w:tr>"
    path = build_docx_from_body(tmp_path / "nhieu-o.docx",
                                f"<w:tbl>{row * (MAX_CELLS // 1000 + 1)}</w:tbl>")
    error = read_error(path)
    assert (error.code, error.params) == ("too-many-cells", {"limit": MAX_CELLS})


def test_an_xlsx_with_too_many_cells_is_refused_before_openpyxl(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cchc.readers.zipsafe.MAX_CELLS", 1000)
    cells = '<c r="A1"><v>1</v></c>' * 1001
    # Not even a valid workbook: the count comes first, from the raw sheet XML.
    sheet = f'<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    path = build_zip_without(tmp_path / "nhieu-o.xlsx",
                             {**XLSX_MEMBERS, "xl/worksheets/sheet1.xml": sheet})
    error = read_error(path)
    assert (error.code, error.params) == ("too-many-cells", {"limit": 1000})


def test_a_docx_bomb_is_refused_from_its_directory(gigabyte_bomb: Path) -> None:
    error = read_error(gigabyte_bomb, SMALL)
    assert (error.code, error.params) == ("zip-bomb", {"size_mb": 1024.0, "limit_mb": 50.0})


def test_reading_a_bomb_keeps_memory_small(gigabyte_bomb: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ReadError):
            read_raw(gigabyte_bomb, LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MB


def test_a_member_compressed_two_hundred_fold_is_a_bomb_under_the_total(
        tmp_path: Path) -> None:
    path = build_zip_bomb(tmp_path / "bao-cao.docx", "word/document.xml", 64 * MB)
    error = read_error(path, LIMITS)
    assert error.code == "zip-bomb"
    assert error.params["size_mb"] == 64.0
    assert error.params["ratio"] > error.params["limit_ratio"] == 200


def test_an_xlsx_bomb_is_refused(tmp_path: Path) -> None:
    path = build_zip_bomb(tmp_path / "phu-luc.xlsx", "xl/worksheets/sheet1.xml", 1024 * MB,
                          extra=XLSX_MEMBERS)
    assert read_error(path, SMALL).code == "zip-bomb"


@pytest.mark.parametrize(("name", "member", "extra"), [
    ("bao-cao.docx", "word/document.xml", {}),
    ("phu-luc.xlsx", "xl/worksheets/sheet1.xml", XLSX_MEMBERS),
])
def test_a_directory_that_understates_the_size_is_caught_reading_in_small_memory(
        tmp_path: Path, name: str, member: str, extra: dict[str, str]) -> None:
    # Declares 1 KB, inflates to 1 GB: reading must stop early, never hold the gigabyte.
    path = build_zip_bomb(tmp_path / name, member, 1024 * MB, declared=1024, extra=extra)
    tracemalloc.start()
    try:
        error = read_error(path, SMALL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "file-corrupt"
    assert member in error.params["detail"]
    assert peak < 50 * MB


def test_a_zip_with_twenty_thousand_members_is_refused(tmp_path: Path) -> None:
    path = build_many_members_zip(tmp_path / "bao-cao.docx", 20_000)
    error = read_error(path)
    assert error.code == "zip-bomb"
    assert (error.params["members"], error.params["limit_members"]) == (20_000, MAX_MEMBERS)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = build_report_docx(tmp_path / "bao-cao.docx")
    limits = Limits(max_file_bytes=10_000, max_unzipped_bytes=200 * MB, max_pages=300,
                    convert_seconds=60)
    error = read_error(path, limits)
    assert error.code == "file-too-large"
    assert error.params["limit_mb"] == round(10_000 / MB, 1)


def test_a_pdf_that_is_not_a_pdf_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.pdf"
    path.write_text("Số: 228/BC-UBND\nBÁO CÁO\n", encoding="utf-8")
    error = read_error(path)
    assert (error.code, error.params["format"]) == ("file-corrupt", "pdf")


def test_a_pdf_locked_with_a_password_is_refused(tmp_path: Path) -> None:
    plain = build_text_pdf(tmp_path / "ro.pdf", ["So: 228/BC-UBND"])
    path = build_encrypted_pdf(plain, tmp_path / "mat-khau.pdf", user_password="228")
    assert read_error(path).code == "pdf-encrypted"


def test_a_pdf_encrypted_without_an_open_password_is_read(tmp_path: Path) -> None:
    plain = build_text_pdf(tmp_path / "ro.pdf", ["So: 228/BC-UBND", "BAO CAO"])
    path = build_encrypted_pdf(plain, tmp_path / "chi-chan-in.pdf", user_password="")
    assert [p.text for p in read_raw(path, LIMITS).paragraphs] == ["So: 228/BC-UBND",
                                                                   "BAO CAO"]


def test_a_pdf_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    path = build_blank_pdf(tmp_path / "ban-quet.pdf", pages=2)
    assert read_error(path).code == "pdf-no-text"


def test_a_pdf_over_the_page_limit_is_refused(tmp_path: Path) -> None:
    path = build_blank_pdf(tmp_path / "dai.pdf", pages=5)
    limits = Limits(max_file_bytes=20 * MB, max_unzipped_bytes=200 * MB, max_pages=3,
                    convert_seconds=60)
    error = read_error(path, limits)
    assert (error.code, error.params) == ("too-many-pages", {"pages": 5, "limit": 3})


def test_a_sparse_sheet_whose_grid_would_be_huge_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cchc.readers.zipsafe.MAX_CELLS", 10_000)
    book = Workbook()
    book.active["A1"] = "Số hồ sơ"
    book.active["XFD1048576"] = 3327  # the last cell of a sheet: 2 rows x 16,384 columns
    path = tmp_path / "thua.xlsx"
    book.save(path)
    error = read_error(path)
    assert (error.code, error.params) == ("too-many-cells", {"limit": 10_000})
