"""Build fixture files in temporary directories: report-shaped .docx and .xlsx, zip bombs.

The report follows real district reports (e.g. Kế Sách, 228/BC-UBND, 2022): a header table
(issuing body | national motto, number | place and date), the title, narrative paragraphs,
the signature, then the appendix table STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu |
Ghi chú with a two-row header, split by hand into two tables that repeat the header.
Constants below are the texts a reader must give back.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from pypdf import PdfReader, PdfWriter

HEADER_TABLE = [
    ["ỦY BAN NHÂN DÂN\nHUYỆN KẾ SÁCH",
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
    ["Số: 228/BC-UBND", "Kế Sách, ngày 16 tháng 6 năm 2022"],
]
TITLE = "BÁO CÁO"
SUBTITLE = ("Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm "
            "và phương hướng, nhiệm vụ 6 tháng cuối năm 2022")
NARRATIVE = [
    "Thực hiện Công văn số 534/SNV-TTr ngày 11/3/2022 của Sở Nội vụ tỉnh Sóc Trăng về việc "
    "hướng dẫn xây dựng báo cáo định kỳ cải cách hành chính, Ủy ban nhân dân huyện Kế Sách "
    "báo cáo như sau:",
    "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM",
    "Trong 6 tháng đầu năm, Bộ phận Một cửa huyện tiếp nhận tổng số 3.327 hồ sơ, kết quả xử "
    "lý trước hạn và đúng hạn là 2.546 hồ sơ; Bộ phận một cửa cấp xã tiếp nhận tổng số "
    "44.002 hồ sơ, tỷ lệ giải quyết đúng hạn đạt 97,74%.",
]
SIGNATURE = ["CHỦ TỊCH", "Lê Vũ Đức"]
APPENDIX_TITLE = "Phụ lục"
APPENDIX_HEADING = ("THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ "
                    "6 THÁNG ĐẦU NĂM 2022 CỦA ỦY BAN NHÂN DÂN HUYỆN KẾ SÁCH")
CLOSING = "Số liệu tính đến ngày 15/6/2022."

# The two header rows as the reader must give them: one cell per grid column.
HEADER_ROW_1 = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê", ""]
HEADER_ROW_2 = ["", "", "", "Số liệu", "Ghi chú"]
NOTE_TWO_PARAGRAPHS = ("Quyết định số 01/2022/QĐ-UBND ngày 21/02/2022;\n"
                       "Quyết định số 02/2022/QĐ-UBND\nngày 06/4/2022")
MERGED_NOTE = "Kế hoạch số 43/KH-UBND ngày 25/01/2022"
# First appendix table, as read: section rows spanning four columns, a note cell of two
# paragraphs with a manual break, a value with tracked changes ("3." + deleted "1" +
# inserted "2" + "27" reads "3.227"), a note merged down over two rows.
PART_1 = [
    ["I", "Công tác chỉ đạo điều hành CCHC", "", "", ""],
    ["1", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "48",
     "Kế hoạch số 30/KH-UBND ngày 18/01/2022"],
    ["II", "Cải cách thể chế", "", "", ""],
    ["1", "Số VBQPPL đã ban hành", "Văn bản", "2", NOTE_TWO_PARAGRAPHS],
    ["III", "Cải cách thủ tục hành chính", "", "", ""],
    ["3.3.1", "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận", "Hồ sơ", "3.227", MERGED_NOTE],
    ["3.3.2", "Số hồ sơ TTHC do UBND cấp huyện giải quyết đúng hạn", "Hồ sơ", "2.546", ""],
]
# Second appendix table, after a page break, repeating the header by hand.
PART_2 = [
    ["3.3.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%",
     "97,74", ""],
    ["3.3.4", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", "Hồ sơ", "44.002", ""],
]
SECTION_ROWS = ("I", "II", "III")
XLSX_TITLES = ["THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ",
               "6 THÁNG ĐẦU NĂM 2022 CỦA ỦY BAN NHÂN DÂN HUYỆN KẾ SÁCH"]
XLSX_FOOTNOTE = "Ghi chú: số liệu tính đến ngày 15/6/2022."
WIDTHS_CM = (1.5, 7.5, 2.2, 2.0, 3.2)
# A small table sent without borders (no ruled lines in its PDF).
BORDERLESS_ROWS = [
    ["STT", "Đơn vị", "Tiếp nhận", "Đúng hạn"],
    ["1", "Xã An Mỹ", "1.520", "1.498"],
    ["2", "Xã Ba Trinh", "2.310", "2.301"],
    ["3", "Thị trấn Kế Sách", "3.004", "2.990"],
    ["4", "Xã Nhơn Mỹ", "845", "845"],
]


def new_document() -> Document:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    return document


def add_lines(cell: _Cell, text: str) -> None:
    """Put text in a cell, one paragraph per line (as Word does with Enter)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def fill_row(cells: list[_Cell], values: list[str]) -> None:
    for cell, value in zip(cells, values, strict=True):
        if value:
            add_lines(cell, value)


