"""The official .docx: page setup, fonts, the header block, the body, "Nơi nhận" and the
signature, page numbers, the appendix table; the shipped template and custom templates.

The document is read back at the XML level (python-docx for the structure, lxml for what
python-docx does not expose), so that each property is checked as Word stores it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import Table

from cchc.render.document import (
    Appendix,
    Line,
    ReportDocument,
    Section,
    appendix_reference,
    letterhead,
    signature,
)
from cchc.render.docx import TEMPLATE, TemplateError, template_path, write_docx
from cchc.render.make_template import build

DAY = dt.date(2022, 6, 16)
LINES = (
    Line("I", "I", "Công tác chỉ đạo điều hành CCHC", "", "section", "", None, depth=0),
    Line("I.1", "1", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "percent", "48", 48.0,
         note="Kế hoạch số 30/KH-UBND ngày 18/01/2022", depth=1),
    Line("III.3", "3.3.1", "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận", "Hồ sơ", "count",
         "1.241", 1241.0, depth=2),
    Line("III.4", "3.3.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng "
         "hạn", "%", "percent", "97,74", 97.74, depth=2),
    Line("III.5", "3.3.4", "Chi phí thực hiện", "Đồng", "decimal", "1.500.050,30",
         1500050.3, depth=2),
    Line(None, "", "- Số hồ sơ trả qua bưu chính", "Hồ sơ", "count", "02", 2.0,
         note="Sở TT&TT <tổng hợp>", depth=3),
)


def sample(appendix: bool = True, aggregated: bool = False,
           governing: bool = False) -> ReportDocument:
    """A district's report (or, with `governing`, a department's under its province)."""
    if governing:
        head = letterhead("Sở Nội vụ", "department", "tỉnh Sóc Trăng", "15/BC-SNV", DAY)
        signer = signature("Sở Nội vụ", "department", "Trần Văn Bình")
        issuer = "Sở Nội vụ"
    else:
        head = letterhead("UBND huyện Kế Sách", "district", "tỉnh Sóc Trăng", "228/BC-UBND",
                          DAY)
        signer = signature("UBND huyện Kế Sách", "district", "Lê Vũ Đức")
        issuer = "Ủy ban nhân dân huyện Kế Sách"
    lines = tuple(Line(x.item, x.code, x.label, x.unit, x.kind, x.value, x.number, x.note,
                       "8/9" if aggregated and x.value else "", x.depth) for x in LINES)
    table = Appendix(
        title="Thống kê số liệu báo cáo cải cách hành chính 6 tháng đầu năm 2022",
        reference=appendix_reference(head.number, head.suffix, DAY, issuer),
        form_id="soc-trang-bang-2-2022", last_column="Ghi chú", lines=lines,
        aggregated=aggregated)
    return ReportDocument(
        letterhead=head,
        subject="Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm "
                "2022",
        sections=(
            Section("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
                    ("Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, tỷ lệ giải "
                     "quyết đúng hạn đạt 97,74%.",)),
            Section("II", "KIẾN NGHỊ, ĐỀ XUẤT", ("Không có.",)),
        ),
        recipients=("- Sở Nội vụ;", "- Sở TT&TT;", "- Lưu: VT."),
        signature=signer, appendix=table if appendix else None,
        unit="UBND huyện Kế Sách", period_label="6 tháng đầu năm 2022",
        intro=("Thực hiện Công văn số 534/SNV-TTr ngày 11/3/2022 của Sở Nội vụ, Ủy ban nhân "
               "dân huyện Kế Sách báo cáo như sau:",))


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def rendered() -> Document:
    return open_docx(write_docx(sample()))


def mm(length: int | None) -> float:
    assert length is not None
    return Emu(length).mm


def alignment(paragraph: docx.text.paragraph.Paragraph) -> int | None:
    """The paragraph's alignment, set on it or inherited from its style."""
    if paragraph.alignment is not None:
        return int(paragraph.alignment)
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.alignment is not None:
            return int(style.paragraph_format.alignment)
        style = style.base_style
    return None


def cell_lines(table: Table, row: int, col: int) -> list[str]:
    return [p.text for p in table.rows[row].cells[col].paragraphs if p.text]


def body_tables(document: Document) -> list[Table]:
    return list(document.tables)


# ------------------------------------------------------------------ pages


def test_the_report_is_a4_portrait_with_the_decree_s_margins(rendered: Document) -> None:
    first = rendered.sections[0]
    assert (round(mm(first.page_width)), round(mm(first.page_height))) == (210, 297)
    assert first.orientation == 0  # portrait
    assert 20 <= mm(first.top_margin) <= 25
    assert 20 <= mm(first.bottom_margin) <= 25
    assert 30 <= mm(first.left_margin) <= 35
    assert 15 <= mm(first.right_margin) <= 20


