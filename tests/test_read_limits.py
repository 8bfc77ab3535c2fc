"""Files within the size limits that are still hostile or huge are read in bounded memory or
refused with a stable code: PDF decompression bombs, object and page counts, pages too heavy
to lay out, long .docx parts streamed, the read's time budget, and control characters (NUL
cannot be stored in PostgreSQL) dropped from every reader's output. No test here asserts a
time: bounds are asserted on memory and on behaviour."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from builders import (
    HEADER_TABLE,
    build_docx_from_body,
    build_encrypted_pdf,
    build_long_table_docx,
    build_pdf_bomb,
    build_pdf_font_bomb,
    build_pdf_of_pages,
    build_pdf_page_of_chars,
    build_pdf_predictor_bomb,
    build_pdf_with_control_characters,
    build_pdf_with_objects,
    build_report_docx,
    build_xlsx_from_parts,
    long_paragraphs_body,
)

from cchc.errors import ReadError
from cchc.messages import READ_ERRORS, read_error_message
from cchc.model import RawDocument
from cchc.readers import Limits, read_raw
from cchc.readers.deadline import budget, checkpoint
from cchc.readers.docx import read_docx

MB = 2**20
LIMITS = Limits(max_file_bytes=20 * MB, max_unzipped_bytes=200 * MB, max_pages=300,
                convert_seconds=60)
NO_TIME = Limits(max_file_bytes=20 * MB, max_unzipped_bytes=200 * MB, max_pages=300,
                 convert_seconds=60, read_seconds=0)
ROOT = Path(__file__).resolve().parent.parent
CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n"}


def read_error(path: Path, limits: Limits = LIMITS) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_raw(path, limits)
    error = caught.value
    assert error.code in READ_ERRORS
    message = read_error_message(error)
    assert message.startswith(f"{path}: ") and "{" not in message
    return error


def texts_of(doc: RawDocument) -> list[str]:
    return [p.text for p in doc.paragraphs] + [
        cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def assert_no_controls(doc: RawDocument) -> None:
    for text in texts_of(doc):
        assert not CONTROLS & set(text), repr(text)


def peak_in_fresh_process(path: Path) -> tuple[str, float]:
    """(error code or "ok", peak RSS in MB) of reading `path` in a new interpreter.

    The peak is the process's own high-water mark (VmHWM): ru_maxrss of a child started
    from a large process also counts the parent's memory it was forked with."""
    code = (
        "import json, resource, sys\n"
        "from cchc.errors import ReadError\n"
        "from cchc.readers import read_raw\n"
        "try:\n"
        "    read_raw(sys.argv[1]); outcome = 'ok'\n"
        "except ReadError as exc:\n"
        "    outcome = exc.code\n"
        "try:\n"
        "    status = open('/proc/self/status').read()\n"
        "    peak = int(status.split('VmHWM:')[1].split()[0])\n"
        "except (OSError, IndexError):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps([outcome, peak]))\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    outcome, kilobytes = json.loads(done.stdout)
    return outcome, kilobytes / 1024


# ---------------------------------------------------------------- PDF: bombs and counts


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's file: 1.5 MB on disk, a content stream of 1.5 GB inflated."""
    return build_pdf_bomb(tmp_path_factory.mktemp("pdf") / "bao-cao.pdf", 1536)


def test_a_pdf_bomb_is_refused_before_it_is_opened(pdf_bomb: Path) -> None:
    assert pdf_bomb.stat().st_size < 2 * MB
    error = read_error(pdf_bomb)
    assert error.code == "pdf-bomb"
    assert error.params["limit_mb"] == 200.0
    assert error.params["size_mb"] > 200.0


def test_refusing_a_pdf_bomb_keeps_memory_small(pdf_bomb: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ReadError):
            read_raw(pdf_bomb, LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * MB


def test_a_pdf_bomb_costs_a_fresh_worker_little_memory(pdf_bomb: Path) -> None:
    # Before the guard, this file took 3.1 GB (pdfminer inflates a stream whole).
    outcome, peak_mb = peak_in_fresh_process(pdf_bomb)
    assert outcome == "pdf-bomb"
    assert peak_mb < 250


def test_a_stream_deflated_twice_is_followed_through_both_filters(tmp_path: Path) -> None:
    path = build_pdf_bomb(tmp_path / "hai-lop.pdf", 1024, b"[/FlateDecode /FlateDecode]")
    assert path.stat().st_size < 64 * 1024
    assert read_error(path).code == "pdf-bomb"


def test_an_encrypted_pdf_bomb_is_decrypted_then_refused(tmp_path: Path) -> None:
    plain = build_pdf_bomb(tmp_path / "bom.pdf", 300)
    path = build_encrypted_pdf(plain, tmp_path / "bom-ma-hoa.pdf", user_password="")
    assert read_error(path).code == "pdf-bomb"


def test_a_content_stream_under_the_total_but_too_large_for_a_page_is_refused(
        tmp_path: Path) -> None:
    path = build_pdf_bomb(tmp_path / "trang-nang.pdf", 64)
    error = read_error(path)
    assert (error.code, error.params) == ("pdf-page-too-complex",
                                          {"page": 1, "kind": "content", "limit": 8})


def test_a_font_program_that_inflates_too_far_is_refused(tmp_path: Path) -> None:
    path = build_pdf_font_bomb(tmp_path / "phong-chu.pdf", 64)
    error = read_error(path)
    assert (error.code, error.params["kind"]) == ("pdf-page-too-complex", "font")


def test_a_predictor_with_absurd_rows_is_refused(tmp_path: Path) -> None:
    path = build_pdf_predictor_bomb(tmp_path / "du-doan.pdf", 100_000_000)
    assert read_error(path).code == "pdf-bomb"


def test_a_pdf_with_too_many_objects_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cchc.readers.pdfsafe.MAX_OBJECTS", 1000)
    path = build_pdf_with_objects(tmp_path / "nhieu-doi-tuong.pdf", 2000)
    error = read_error(path)
    assert error.code == "too-many-objects"
    assert error.params["limit"] == 1000 and error.params["objects"] > 2000


def test_a_long_page_tree_is_refused_with_its_declared_count(tmp_path: Path) -> None:
    path = build_pdf_of_pages(tmp_path / "dai.pdf", 400)
    error = read_error(path)
    assert (error.code, error.params) == ("too-many-pages", {"pages": 400, "limit": 300})


def test_a_page_with_too_many_characters_is_refused(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cchc.readers.pdfsafe.MAX_PAGE_CHARS", 500)
    path = build_pdf_page_of_chars(tmp_path / "day-chu.pdf", lines=20, per_line=50)
    error = read_error(path)
    assert (error.code, error.params) == ("pdf-page-too-complex",
                                          {"page": 1, "kind": "chars", "limit": 500})


def test_a_page_within_the_bounds_still_reads(tmp_path: Path) -> None:
    path = build_pdf_page_of_chars(tmp_path / "vua-du.pdf", lines=20, per_line=50)
    everything = " ".join(texts_of(read_raw(path, LIMITS)))
    assert "00000" in everything and "00019" in everything


def test_a_small_stream_of_spaces_is_read_normally(tmp_path: Path) -> None:
    path = build_pdf_bomb(tmp_path / "binh-thuong.pdf", 2)
    assert [p.text for p in read_raw(path, LIMITS).paragraphs] == ["So: 228/BC-UBND"]


def test_a_pdf_font_mapping_to_nul_gives_no_control_characters(tmp_path: Path) -> None:
    doc = read_raw(build_pdf_with_control_characters(tmp_path / "nul.pdf"), LIMITS)
    assert_no_controls(doc)
    assert [p.text.split() for p in doc.paragraphs] == [["So", "lieu"], ["Tong", "so:", "3327"]]


# ---------------------------------------------------------------- .docx: streamed


def merge_mark(n: int) -> str:
    """A note merged down three rows: every third row restarts it."""
    return '<w:vMerge w:val="restart"/>' if n % 3 == 0 else "<w:vMerge/>"


def test_the_streamed_docx_read_does_not_depend_on_chunk_or_batch_sizes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = ("<w:p><w:r><w:t>Số: 228/BC-UBND</w:t></w:r></w:p>"
            '<w:sdt><w:sdtContent><w:p><w:r><w:t>Kế Sách</w:t></w:r></w:p></w:sdtContent></w:sdt>'
            + "<w:p>" + "".join(f"<w:r><w:t>dòng {n}</w:t><w:br/></w:r>" for n in range(40))
            + '<w:del w:id="1" w:author="A"><w:r><w:delText>bỏ</w:delText></w:r></w:del>'
            "<w:r><w:tab/><w:t>hết</w:t></w:r></w:p><w:p>"
            + '<w:r><w:t xml:space="preserve"> số  </w:t></w:r>' * 40 + "</w:p>"
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
            + "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc>"
                      f"<w:tc><w:tcPr>{merge_mark(n)}</w:tcPr>"
                      f"<w:p><w:r><w:t>ghi chú {n}</w:t></w:r></w:p></w:tc></w:tr>"
                      for n in range(30))
            + '<w:tr><w:trPr><w:del w:id="2" w:author="A"/></w:trPr><w:tc><w:p/></w:tc></w:tr>'
            "<w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>cuối</w:t></w:r></w:p></w:tc>"
            "</w:tr></w:sdtContent></w:sdt></w:tbl><w:p><w:r><w:t>Nơi nhận</w:t></w:r></w:p>")
    paths = [build_report_docx(tmp_path / "bao-cao.docx"),
             build_long_table_docx(tmp_path / "dai.docx", 120),
             build_docx_from_body(tmp_path / "tay.docx", body)]
    whole = [read_docx(p, p.name, LIMITS) for p in paths]
    monkeypatch.setattr("cchc.readers.zipsafe.CHUNK", 97)
    monkeypatch.setattr("cchc.readers.docx.BATCH_ROWS", 2)
    monkeypatch.setattr("cchc.readers.docx.LONG_PARAGRAPH", 3)
    streamed = [read_docx(p, p.name, LIMITS) for p in paths]
    assert streamed == whole
    hand = whole[2]
    assert hand.paragraphs[2].text.startswith("dòng 0\ndòng 1\n")
    assert hand.paragraphs[2].text.endswith("dòng 39\nhết")
    assert hand.paragraphs[3].text == "số   " * 39 + "số"  # spaces kept where runs meet
    assert [row.texts for row in hand.tables[0].rows][:4] == [
        ["0", "ghi chú 0"], ["1", ""], ["2", ""], ["3", "ghi chú 3"]]
    assert hand.tables[0].rows[-1].texts == ["cuối", ""]
    assert len(hand.tables[0].rows) == 31


def test_a_long_docx_part_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # 48 MB of WordprocessingML: the whole-tree read peaked at 600 MB.
    path = build_docx_from_body(tmp_path / "dai.docx", long_paragraphs_body(48))
    outcome, peak_mb = peak_in_fresh_process(path)
    assert outcome == "ok"
    assert peak_mb < 200


def test_a_carriage_return_in_a_docx_becomes_a_line_break(tmp_path: Path) -> None:
    path = build_docx_from_body(tmp_path / "cr.docx", (
        "<w:p><w:r><w:t>Số hồ sơ&#13;tiếp nhận</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ghi&#13;&#10;chú</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"))
    doc = read_raw(path, LIMITS)
    assert [p.text for p in doc.paragraphs] == ["Số hồ sơ\ntiếp nhận"]
    assert doc.tables[0].rows[0].texts == ["Ghi\nchú"]
    assert_no_controls(doc)


# ---------------------------------------------------------------- the time budget


def test_a_read_past_its_time_budget_stops_with_read_timeout(tmp_path: Path) -> None:
    path = build_report_docx(tmp_path / "bao-cao.docx")
    error = read_error(path, NO_TIME)
    assert (error.code, error.params) == ("read-timeout", {"seconds": 0})
    assert "0 giây" in read_error_message(error)


@pytest.mark.parametrize("suffix", [".txt", ".xlsx", ".pdf"])
def test_every_reader_looks_at_the_budget(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"dai{suffix}"
    if suffix == ".txt":
        path.write_text("".join(f"{n}\tSố hồ sơ\t{n}\n" for n in range(6000)), "utf-8")
    elif suffix == ".xlsx":
        rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 2500))
        build_xlsx_from_parts(path, rows)
    else:
        build_pdf_of_pages(path, 2)
    assert read_error(path, NO_TIME).code == "read-timeout"


def test_a_caller_can_run_a_read_under_its_own_budget(tmp_path: Path) -> None:
    path = build_report_docx(tmp_path / "bao-cao.docx")
    with budget(3600, str(path)):
        doc = read_raw(path, NO_TIME)  # the caller's budget, not the limits', applies
        checkpoint()
    assert doc.tables[0].rows[0].texts == HEADER_TABLE[0]
    with budget(0, str(path)), pytest.raises(ReadError) as caught:
        read_raw(path, LIMITS)
    assert caught.value.code == "read-timeout"
    checkpoint()  # no budget running: nothing to check


def test_the_time_budget_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Limits.from_env().read_seconds == 20
    monkeypatch.setenv("CCHC_READ_SECONDS", "7.5")
    assert Limits.from_env().read_seconds == 7.5
    monkeypatch.setenv("CCHC_READ_SECONDS", "nhanh")
    with pytest.raises(ValueError, match="CCHC_READ_SECONDS"):
        Limits.from_env()


# ---------------------------------------------------------------- text: UTF-16 and controls

DENSE = ("Hướng dẫn thực hiện nhiệm vụ cải cách thủ tục hành chính\n"
         "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n"
         "1\tSố hồ sơ tiếp nhận\tHồ sơ\t3.327\n"
         "2\tSố hồ sơ giải quyết đúng hạn\tHồ sơ\t2.546\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_dense_with_tone_marks_is_told_by_its_nul_bytes(tmp_path: Path,
                                                              codec: str) -> None:
    # A quarter of these characters have no NUL byte in UTF-16: the old rule (80% of
    # high bytes NUL) refused such a file as binary.
    path = tmp_path / "bao-cao.txt"
    path.write_bytes((DENSE * 40).encode(codec))
    doc = read_raw(path, LIMITS)
    assert doc.paragraphs[0].text == "Hướng dẫn thực hiện nhiệm vụ cải cách thủ tục hành chính"
    assert doc.tables[0].rows[1].texts == ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "3.327"]