def add_field(paragraph: Paragraph, instruction: str, result: str) -> None:
    """A complex field (w:fldChar begin/separate/end): only the result is text."""
    xml = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r {nsdecls("w")}><w:t>{result}</w:t></w:r>'
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f'<w:p {nsdecls("w")}>{xml}</w:p>'):
        paragraph._p.append(run)


def set_tracked_value(cell: _Cell) -> None:
    """"3." + deleted "1" + inserted "2" + "27" + deleted "0": reads "3.227"."""
    author = 'w:author="Phòng Nội vụ" w:date="2022-06-15T08:00:00Z"'
    xml = (
        f'<w:p {nsdecls("w")}>'
        '<w:r><w:t>3.</w:t></w:r>'
        f'<w:del w:id="101" {author}><w:r><w:delText>1</w:delText></w:r></w:del>'
        f'<w:ins w:id="102" {author}><w:r><w:t>2</w:t></w:r></w:ins>'
        '<w:r><w:t>27</w:t></w:r>'
        f'<w:del w:id="103" {author}><w:r><w:delText>0</w:delText><w:br/></w:r></w:del>'
        '</w:p>'
    )
    old = cell.paragraphs[0]._p
    old.addnext(parse_xml(xml))
    old.getparent().remove(old)


def set_note_with_break(cell: _Cell) -> None:
    """Two paragraphs, the second with a manual line break (Shift+Enter, w:br)."""
    first, second = NOTE_TWO_PARAGRAPHS.split("\n", 1)
    cell.paragraphs[0].text = first
    before, after = second.split("\n")
    paragraph = cell.add_paragraph(before)
    paragraph.add_run().add_break()
    paragraph.add_run(after)


def add_appendix_header(table: Table) -> None:
    """Two header rows: STT, Chỉ tiêu, Đơn vị tính merged down; "Kết quả thống kê" across."""
    top, bottom = table.rows[0].cells, table.rows[1].cells
    for col in range(3):
        top[col].merge(bottom[col])
    top[3].merge(top[4])
    merged_top = table.rows[0].cells
    for col, text in enumerate(HEADER_ROW_1[:4]):
        merged_top[col].paragraphs[0].text = text
    bottom = table.rows[1].cells
    bottom[3].paragraphs[0].text = HEADER_ROW_2[3]
    bottom[4].paragraphs[0].text = HEADER_ROW_2[4]


def set_widths(table: Table) -> None:
    """Column widths of a real appendix: narrow STT, wide label (grid and every cell)."""
    table.autofit = False
    for col, width in enumerate(WIDTHS_CM):
        table.columns[col].width = Cm(width)
        for cell in table.columns[col].cells:
            cell.width = Cm(width)