def test_the_appendix_starts_a_new_landscape_a4_section(rendered: Document) -> None:
    assert len(rendered.sections) == 2
    appendix = rendered.sections[1]
    assert appendix.start_type == 2  # new page
    assert (round(mm(appendix.page_width)), round(mm(appendix.page_height))) == (297, 210)
    assert appendix.orientation == 1  # landscape
    assert 20 <= mm(appendix.top_margin) <= 25 and 15 <= mm(appendix.right_margin) <= 20


def test_without_an_appendix_the_report_is_one_portrait_section() -> None:
    document = open_docx(write_docx(sample(appendix=False)))
    assert len(document.sections) == 1
    only = document.sections[0]
    assert (round(mm(only.page_width)), round(mm(only.page_height))) == (210, 297)
    assert only.different_first_page_header_footer
    assert "PHỤ LỤC" not in [p.text for p in document.paragraphs]
    assert len(document.tables) == 2  # the header block and the signature block


def test_page_numbers_are_a_page_field_centred_in_the_top_margin_but_not_on_page_one(
        rendered: Document) -> None:
    first = rendered.sections[0]
    assert first.different_first_page_header_footer  # w:titlePg
    header = first.header
    assert not header.is_linked_to_previous
    [number] = header.paragraphs
    assert alignment(number) == 1  # centred
    instructions = [t.text.strip() for t in number._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    first_page = first.first_page_header
    assert not first_page.is_linked_to_previous
    assert not list(first_page._element.iter(qn("w:instrText")))
    assert not "".join(p.text for p in first_page.paragraphs).strip()
    # the appendix's own first page is not page 1: it shows its number
    appendix = rendered.sections[1]
    assert not appendix.different_first_page_header_footer
    assert appendix.header.part is header.part


# ------------------------------------------------------------------ fonts and body


def test_text_is_times_new_roman_at_11_to_14_points(rendered: Document) -> None:
    styles = rendered.styles.element
    fonts = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/"
                        f"{qn('w:rFonts')}")
    assert fonts is not None
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"}
    assert rendered.styles["Normal"].font.size.pt == 14
    body = rendered.element.body
    named = {f.get(qn("w:ascii")) for f in body.iter(qn("w:rFonts"))}
    assert named <= {"Times New Roman"}
    sizes = {int(s.get(qn("w:val"))) / 2 for s in body.iter(qn("w:sz"))
             if s.getparent().getparent().tag == qn("w:r")}
    assert sizes <= {11, 12, 13, 14}


def test_the_body_is_14_point_justified_with_a_first_line_indent_and_6_points_after(
        rendered: Document) -> None:
    paragraph = next(p for p in rendered.paragraphs if p.text.startswith("Bộ phận Một cửa"))
    style = paragraph.style
    assert style.name == "CCHC Body"
    fmt = style.paragraph_format
    assert fmt.alignment == 3  # justified
    assert fmt.first_line_indent is not None and 10 <= mm(fmt.first_line_indent) <= 13
    assert fmt.space_after is not None and fmt.space_after.pt >= 6
    assert fmt.line_spacing in (None, 1.0)
    assert style.font.size is None and style.base_style.font.size.pt == 14


def test_the_narrative_is_in_the_outline_s_order_with_bold_headings(
        rendered: Document) -> None:
    texts = [p.text for p in rendered.paragraphs if p.text]
    start = texts.index("BÁO CÁO")
    assert texts[start:start + 7] == [
        "BÁO CÁO",
        "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022",
        "Thực hiện Công văn số 534/SNV-TTr ngày 11/3/2022 của Sở Nội vụ, Ủy ban nhân dân "
        "huyện Kế Sách báo cáo như sau:",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, tỷ lệ giải quyết đúng hạn đạt "
        "97,74%.",
        "II. KIẾN NGHỊ, ĐỀ XUẤT",
        "Không có.",
    ]
    title = rendered.paragraphs[[p.text for p in rendered.paragraphs].index("BÁO CÁO")]
    assert alignment(title) == 1 and all(r.bold for r in title.runs)
    heading = next(p for p in rendered.paragraphs if p.text.startswith("I. CÔNG TÁC"))
    assert heading.style.font.bold


def test_a_short_rule_is_drawn_under_the_subject(rendered: Document) -> None:
    paragraphs = rendered.paragraphs
    subject = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Tình hình"))
    rule = paragraphs[subject + 1]
    assert rule.text == ""
    assert rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None
    indent = rule.paragraph_format
    assert indent.left_indent is not None and indent.left_indent == indent.right_indent
    assert mm(indent.left_indent) > 40  # short: well inside the 165 mm line