def test_nul_characters_in_a_utf16_text_are_dropped(tmp_path: Path) -> None:
    text = DENSE.replace("Số hồ sơ tiếp", "Số hồ sơ\x00 tiếp").replace("3.327", "3.32\x007")
    path = tmp_path / "nul.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le") + b"\x00" * 512)  # NUL padding
    doc = read_raw(path, LIMITS)
    assert_no_controls(doc)
    assert doc.tables[0].rows[1].texts == ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "3.327"]


def test_a_few_control_characters_after_the_first_block_are_dropped(tmp_path: Path) -> None:
    text = "Báo cáo\n" * 1000 + "1\tSố\x01 hồ sơ\t\x0bHồ sơ\t3\n2\ta\tb\tc\n3\ta\tb\tc\x00\n"
    path = tmp_path / "dieu-khien.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = read_raw(path, LIMITS)
    assert_no_controls(doc)
    assert doc.tables[0].rows[0].texts == ["1", "Số hồ sơ", "Hồ sơ", "3"]


def test_a_text_table_over_the_cell_limit_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cchc.readers.zipsafe.MAX_CELLS", 100)
    path = tmp_path / "nhieu-o.txt"
    path.write_text("".join(f"{n}\tSố hồ sơ\tHồ sơ\t{n}\n" for n in range(30)), "utf-8")
    error = read_error(path)
    assert (error.code, error.params) == ("too-many-cells", {"limit": 100})