def keep_rows_whole(table: Table) -> None:
    """w:cantSplit: a row is never cut by a page break."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))


def mark_header_row(table: Table, row: int = 0) -> None:
    """w:tblHeader: Word and LibreOffice repeat this row at the top of every page."""
    tr_pr = table.rows[row]._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def add_appendix_part(document: Document, rows: list[list[str]]) -> Table:
    table = document.add_table(rows=2 + len(rows), cols=5)
    table.style = "Table Grid"
    set_widths(table)
    add_appendix_header(table)
    for offset, values in enumerate(rows):
        cells = table.rows[2 + offset].cells
        if values[0] in SECTION_ROWS:
            cells[1].merge(cells[4])
            cells = table.rows[2 + offset].cells
            cells[0].paragraphs[0].text = values[0]
            cells[1].paragraphs[0].text = values[1]
            continue
        if values[4] == NOTE_TWO_PARAGRAPHS:
            fill_row(cells[:4], values[:4])
            set_note_with_break(cells[4])
        elif values[3] == "3.227":
            fill_row(cells[:3], values[:3])
            set_tracked_value(cells[3])
            add_lines(cells[4], values[4])
        else:
            fill_row(cells, values)
    return table


def merge_note_down(table: Table) -> None:
    """The note of the 3.3.1 row covers the 3.3.2 row too (w:vMerge)."""
    rows = [i for i, row in enumerate(table.rows) if row.cells[0].text in ("3.3.1", "3.3.2")]
    upper, lower = table.rows[rows[0]].cells[4], table.rows[rows[1]].cells[4]
    upper.merge(lower)


def build_report_docx(path: Path) -> Path:
    document = new_document()
    header = document.add_table(rows=2, cols=2)
    for row, values in zip(header.rows, HEADER_TABLE, strict=True):
        fill_row(row.cells, values)
    document.add_paragraph(TITLE)
    document.add_paragraph(SUBTITLE)
    document.add_paragraph("")
    for text in NARRATIVE:
        document.add_paragraph(text)
    dated = document.add_paragraph("Tổng số văn bản chỉ đạo đã ban hành trong kỳ:\t")
    add_field(dated, "DOCPROPERTY SoVanBan", "8")
    dated.add_run(" văn bản.")
    for text in SIGNATURE:
        document.add_paragraph(text)
    document.add_paragraph(APPENDIX_TITLE)
    document.add_paragraph(APPENDIX_HEADING)
    first = add_appendix_part(document, PART_1)
    merge_note_down(first)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    add_appendix_part(document, PART_2)
    document.add_paragraph(CLOSING)
    document.save(str(path))
    return path


def long_row(i: int) -> list[str]:
    return [str(i), f"Số hồ sơ TTHC tiếp nhận tại xã thứ {i} trên địa bàn huyện", "Hồ sơ",
            f"{1000 + 37 * i}", ""]


def build_long_table_docx(path: Path, rows: int) -> Path:
    """A narrative and an appendix table long enough to span pages, its header repeated."""
    document = new_document()
    document.add_paragraph("Số: 228/BC-UBND")
    document.add_paragraph(TITLE)
    for text in NARRATIVE:
        document.add_paragraph(text)
    table = document.add_table(rows=1 + rows, cols=5)
    table.style = "Table Grid"
    set_widths(table)
    keep_rows_whole(table)
    fill_row(table.rows[0].cells, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu",
                                   "Ghi chú"])
    mark_header_row(table)
    for i in range(1, rows + 1):
        fill_row(table.rows[i].cells, long_row(i))
    document.add_paragraph(CLOSING)
    document.save(str(path))
    return path


def build_report_xlsx(path: Path) -> Path:
    """Two sheets: an appendix with its title in merged rows 1-2 and the header on rows 4-5,
    and a second small table starting at column B."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 2"
    sheet["A1"], sheet["A2"] = XLSX_TITLES
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A2:E2")
    sheet["A1"].font = sheet["A2"].font = Font(bold=True)
    for ref, text in (("A4", "STT"), ("B4", "Chỉ tiêu thống kê"), ("C4", "Đơn vị tính"),
                      ("D4", "Kết quả thống kê"), ("D5", "Số liệu"), ("E5", "Ghi chú")):
        sheet[ref] = text
        sheet[ref].alignment = Alignment(wrap_text=True, horizontal="center")
    for ref in ("A4:A5", "B4:B5", "C4:C5", "D4:E4"):
        sheet.merge_cells(ref)
    rows: list[list[object]] = [
        ["I", "Công tác chỉ đạo điều hành CCHC"],
        ["1", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", 48, datetime(2022, 1, 18)],
        ["3.3.1", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", "Hồ sơ", "1.241"],
        ["3.3.2", "Số hồ sơ TTHC do UBND cấp xã giải quyết đúng hạn", "Hồ sơ", 1213],
        ["3.3.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%",
         0.9774],
        ["3.3.4", "Tỷ lệ văn bản có ký số gửi liên thông", "%", 12.5, "Tăng 0,3 điểm"],
        ["3.3.5", "Tỷ lệ hồ sơ trực tuyến", "%", 0.1 + 0.2],
    ]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            sheet.cell(row=6 + offset, column=col, value=value)
    sheet["A14"] = XLSX_FOOTNOTE
    sheet["D10"].number_format = "0.00%"
    sheet["E7"].number_format = "dd/mm/yyyy"
    second = book.create_sheet("Biểu 3")
    for row, values in enumerate(
        [["STT", "Đơn vị", "Số hồ sơ tiếp nhận"], [1, "UBND xã An Mỹ", 1520],
         [2, "UBND thị trấn Kế Sách", 2310]],
        start=1,
    ):
        for col, value in enumerate(values, start=2):
            second.cell(row=row, column=col, value=value)
    book.save(str(path))
    return path


# ---------------------------------------------------------------- hostile zips


def build_zip_bomb(path: Path, member: str, size: int, declared: int | None = None,
                   extra: dict[str, str] | None = None) -> Path:
    """A zip whose `member` inflates to `size` zero bytes, written without ever holding them.

    Deflate with a full flush restarts its state, so the compressed form of one chunk of
    zeros can be repeated: a 1 GB member costs about 1 MB and well under a second to write. With
    `declared`, the directory lies about the inflated size (the CRC then cannot match).
    """
    chunk = bytes(2**20)
    count, rest = divmod(size, len(chunk))
    assert rest == 0, "size must be a whole number of MB"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    compressed = len(block) * count + len(tail)
    stated = size if declared is None else declared
    with path.open("wb") as fh, zipfile.ZipFile(fh, "w") as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        offset = fh.tell()
        raw_name = member.encode()
        fh.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, compressed,
                             stated, len(raw_name), 0) + raw_name)
        for _ in range(count):
            fh.write(block)
        fh.write(tail)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.header_offset = offset
        info.CRC = crc
        info.compress_size = compressed
        info.file_size = stated
        # zipfile writes the central directory from these entries on close.
        archive.filelist.append(info)
        archive.NameToInfo[member] = info
        archive.start_dir = fh.tell()
    return path