# ------------------------------------------------------------------ the header block


def borderless(table: Table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(edge.get(qn("w:val")) == "nil" for edge in borders)


def runs_of(table: Table, text: str) -> list[docx.text.run.Run]:
    return [r for row in table.rows for cell in row.cells for p in cell.paragraphs
            for r in p.runs if p.text == text]


def test_the_header_block_is_a_borderless_two_column_table(rendered: Document) -> None:
    header = body_tables(rendered)[0]
    assert len(header.columns) == 2 and borderless(header)
    assert cell_lines(header, 0, 0) == ["ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH"]
    assert cell_lines(header, 1, 0) == ["Số: 228/BC-UBND"]
    assert cell_lines(header, 0, 1) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "Độc lập - Tự do - Hạnh phúc"]
    assert cell_lines(header, 1, 1) == ["Kế Sách, ngày 16 tháng 6 năm 2022"]
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc"):
        assert all(r.bold for r in runs_of(header, text)), text
    [date] = runs_of(header, "Kế Sách, ngày 16 tháng 6 năm 2022")
    assert date.italic and not date.bold
    [number] = runs_of(header, "Số: 228/BC-UBND")
    assert not number.bold and not number.italic


def test_rules_are_drawn_under_the_issuer_and_under_the_motto(rendered: Document) -> None:
    header = body_tables(rendered)[0]
    for col, after in ((0, "HUYỆN KẾ SÁCH"), (1, "Độc lập - Tự do - Hạnh phúc")):
        paragraphs = header.rows[0].cells[col].paragraphs
        texts = [p.text for p in paragraphs]
        rule = paragraphs[texts.index(after) + 1]
        assert rule.text == ""
        assert rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None


def test_a_department_prints_its_governing_body_above_itself_not_in_bold() -> None:
    header = open_docx(write_docx(sample(governing=True))).tables[0]
    assert cell_lines(header, 0, 0) == ["UBND TỈNH SÓC TRĂNG", "SỞ NỘI VỤ"]
    [governing] = runs_of(header, "UBND TỈNH SÓC TRĂNG")
    [issuer] = runs_of(header, "SỞ NỘI VỤ")
    assert not governing.bold and issuer.bold
    assert cell_lines(header, 1, 0) == ["Số: 15/BC-SNV"]
    assert cell_lines(header, 1, 1) == ["Sóc Trăng, ngày 16 tháng 6 năm 2022"]


# ------------------------------------------------------------------ closing


def test_recipients_and_the_signature_block_stand_side_by_side(rendered: Document) -> None:
    closing = body_tables(rendered)[1]
    assert len(closing.columns) == 2 and borderless(closing)
    assert cell_lines(closing, 0, 0) == ["Nơi nhận:", "- Sở Nội vụ;", "- Sở TT&TT;",
                                         "- Lưu: VT."]
    [title] = runs_of(closing, "Nơi nhận:")
    assert title.bold and title.italic
    assert cell_lines(closing, 0, 1) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Vũ Đức"]
    for text in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Vũ Đức"):
        assert all(r.bold for r in runs_of(closing, text))
    name = closing.rows[0].cells[1].paragraphs[-1]
    assert name.paragraph_format.space_before.pt >= 48  # room to sign and seal


def test_an_unknown_signer_leaves_the_space_to_sign() -> None:
    unsigned = replace(sample(), signature=signature("Sở Nội vụ", "department"))
    closing = open_docx(write_docx(unsigned)).tables[1]
    assert cell_lines(closing, 0, 1) == ["GIÁM ĐỐC"]


# ------------------------------------------------------------------ appendix


def appendix_table(document: Document) -> Table:
    return body_tables(document)[2]


def test_the_appendix_has_its_title_and_reference(rendered: Document) -> None:
    texts = [p.text for p in rendered.paragraphs if p.text]
    start = texts.index("PHỤ LỤC")
    assert texts[start + 1:start + 3] == [
        "Thống kê số liệu báo cáo cải cách hành chính 6 tháng đầu năm 2022",
        "(Kèm theo Báo cáo số 228/BC-UBND ngày 16 tháng 6 năm 2022 của Ủy ban nhân dân "
        "huyện Kế Sách)"]
    paragraphs = [p for p in rendered.paragraphs if p.text]
    title, reference = paragraphs[start + 1], paragraphs[start + 2]
    assert all(r.bold and r.font.all_caps for r in title.runs)
    assert all(r.italic for r in reference.runs)


def test_the_appendix_table_repeats_its_header_row_and_keeps_values_as_written(
        rendered: Document) -> None:
    table = appendix_table(rendered)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    assert rows[1:] == [[x.code, x.label, x.unit, x.value, x.note] for x in LINES]
    assert [r[3] for r in rows[1:]] == ["", "48", "1.241", "97,74", "1.500.050,30", "02"]


