"""PDF fixtures are made the way units make them: a Word report exported by LibreOffice."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from builders import (
    BORDERLESS_ROWS,
    CLOSING,
    HEADER_ROW_1,
    HEADER_ROW_2,
    NARRATIVE,
    build_long_table_docx,
    build_narrative_and_borderless_docx,
    build_report_docx,
    long_row,
)

from cchc.errors import ReadError
from cchc.model import RawDocument, RawTable, Source
from cchc.readers import Limits, read_raw
from cchc.readers.doc import convert_with_libreoffice
from cchc.readers.pdf import read_pdf

# Skipped only on a developer machine without LibreOffice; in CI (which installs it) a
# missing soffice must fail, not skip.
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                reason="LibreOffice (soffice) is not installed")

LIMITS = Limits(max_file_bytes=20 * 2**20, max_unzipped_bytes=200 * 2**20, max_pages=300,
                convert_seconds=120)
LONG_ROWS = 60
HEADER = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]


def to_pdf(docx: Path) -> Path:
    return convert_with_libreoffice(docx, "pdf", docx.parent, LIMITS.convert_seconds)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf-long")
    return to_pdf(build_long_table_docx(folder / "bao-cao-dai.docx", LONG_ROWS))


@pytest.fixture(scope="module")
def long_doc(long_pdf: Path) -> RawDocument:
    return read_raw(long_pdf, LIMITS)


@pytest.fixture(scope="module")
def report_doc(tmp_path_factory: pytest.TempPathFactory) -> RawDocument:
    folder = tmp_path_factory.mktemp("pdf-report")
    return read_raw(to_pdf(build_report_docx(folder / "bao-cao-228.docx")), LIMITS)


def flat(text: str) -> str:
    """Cell text with the PDF's wrapping undone: a wrapped line reads as a space."""
    return " ".join(text.split())


def flat_rows(table: RawTable) -> list[list[str]]:
    return [[flat(text) for text in row.texts] for row in table.rows]


def test_a_table_spanning_pages_gives_one_fragment_per_page(long_doc: RawDocument) -> None:
    assert long_doc.format == "pdf"
    pages = [t.rows[0].cells[0].source.page for t in long_doc.tables]
    assert len(pages) >= 2
    assert pages == sorted(set(pages))
    assert [t.index for t in long_doc.tables] == list(range(1, len(pages) + 1))


def test_each_fragment_opens_with_a_break_and_the_repeated_header(
        long_doc: RawDocument) -> None:
    for table in long_doc.tables:
        assert flat_rows(table)[0] == HEADER
        assert [row.break_before for row in table.rows] == [True] + [False] * (
            len(table.rows) - 1)


def test_every_data_row_is_read_once_in_order(long_doc: RawDocument) -> None:
    data = [row for t in long_doc.tables for row in flat_rows(t)[1:]]
    assert data == [[flat(text) for text in long_row(i)] for i in range(1, LONG_ROWS + 1)]


def test_cell_sources_give_page_row_and_column(long_doc: RawDocument) -> None:
    second = long_doc.tables[1]
    page = second.rows[0].cells[0].source.page
    assert page is not None and page >= 2
    for r, row in enumerate(second.rows, start=1):
        assert [c.source for c in row.cells] == [
            Source(page=page, row=r, col=c) for c in range(1, 6)]


def test_lines_outside_the_table_are_paragraphs_with_page_and_line(
        long_doc: RawDocument) -> None:
    first_page = [p.text for p in long_doc.paragraphs if p.source.page == 1]
    assert first_page[:2] == ["Số: 228/BC-UBND", "BÁO CÁO"]
    assert long_doc.paragraphs[0].source == Source(page=1, line=1)
    assert flat(" ".join(first_page)).endswith(NARRATIVE[-1])
    last = long_doc.paragraphs[-1]
    assert last.text == CLOSING
    assert last.source.page == long_doc.tables[-1].rows[0].cells[0].source.page
    assert not any("Số hồ sơ TTHC tiếp nhận" in p.text for p in long_doc.paragraphs)


def test_merged_header_cells_are_empty_where_covered(report_doc: RawDocument) -> None:
    appendix = report_doc.tables[0]
    assert flat_rows(appendix)[:2] == [HEADER_ROW_1, HEADER_ROW_2]
    assert flat_rows(appendix)[2] == ["I", "Công tác chỉ đạo điều hành CCHC", "", "", ""]


def test_a_table_split_by_hand_repeats_its_header_on_the_next_page(
        report_doc: RawDocument) -> None:
    last = report_doc.tables[-1]
    assert flat_rows(last)[:3] == [
        HEADER_ROW_1, HEADER_ROW_2,
        ["3.3.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%",
         "97,74", ""]]


def test_a_page_without_ruled_lines_gives_its_aligned_table_and_no_table_from_prose(
        tmp_path: Path) -> None:
    pdf = to_pdf(build_narrative_and_borderless_docx(tmp_path / "khong-ke.docx"))
    doc = read_pdf(pdf, "khong-ke.pdf", LIMITS)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [row.texts for row in table.rows] == BORDERLESS_ROWS
    table_page = table.rows[0].cells[0].source.page
    assert table_page is not None and table_page >= 2
    # Every narrative line stays a paragraph, on the pages before the table's.
    assert {p.source.page for p in doc.paragraphs} == set(range(1, table_page))
    assert any(NARRATIVE[0].startswith(p.text) for p in doc.paragraphs)


def test_more_pages_than_the_limit_is_refused(long_pdf: Path) -> None:
    limits = Limits(max_file_bytes=LIMITS.max_file_bytes,
                    max_unzipped_bytes=LIMITS.max_unzipped_bytes, max_pages=1,
                    convert_seconds=60)
    with pytest.raises(ReadError) as caught:
        read_pdf(long_pdf, "bao-cao-dai.pdf", limits)
    assert caught.value.code == "too-many-pages"
    assert caught.value.params["limit"] == 1
    assert caught.value.params["pages"] >= 2