def build_many_members_zip(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for i in range(count - 1):
            archive.writestr(f"word/media/image{i}.png", b"")
    return path


# ---------------------------------------------------------------- small PDFs


def build_text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with ASCII lines in Helvetica, written by hand (no converter needed)."""
    stream = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(
        f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))
    return path


def build_encrypted_pdf(src: Path, path: Path, user_password: str) -> Path:
    """`src` encrypted with AES-256; an empty user password leaves it readable by anyone."""
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu-2022",
                   algorithm="AES-256")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def build_blank_pdf(path: Path, pages: int) -> Path:
    """Pages with no text layer at all, like a scan without OCR."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


# ---------------------------------------------------------------- hand-written WordprocessingML

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def build_docx_from_body(path: Path, body: str) -> Path:
    """A minimal .docx whose w:body is `body` (WordprocessingML with the w: and mc: prefixes),
    for markup python-docx cannot write: gridBefore, hMerge, deleted rows, content controls."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:mc="{MC_NS}"><w:body>{body}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PACKAGE_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("word/document.xml", document)
    return path


def build_zip_without(path: Path, parts: dict[str, str]) -> Path:
    """A valid zip holding only `parts` (e.g. a .docx that lost word/document.xml)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def build_big_table_docx(path: Path, rows: int) -> Path:
    """The appendix with `rows` data rows, formatted as Word writes it (fonts, sizes)."""
    document = new_document()
    document.add_paragraph("Số: 228/BC-UBND")
    table = document.add_table(rows=1 + rows, cols=5)
    table.style = "Table Grid"
    fill_row(table.rows[0].cells, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu",
                                   "Ghi chú"])
    for i in range(1, rows + 1):
        for cell, value in zip(table.rows[i].cells, long_row(i), strict=True):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(12)
            run.font.name = "Times New Roman"
    document.save(str(path))
    return path


def build_narrative_and_borderless_docx(path: Path) -> Path:
    """Justified narrative over a page or more, then (after a page break) a table with no borders,
    as some units send: the PDF has no ruled lines to find the table by."""
    document = new_document()
    for _ in range(4):
        for text in NARRATIVE:
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=len(BORDERLESS_ROWS), cols=4)
    for row, values in zip(table.rows, BORDERLESS_ROWS, strict=True):
        fill_row(row.cells, values)
    document.save(str(path))
    return path



# ---------------------------------------------------------------- hostile PDFs