def test_section_lines_are_bold_and_items_are_not(rendered: Document) -> None:
    table = appendix_table(rendered)
    for row, line in zip(table.rows[1:], LINES, strict=True):
        runs = [r for cell in row.cells for p in cell.paragraphs for r in p.runs if r.text]
        assert runs
        assert all(bool(r.bold) == (line.kind == "section") for r in runs), line.code


def test_an_aggregate_shows_how_many_units_reported_beside_each_total() -> None:
    table = appendix_table(open_docx(write_docx(sample(aggregated=True))))
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số đơn vị đã báo cáo", "Số liệu",
                       "Ghi chú"]
    assert rows[3][3:5] == ["8/9", "1.241"]
    assert rows[1][3] == ""  # a section line has no total
    grid = table._tbl.find(qn("w:tblGrid"))
    assert grid is not None and len(grid) == 6


def test_special_characters_are_written_as_text() -> None:
    closing_texts = open_docx(write_docx(sample())).tables[1].rows[0].cells[0].text
    assert "- Sở TT&TT;" in closing_texts
    table = appendix_table(open_docx(write_docx(sample())))
    assert table.rows[-1].cells[4].text == "Sở TT&TT <tổng hợp>"


def test_document_properties_name_the_report() -> None:
    props = open_docx(write_docx(sample())).core_properties
    assert props.title.startswith("Tình hình, kết quả thực hiện công tác cải cách")
    assert props.author == "UBND huyện Kế Sách"
    assert props.language == "vi-VN"


# ------------------------------------------------------------------ the template


def test_the_shipped_template_is_what_make_template_builds() -> None:
    assert TEMPLATE.read_bytes() == build()


def test_the_same_document_gives_the_same_bytes() -> None:
    assert write_docx(sample()) == write_docx(sample())


def test_the_shipped_template_is_used_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCHC_TEMPLATE", raising=False)
    assert template_path() == TEMPLATE


def edited_template(folder: Path, replace: tuple[str, str]) -> Path:
    """The shipped template with one text of document.xml replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mau-cua-so.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert replace[0] in text
                data = text.replace(replace[0], replace[1], 1).encode("utf-8")
            dst.writestr(info, data)
    return path


def test_an_office_s_own_template_is_used_when_cchc_template_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = edited_template(tmp_path, ("Nơi nhận:", "Nơi nhận (bản điện tử):"))
    monkeypatch.setenv("CCHC_TEMPLATE", str(own))
    assert template_path() == own
    closing = open_docx(write_docx(sample())).tables[1]
    assert cell_lines(closing, 0, 0)[0] == "Nơi nhận (bản điện tử):"


def test_a_missing_custom_template_is_an_error_in_vietnamese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_TEMPLATE", str(tmp_path / "khong-co.docx"))
    with pytest.raises(TemplateError) as caught:
        write_docx(sample())
    assert caught.value.code == "template-missing"
    assert "Không tìm thấy tệp mẫu báo cáo" in caught.value.message
    assert "khong-co.docx" in caught.value.message and "CCHC_TEMPLATE" in caught.value.message


def test_a_custom_template_that_is_not_a_docx_is_an_error_in_vietnamese(
        tmp_path: Path) -> None:
    path = tmp_path / "mau.docx"
    path.write_bytes(b"day khong phai tep Word")
    with pytest.raises(TemplateError) as caught:
        write_docx(sample(), path)
    assert caught.value.code == "template-invalid"
    assert caught.value.message == "Tệp mẫu báo cáo “mau.docx” không phải tệp Word .docx " \
                                   "hợp lệ."


def test_a_template_using_an_unknown_variable_names_it(tmp_path: Path) -> None:
    path = edited_template(tmp_path, ("{{ subject }}", "{{ trich_yeu }}"))
    with pytest.raises(TemplateError) as caught:
        write_docx(sample(), path)
    assert caught.value.code == "template-variable"
    assert "“trich_yeu”" in caught.value.message
    assert "docs/documents.md" in caught.value.message


def test_a_template_with_a_broken_jinja_tag_is_an_error_in_vietnamese(
        tmp_path: Path) -> None:
    path = edited_template(tmp_path, ("{{ subject }}", "{% if subject %}{{ subject }}"))
    with pytest.raises(TemplateError) as caught:
        write_docx(sample(), path)
    assert caught.value.code == "template-syntax"
    assert re.match(r"Mẫu báo cáo “mau-cua-so.docx” có thẻ Jinja viết sai: ",
                    caught.value.message)