# ---------------------------------------------------------------- .xlsx: escapes, merges


def test_excel_escapes_become_characters_and_controls_are_dropped(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Hồ_x0007_ sơ</t></is></c>'
            '<c r="B2" t="s"><v>2</v></c></row>')
    path = build_xlsx_from_parts(tmp_path / "thoat.xlsx", rows, shared=(
        "Số hồ sơ_x000D_\ntiếp nhận", "Ghi_x0000_ chú", "giữ _x005F_x0041_"))
    doc = read_raw(path, LIMITS)
    assert [row.texts for row in doc.tables[0].rows] == [
        ["Số hồ sơ\ntiếp nhận", "Ghi chú"], ["Hồ sơ", "giữ _x0041_"]]
    assert_no_controls(doc)


def test_a_value_hidden_by_a_merged_range_is_left_out(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1"><v>5</v></c></row><row r="2"><c r="A2"><v>1</v></c>'
            '<c r="B2" s="1"><v>0.9774</v></c><c r="C2" s="2"><v>44727</v></c></row>')
    path = build_xlsx_from_parts(tmp_path / "gop.xlsx", rows, shared=("Gộp", "ẩn"),
                                 merges=("A1:B1",))
    doc = read_raw(path, LIMITS)
    assert [row.texts for row in doc.tables[0].rows] == [
        ["Gộp", "", "5"], ["1", "97,74%", "15/06/2022"]]
    assert doc.tables[0].rows[1].cells[1].is_percent


def test_a_1904_workbook_dates_from_1904(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" s="2"><v>43265</v></c><c r="B1"><v>1</v></c></row>'
    path = build_xlsx_from_parts(tmp_path / "mac.xlsx", rows, date1904=True)
    assert read_raw(path, LIMITS).tables[0].rows[0].texts == ["15/06/2022", "1"]