def deflate_repeated(piece: bytes, count: int) -> tuple[bytes, bytes, bytes, int]:
    """zlib data (as /FlateDecode holds it) for `piece` repeated `count` times, in parts:
    (head, block, tail, adler32): head + block * count + tail. Deflate with a full flush
    restarts its state, so one compressed block can be repeated: a gigabyte costs about a
    megabyte, and is never held."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(piece) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(piece, adler)
    return b"\x78\xda", block, end + struct.pack(">I", adler), adler


def write_pdf(path: Path, objects: list[bytes | tuple[bytes, list[bytes], int]]) -> Path:
    """A PDF written by hand; object n is objects[n - 1]: a dictionary, or a stream given as
    (dictionary without /Length, pieces of data, times the middle piece repeats). Object 1
    must be the catalog."""
    offsets: list[int] = []
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number)
            if isinstance(body, bytes):
                fh.write(body)
            else:
                dictionary, pieces, repeat = body
                head, *middle, tail = pieces if len(pieces) > 1 else [pieces[0], b""]
                length = len(head) + sum(len(m) for m in middle) * repeat + len(tail)
                fh.write(dictionary[:-2] + b" /Length %d >>\nstream\n" % length)
                fh.write(head)
                for _ in range(repeat):
                    for piece in middle:
                        fh.write(piece)
                fh.write(tail)
                fh.write(b"\nendstream")
            fh.write(b"\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            fh.write(b"%010d 00000 n \n" % offset)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                 % (len(objects) + 1, xref))
    return path


PDF_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PDF_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PDF_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PDF_TEXT = b"BT /F1 12 Tf 72 720 Td (So: 228/BC-UBND) Tj ET\n"


def pdf_page(contents: bytes = b"4 0 R", font: bytes = b"5 0 R") -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents
            + b" /Resources << /Font << /F1 " + font + b" >> >> >>")


def build_pdf_bomb(path: Path, inflated_mb: int, filters: bytes = b"/FlateDecode") -> Path:
    """A one-page PDF of about 1 MB per GB whose content stream inflates to `inflated_mb` MB:
    a line of text, then spaces (which pdfminer reads through as whitespace). With
    `filters` b"[/FlateDecode /FlateDecode]" the spaces are deflated twice."""
    head, block, tail, _ = deflate_repeated(b" " * 2**20, inflated_mb)
    if filters.count(b"Flate") == 2:
        inner = head + block * inflated_mb + tail  # deflated once: 1 KB per MB
        outer = zlib.compress(inner, 9)
        stream: tuple[bytes, list[bytes], int] = (
            b"<< /Filter " + filters + b" >>", [outer], 0)
    else:
        stream = (b"<< /Filter " + filters + b" >>", [head, block, tail], inflated_mb)
    text = (b"<< /Length %d >>\nstream\n" % len(PDF_TEXT)) + PDF_TEXT + b"\nendstream"
    return write_pdf(path, [PDF_CATALOG, PDF_PAGES, pdf_page(b"[6 0 R 4 0 R]"), stream,
                            PDF_FONT, text])


def build_pdf_with_objects(path: Path, count: int) -> Path:
    """A one-page PDF carrying `count` tiny objects besides the page's own."""
    text = (b"<< /Length %d >>\nstream\n" % len(PDF_TEXT)) + PDF_TEXT + b"\nendstream"
    return write_pdf(path, [PDF_CATALOG, PDF_PAGES, pdf_page(), text, PDF_FONT,
                            *([b"null"] * count)])


