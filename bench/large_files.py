"""Generators of the largest files the limits allow, shaped like real reports.

Used by bench/read_large.py (never by the tests: building them takes seconds and hundreds of
MB of disk). The words come from the seed reports in tests/data/seeds, drawn at random with
a fixed seed, so the text compresses like real Vietnamese prose (a repeated sentence would
compress a hundred-fold and trip the zip-bomb ratio guard long before the size limits).

* `build_docx`: about 150 MB of WordprocessingML in a ~20 MB .docx: the narrative as long
  paragraphs of several formatted runs, then the appendix (STT | Chỉ tiêu thống kê | Đơn vị
  tính | Số liệu | Ghi chú) of every commune of a province, one table per commune written
  the way Word writes tables (cell widths, paragraph and run properties), with section rows
  spanning four columns (w:gridSpan) and a note merged down two rows (w:vMerge). It stays
  under every reader limit (XML tags, cells, zip ratio).
  With `one_table`, every commune's rows go into a single table.
* `build_one_paragraph_docx`: one paragraph of 370,000 formatted runs (~91 MB of XML).
* `build_txt`: about 19 MB of text: the narrative, then the appendices as tab-separated rows.
* `build_xlsx`: a workbook near the cell limit (MAX_CELLS), 100 communes to a sheet, written
  as Excel writes one (shared strings, styles, rates as fractions in "0.00%").
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 2**20

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')

HEADER = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
WIDTHS = (851, 4253, 1276, 1134, 1985)
# The indicator rows of one commune's appendix (code, label, unit); values are drawn.
ITEMS = (
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", ""),
    ("1.1", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản"),
    ("1.2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%"),
    ("1.3", "Số cuộc kiểm tra CCHC đã thực hiện", "Cuộc"),
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", ""),
    ("2.1", "Số TTHC được công bố, công khai tại Bộ phận Một cửa", "Thủ tục"),
    ("2.2", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", "Hồ sơ"),
    ("2.3", "Số hồ sơ TTHC do UBND cấp xã giải quyết đúng hạn", "Hồ sơ"),
    ("2.4", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%"),
    ("2.5", "Số phản ánh, kiến nghị về quy định, TTHC đã tiếp nhận", "Phản ánh"),
    ("III", "CẢI CÁCH TỔ CHỨC BỘ MÁY", ""),
    ("3.1", "Số cán bộ, công chức cấp xã được đào tạo, bồi dưỡng", "Người"),
    ("3.2", "Tỷ lệ văn bản đi được ký số gửi liên thông", "%"),
    ("3.3", "Số dịch vụ công trực tuyến toàn trình đã cung cấp", "Dịch vụ"),
)


def vocabulary() -> list[str]:
    words: list[str] = []
    for seed in sorted(SEEDS.glob("*.txt")):
        words += re.findall(r"[^\W\d_]+", seed.read_text(encoding="utf-8"))
    return words


class Prose:
    """Random Vietnamese sentences from the seed reports' words (seeded, reproducible)."""

    def __init__(self, seed: int = 2022) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary()

    def sentence(self, n_words: int) -> str:
        """Slices of 3 to 8 consecutive words of the seeds, as prose repeats its phrases."""
        picked: list[str] = []
        while len(picked) < n_words:
            at = self.rng.randrange(len(self.words) - 8)
            picked += self.words[at : at + self.rng.randrange(3, 9)]
        picked = picked[:n_words]
        picked[0] = picked[0].capitalize()
        number = self.rng.randrange(1, 50_000)
        return " ".join(picked[: n_words // 2]) + f" {number:,}".replace(",", ".") + " " + \
            " ".join(picked[n_words // 2 :]) + "."

    def number(self, unit: str) -> str:
        if unit == "%":
            return f"{self.rng.uniform(60, 100):.2f}".replace(".", ",")
        return str(self.rng.randrange(0, 5000))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RPR = ('<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
       'w:cs="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/>'
       '</w:rPr>')
PPR = ('<w:pPr><w:spacing w:before="120" w:after="120" w:line="312" w:lineRule="auto"/>'
       '<w:ind w:firstLine="720"/><w:jc w:val="both"/></w:pPr>')
CELL_PPR = '<w:pPr><w:spacing w:before="40" w:after="40"/><w:jc w:val="{jc}"/></w:pPr>'


def paragraph_xml(runs: list[str]) -> str:
    body = "".join(f'<w:r w:rsidRPr="00B2{i:03d}">{RPR}<w:t xml:space="preserve">{_esc(t)}'
                   '</w:t></w:r>' for i, t in enumerate(runs))
    return f'<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">{PPR}{body}</w:p>'


def cell_xml(col: int, text: str, span: int = 1, vmerge: str | None = None) -> str:
    width = sum(WIDTHS[col:col + span])
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    jc = "left" if col in (1, 4) else "center"
    paragraphs = "".join(
        f'<w:p w:rsidR="00C4D5E6" w:rsidRDefault="00C4D5E6">{CELL_PPR.format(jc=jc)}'
        f'<w:r>{RPR}<w:t xml:space="preserve">{_esc(line)}</w:t></w:r></w:p>'
        for line in (text.split("\n") if text else [""]))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def row_xml(cells: list[str]) -> str:
    return ('<w:tr w:rsidR="00D1E2F3" w:rsidTr="00D1E2F3"><w:trPr><w:cantSplit/>'
            f'<w:jc w:val="center"/></w:trPr>{"".join(cells)}</w:tr>')


def appendix_rows(prose: Prose, commune: int) -> Iterator[list[str]]:
    """(code, label, unit, value, note) rows of one commune's appendix."""
    for code, label, unit in ITEMS:
        if not unit:
            yield [code, label, "", "", ""]
            continue
        note = prose.sentence(prose.rng.randrange(8, 30)) if prose.rng.random() < 0.5 else ""
        yield [code, f"{label} (xã thứ {commune})", unit, prose.number(unit), note]


def table_start() -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in WIDTHS)
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9499" '
            'w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
            + row_xml([cell_xml(c, h) for c, h in enumerate(HEADER)]))


def rows_xml(prose: Prose, commune: int) -> str:
    """One commune's rows: section rows span four columns, a note is merged down a row."""
    parts = []
    for values in appendix_rows(prose, commune):
        if not values[2]:
            parts.append(row_xml([cell_xml(0, values[0]), cell_xml(1, values[1], span=4)]))
            continue
        vmerge = None
        if values[0] == "2.2":
            vmerge = "restart"
            values[4] = values[4] or "Theo phần mềm Một cửa điện tử"
        elif values[0] == "2.3":
            vmerge, values[4] = "continue", ""
        parts.append(row_xml([*(cell_xml(c, v) for c, v in enumerate(values[:4])),
                              cell_xml(4, values[4], vmerge=vmerge)]))
    return "".join(parts)


def docx_parts(target_xml: int, narrative_share: float, prose: Prose,
               one_table: bool) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:document xmlns:w="{W_NS}"><w:body>')
    for text in ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Số: 228/BC-UBND",
                 "Hà Tĩnh, ngày 16 tháng 6 năm 2022", "BÁO CÁO",
                 "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm "
                 "2022 của các xã trên địa bàn tỉnh"):
        yield paragraph_xml([text])
    written = 0
    while written < target_xml * narrative_share:
        piece = paragraph_xml([prose.sentence(prose.rng.randrange(100, 250))
                               for _ in range(prose.rng.randrange(2, 6))])
        written += len(piece.encode())
        yield piece
    yield paragraph_xml(["Phụ lục"])
    if one_table:
        yield table_start()
    commune = 0
    while written < target_xml:
        commune += 1
        piece = rows_xml(prose, commune)
        if not one_table:
            title = paragraph_xml([f"THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM "
                                   f"2022 CỦA ỦY BAN NHÂN DÂN XÃ THỨ {commune}"])
            piece = title + table_start() + piece + "</w:tbl>"
        written += len(piece.encode())
        yield piece
    if one_table:
        yield "</w:tbl>"
    yield paragraph_xml(["Số liệu tính đến ngày 15/6/2022."])
    yield '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'


def build_docx(path: Path, target_xml: int = 150 * MB, narrative_share: float = 0.6,
               seed: int = 2022, one_table: bool = False) -> Path:
    """A .docx whose word/document.xml is about `target_xml` bytes, written as a stream;
    `one_table`: every commune's rows in a single table (one header) instead of one table
    each."""
    prose = Prose(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            buffer: list[str] = []
            size = 0
            for part in docx_parts(target_xml, narrative_share, prose, one_table):
                buffer.append(part)
                size += len(part)
                if size > MB:
                    member.write("".join(buffer).encode())
                    buffer, size = [], 0
            member.write("".join(buffer).encode())
    return path


def build_one_paragraph_docx(path: Path, runs: int = 370_000, seed: int = 2022) -> Path:
    """A .docx whose body is one paragraph of `runs` formatted runs (text pasted with its
    formatting and no paragraph marks), ~91 MB of XML and just under the tag limit."""
    prose = Prose(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          f'<w:document xmlns:w="{W_NS}"><w:body><w:p>').encode())
            for start in range(0, runs, 1000):
                member.write("".join(
                    f'<w:r>{RPR}<w:t xml:space="preserve">{_esc(prose.sentence(8))} </w:t>'
                    "</w:r>" for _ in range(start, min(start + 1000, runs))).encode())
            member.write(b"</w:p></w:body></w:document>")
    return path


def build_txt(path: Path, target: int = 19 * MB, narrative_share: float = 0.4,
              seed: int = 2022) -> Path:
    """A report as text: narrative lines, then every commune's appendix as tab rows."""
    prose = Prose(seed)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        written = 0

        def put(line: str) -> None:
            nonlocal written
            fh.write(line + "\n")
            written += len(line.encode()) + 1

        for text in ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Số: 228/BC-UBND",
                     "Hà Tĩnh, ngày 16 tháng 6 năm 2022", "BÁO CÁO"):
            put(text)
        while written < target * narrative_share:
            put(" ".join(prose.sentence(prose.rng.randrange(40, 90))
                         for _ in range(prose.rng.randrange(2, 6))))
        put("Phụ lục")
        put("\t".join(HEADER))
        commune = 0
        while written < target:
            commune += 1
            for values in appendix_rows(prose, commune):
                put("\t".join(values))
        put("Số liệu tính đến ngày 15/6/2022.")
    return path


XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '{sheets}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
# Styles as Excel writes them: 0 general, 1 bordered text, 2 bordered "0.00%".
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{XLSX_NS}">'
    '<numFmts count="0"/><fonts count="1"><font><sz val="13"/><name val="Times New Roman"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="2"><border/><border>'
    '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" '
    'applyBorder="1"><alignment wrapText="1" vertical="center"/></xf><xf numFmtId="10" '
    'fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>'
    '</cellXfs></styleSheet>')


def build_xlsx(path: Path, cells: int = 480_000, seed: int = 2022) -> Path:
    """A workbook of about `cells` cells (rows x 5 columns), 100 communes to a sheet, written
    as Excel writes one: shared strings, a style per cell, rates as fractions in "0.00%"."""
    prose = Prose(seed)
    strings: dict[str, int] = {}

    def text(value: str) -> str:
        index = strings.setdefault(value, len(strings))
        return f'<c r="{{ref}}" s="1" t="s"><v>{index}</v></c>'

    sheets: list[str] = []
    rows_needed = cells // len(HEADER)
    commune = written = 0
    while written < rows_needed:
        lines = [text("THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM 2022")
                 .format(ref="A1").join(('<row r="1">', "</row>")),
                 '<row r="3">' + "".join(text(h).format(ref=f"{'ABCDE'[c]}3")
                                         for c, h in enumerate(HEADER)) + "</row>"]
        r = 3
        for _ in range(100):
            commune += 1
            for values in appendix_rows(prose, commune):
                r += 1
                row = []
                for c, value in enumerate(values):
                    ref = f"{'ABCDE'[c]}{r}"
                    if c == 3 and value:
                        if values[2] == "%":
                            fraction = float(value.replace(",", ".")) / 100
                            row.append(f'<c r="{ref}" s="2"><v>{fraction!r}</v></c>')
                        else:
                            row.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
                    elif value:
                        row.append(text(value).format(ref=ref))
                    else:
                        row.append(f'<c r="{ref}" s="1"/>')
                lines.append(f'<row r="{r}">{"".join(row)}</row>')
                written += 1
            if written >= rows_needed:
                break
        sheets.append(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      f'<worksheet xmlns="{XLSX_NS}"><sheetData>{"".join(lines)}</sheetData>'
                      '</worksheet>')
    shared = "".join(f"<si><t>{_esc(value)}</t></si>" for value in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", XLSX_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook '
            f'xmlns="{XLSX_NS}" xmlns:r="{REL_NS}"><sheets>'
            + "".join(f'<sheet name="Biểu {n}" sheetId="{n}" r:id="rId{n}"/>'
                      for n in range(1, len(sheets) + 1))
            + "</sheets></workbook>"))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="{PKG_REL}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL_NS}/styles" '
            'Target="styles.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 2}" Type="{REL_NS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'))
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{XLSX_NS}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'))
        for n, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet)
    return path