def build_pdf_page_of_chars(path: Path, lines: int, per_line: int = 50) -> Path:
    """One page of `lines` x `per_line` characters (ASCII, small type)."""
    body = b"BT /F1 4 Tf 20 780 Td 5 TL " + b" ".join(
        b"(" + (b"%05d " % n * (per_line // 6 + 1))[:per_line] + b") Tj T*"
        for n in range(lines)) + b" ET\n"
    stream = (b"<< /Filter /FlateDecode >>", [zlib.compress(body)], 0)
    return write_pdf(path, [PDF_CATALOG, PDF_PAGES, pdf_page(), stream, PDF_FONT])


def build_pdf_font_bomb(path: Path, inflated_mb: int) -> Path:
    """A page whose Type 1 font program (FontFile) inflates to `inflated_mb` MB."""
    head, block, tail, _ = deflate_repeated(b"%" * 2**20, inflated_mb)
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Bomb /FirstChar 32 /LastChar 126 "
            b"/FontDescriptor 6 0 R >>")
    descriptor = (b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 "
                  b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 "
                  b"/CapHeight 700 /StemV 80 /FontFile 7 0 R >>")
    program = (b"<< /Length1 %d /Length2 0 /Length3 0 /Filter /FlateDecode >>"
               % (inflated_mb * 2**20), [head, block, tail], inflated_mb)
    text = (b"<< /Length %d >>\nstream\n" % len(PDF_TEXT)) + PDF_TEXT + b"\nendstream"
    return write_pdf(path, [PDF_CATALOG, PDF_PAGES, pdf_page(), text, font, descriptor,
                            program])


def build_pdf_with_control_characters(path: Path) -> Path:
    """A page whose font maps "A" to U+0000 and "B" to U+0007 (its ToUnicode CMap), as a
    badly made PDF gives: the text "So AB lieu" comes out with a NUL and a bell."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange "
            b"<00> <FF> endcodespacerange 2 beginbfchar <41> <0000> <42> <0007> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    text = b"BT /F1 12 Tf 72 720 Td (So AB lieu) Tj 0 -20 Td (Tong so: 3327) Tj ET\n"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    return write_pdf(path, [
        PDF_CATALOG, PDF_PAGES, pdf_page(),
        (b"<< /Filter /FlateDecode >>", [zlib.compress(text)], 0), font,
        (b"<< /Filter /FlateDecode >>", [zlib.compress(cmap)], 0)])


def build_pdf_predictor_bomb(path: Path, columns: int) -> Path:
    """A content stream whose PNG predictor declares rows of `columns` bytes (pdfminer
    allocates a list per row)."""
    data = zlib.compress(PDF_TEXT)
    stream = (b"<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns %d >> >>"
              % columns, [data], 0)
    return write_pdf(path, [PDF_CATALOG, PDF_PAGES, pdf_page(), stream, PDF_FONT])


def build_pdf_of_pages(path: Path, pages: int) -> Path:
    """`pages` pages of one line each, every page sharing the same content stream."""
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(pages))
    text = (b"<< /Length %d >>\nstream\n" % len(PDF_TEXT)) + PDF_TEXT + b"\nendstream"
    page = pdf_page()
    return write_pdf(path, [PDF_CATALOG,
                            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
                            page, text, PDF_FONT, *([page] * pages)])


# ---------------------------------------------------------------- hand-written SpreadsheetML

XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def build_xlsx_from_parts(path: Path, sheet_data: str, shared: tuple[str, ...] = (),
                          merges: tuple[str, ...] = (), date1904: bool = False) -> Path:
    """A one-sheet workbook written by hand: `sheet_data` is the <sheetData> content,
    `shared` the shared strings (as XML text, escapes allowed), `merges` ranges such as
    "A1:C1"; style 1 is "0.00%", style 2 "dd/mm/yyyy"."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_REL}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + '<sheets><sheet name="Biểu 1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/'
            'sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" '
            f'Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{XLSX_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
            '<xf numFmtId="10"/><xf numFmtId="164"/></cellXfs></styleSheet>'),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{XLSX_MAIN}">' + "".join(f"<si><t>{s}</t></si>" for s in shared)
            + "</sst>"),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{XLSX_MAIN}"><sheetData>{sheet_data}</sheetData>'
            + (f"<mergeCells>{merged}</mergeCells>" if merges else "") + "</worksheet>"),
    }
    return build_zip_without(path, parts)


def long_paragraphs_body(megabytes: int) -> str:
    """WordprocessingML paragraphs formatted as Word writes them (paragraph and run
    properties on every run), about `megabytes` MB of it."""
    run = ('<w:r w:rsidRPr="00B21C3D"><w:rPr><w:rFonts w:ascii="Times New Roman" '
           'w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="26"/>'
           '<w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">'
           'Trong kỳ, Bộ phận Một cửa tiếp nhận {n} hồ sơ, giải quyết đúng hạn. </w:t></w:r>')
    paragraph = ('<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:spacing '
                 'w:before="120" w:after="120"/><w:ind w:firstLine="720"/><w:jc w:val="both"/>'
                 '</w:pPr>' + run * 4 + "</w:p>")
    count = megabytes * 2**20 // len(paragraph.encode())
    return "".join(paragraph.replace("{n}", str(1000 + n)) for n in range(count))
