"""Build the shipped Word template, `cchc/data/templates/bao-cao.docx`.

    python -m cchc.render.make_template          # rewrites the file
    python -m cchc.render.make_template --check  # exit 1 when the file is not what this builds

The template is the layout of a BÁO CÁO under Nghị định 30/2020/NĐ-CP (Phụ lục I, Mẫu 1.4)
with Jinja tags in it, filled by docxtpl (`cchc.render.docx.write_docx`). It is generated
rather than drawn by hand so that a reviewer reads its layout here, and so that the binary
file in the repository is always reproducible: the same code gives the same bytes (fixed
document properties, fixed zip dates). The variables are listed in docs/documents.md; an
office may open the file in Word, restyle it, and point CCHC_TEMPLATE at its own copy.

Layout (Nghị định 30, Phụ lục I): A4 portrait, margins top and bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; body 14 pt, justified, first-line indent, 6 pt after each
paragraph; the header block as a borderless two-column table (issuer and number left,
Quốc hiệu and Tiêu ngữ with the place and date right), short rules under the issuer, the
Tiêu ngữ and the subject; page numbers centred in the top margin from page 2 on; "Nơi nhận"
and the signature block side by side; the appendix on new landscape pages with its header
row repeated on each page, an aggregate's charts between its title block and its table.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import sys
from io import BytesIO
from typing import cast

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cchc.render.docx import CHART_WIDTH_CM, TEMPLATE, stable_zip

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_SHORT, PAGE_LONG = 21.0, 29.7  # A4, cm
MARGINS = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}  # cm
HEADER_DISTANCE = 1.0  # cm from the top edge to the page number
TEXT_WIDTH = PAGE_SHORT - MARGINS["left"] - MARGINS["right"]  # 16.5 cm
LANDSCAPE_WIDTH = PAGE_LONG - MARGINS["left"] - MARGINS["right"]  # 25.2 cm
# The header block reaches 0.5 cm into the left margin, as printed forms do, so that the
# Quốc hiệu fits on one line in 13 pt.
HEADER_WIDTHS = (6.6, 10.6)
HEADER_INDENT = -0.5
CLOSING_WIDTHS = (7.0, 9.5)
# A chart's caption is as wide as the chart (15 cm) on the landscape page (25.2 cm).
CHART_INDENT = (LANDSCAPE_WIDTH - CHART_WIDTH_CM) / 2
CELL_MARGIN = 0.19  # cm, Word's default left and right padding of a table cell
FIRST_LINE = 1.27  # cm, the body's first-line indent
BODY_PT, HEAD_PT, TABLE_PT = 14, 13, 12
# Nghị định 30 prints the recipients in 11 pt under "Nơi nhận:" in 12 pt.
RECIPIENTS_PT, RECIPIENTS_TITLE_PT = 11, 12
# Fixed document properties: the same template bytes on every build.
BUILT = dt.datetime(2024, 1, 1)

# Appendix columns: header text, the line's field, width (cm), centred. "Số liệu" holds
# "1.500.050,30" on one line at 12 pt.
COLUMNS = (
    ("STT", "code", 1.5, True),
    ("Chỉ tiêu", "label", 11.7, False),
    ("Đơn vị tính", "unit", 3.0, True),
    ("Số liệu", "value", 3.0, True),
    ("{{ appendix.last_column }}", "note", 6.0, False),
)
# An aggregate's table: the number of units whose figures make each total ("8/9") comes
# before the total. (A column of its own right of the value would be taken for "Ghi chú"
# by a reader when the form has no note column.)
AGGREGATE_COLUMNS = (
    ("STT", "code", 1.5, True),
    ("Chỉ tiêu", "label", 10.4, False),
    ("Đơn vị tính", "unit", 2.8, True),
    ("Số đơn vị đã báo cáo", "coverage", 2.3, True),
    ("Số liệu", "value", 3.0, True),
    ("{{ appendix.last_column }}", "note", 5.2, False),
)


def build() -> bytes:
    """The template's bytes."""
    document = docx.Document()
    _drop_thumbnail(document)
    _styles(document)
    _properties(document)
    first = document.sections[0]
    _page(first, landscape=False)
    _page_numbers(document, first)
    _letterhead(document)
    _title(document)
    _body(document)
    _closing(document)
    _appendix(document)
    out = BytesIO()
    document.save(out)
    return stable_zip(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data = build()
    if args == ["--check"]:
        same = TEMPLATE.is_file() and TEMPLATE.read_bytes() == data
        print(f"{TEMPLATE}: {'khớp' if same else 'KHÁC với bản dựng từ mã'}")
        return 0 if same else 1
    if args:
        print("cách dùng: python -m cchc.render.make_template [--check]", file=sys.stderr)
        return 2
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(data)
    print(f"Đã ghi {TEMPLATE} ({len(data)} byte)")
    return 0


# ------------------------------------------------------------------ document-wide settings


def _drop_thumbnail(document: Document) -> None:
    """python-docx's starter file carries a preview picture of itself."""
    rels = document.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            rels.pop(r_id)


def _fonts(r_pr: BaseOxmlElement) -> None:
    """Times New Roman for every script slot (Vietnamese is Latin; Word may still pick the
    East Asian or complex-script slot for some characters), without theme fonts."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _styles(document: Document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert r_pr is not None
    _fonts(r_pr)
    for tag in ("w:sz", "w:szCs", "w:lang"):
        for old in r_pr.findall(qn(tag)):
            r_pr.remove(old)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(BODY_PT * 2))
        r_pr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)
    p_pr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if p_pr is not None:
        for old in p_pr.findall(qn("w:spacing")):
            p_pr.remove(old)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0

    body = styles.add_style("CCHC Body", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.quick_style = True
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(FIRST_LINE)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.0
    fmt.widow_control = True

    heading = styles.add_style("CCHC Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = body
    heading.quick_style = True
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(6)

    centre = styles.add_style("CCHC Centre", WD_STYLE_TYPE.PARAGRAPH)
    centre.base_style = normal
    centre.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    table = styles.add_style("CCHC Table", WD_STYLE_TYPE.PARAGRAPH)
    table.base_style = normal
    table.font.size = Pt(TABLE_PT)
    fmt = table.paragraph_format
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(2)
    table_centre = styles.add_style("CCHC Table Centre", WD_STYLE_TYPE.PARAGRAPH)
    table_centre.base_style = table
    table_centre.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_head = styles.add_style("CCHC Table Header", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_centre
    table_head.font.bold = True


def _properties(document: Document) -> None:
    props = document.core_properties
    props.title = "{{ subject }}"
    props.author = "{{ unit }}"
    props.subject = "Báo cáo cải cách hành chính"
    props.comments = "Mẫu báo cáo theo Nghị định 30/2020/NĐ-CP, tạo bởi cchc"
    props.keywords = "CCHC"
    props.language = LANGUAGE
    props.last_modified_by = "cchc"
    props.revision = 1
    props.created = BUILT
    props.modified = BUILT


def _page(section: Section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_LONG, PAGE_SHORT) if landscape else (PAGE_SHORT, PAGE_LONG)
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.top_margin = _twips(MARGINS["top"])
    section.bottom_margin = _twips(MARGINS["bottom"])
    section.left_margin = _twips(MARGINS["left"])
    section.right_margin = _twips(MARGINS["right"])
    section.header_distance = Cm(HEADER_DISTANCE)
    section.footer_distance = Cm(HEADER_DISTANCE)
    section.gutter = Cm(0)


def _twips(cm: float) -> Twips:
    """A length Word stores in twentieths of a point, rounded up: 1.5 cm is 850.4 twips,
    and 850 would be 14.99 mm, under the decree's 15 mm."""
    return Twips(math.ceil(cm / 2.54 * 1440))


def _page_numbers(document: Document, section: Section) -> None:
    """A PAGE field centred in the header; the first page has an empty header of its own."""
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.style = document.styles["CCHC Centre"]
    _field(number, "PAGE", "2")
    first = section.first_page_header.paragraphs[0]
    first.style = document.styles["CCHC Centre"]


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    runs = []
    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = OxmlElement("w:r")
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run.append(text)
        elif kind == "shown":
            text = OxmlElement("w:t")
            text.text = shown
            run.append(text)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        runs.append(run)
    for run in runs:
        paragraph._p.append(run)


# ------------------------------------------------------------------ building blocks


def _element(tag: str) -> BaseOxmlElement:
    return cast(BaseOxmlElement, OxmlElement(tag))


def _text(paragraph: Paragraph, text: str, size: float | None = None, bold: bool = False,
          italic: bool = False) -> Paragraph:
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    return paragraph


def _para(container: Document | _Cell, style: str = "CCHC Centre", text: str = "",
          size: float | None = None, bold: bool = False, italic: bool = False,
          before: float | None = None, after: float | None = None, first: bool = False
          ) -> Paragraph:
    """A paragraph added to `container` (a cell's first, empty paragraph when `first`);
    spacing is set on the paragraph only where given, otherwise it is the style's."""
    paragraph: Paragraph
    if first and isinstance(container, _Cell):
        paragraph = container.paragraphs[0]
        paragraph.style = style
    else:
        paragraph = cast(Paragraph, container.add_paragraph(style=style))
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    if text:
        _text(paragraph, text, size, bold, italic)
    return paragraph


def _tag(container: Document | _Cell, tag: str, first: bool = False) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}): it disappears."""
    return _para(container, "Normal", tag, first=first)


def _rule(container: Document | _Cell, length: float, width: float, after: float = 0
          ) -> Paragraph:
    """A short centred horizontal rule `length` cm long under text `width` cm wide (a
    cell's inner width is its width less its margins): the top border of an empty paragraph
    of 2 pt, indented from both sides, a little below the line above."""
    paragraph = _para(container, "Normal", before=3, after=after)
    if isinstance(container, _Cell):
        width -= 2 * CELL_MARGIN
    side = max((width - length) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    top = OxmlElement("w:top")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                        ("w:color", "auto")):
        top.set(qn(attr), value)
    borders.append(top)
    p_pr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
        "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange")
    _mark_size(paragraph, 2)
    return paragraph


def _mark_size(paragraph: Paragraph, points: int) -> None:
    """The size of an empty paragraph's mark, which sets its height."""
    p_pr = paragraph._p.get_or_add_pPr()
    mark = _element("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(points * 2))
        mark.append(size)
    p_pr.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _table(document: Document, rows: int, widths: tuple[float, ...], borders: bool,
           indent: float = 0) -> Table:
    table = cast(Table, document.add_table(rows=rows, cols=len(widths)))
    if borders:
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for col, width in enumerate(widths):
        table.columns[col].width = Cm(width)
        for cell in table.columns[col].cells:
            cell.width = Cm(width)
            cell.vertical_alignment = (WD_CELL_VERTICAL_ALIGNMENT.CENTER if borders
                                       else WD_CELL_VERTICAL_ALIGNMENT.TOP)
    tbl_pr = table._tbl.tblPr
    total = _element("w:tblW")
    total.set(qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))
    total.set(qn("w:type"), "dxa")
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.replace(old, total)
    if indent:
        ind = _element("w:tblInd")
        ind.set(qn("w:w"), str(round(indent / 2.54 * 1440)))
        ind.set(qn("w:type"), "dxa")
        tbl_pr.insert_element_before(ind, "w:tblBorders", "w:shd", "w:tblLayout",
                                     "w:tblCellMar", "w:tblLook")
    if not borders:
        edges = _element("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            line = OxmlElement(f"w:{edge}")
            line.set(qn("w:val"), "nil")
            edges.append(line)
        tbl_pr.insert_element_before(edges, "w:shd", "w:tblLayout", "w:tblCellMar",
                                     "w:tblLook")
    return table


def _row_flag(table: Table, row: int, flag: str) -> None:
    """w:tblHeader (repeat the row on every page) or w:cantSplit (never cut the row)."""
    tr_pr = table.rows[row]._tr.get_or_add_trPr()
    element = OxmlElement(flag)
    if flag == "w:cantSplit":
        tr_pr.insert(0, element)
    else:
        tr_pr.append(element)


# ------------------------------------------------------------------ the parts


def _letterhead(document: Document) -> None:
    """Two columns, two rows: issuer | Quốc hiệu and Tiêu ngữ; number | place and date."""
    table = _table(document, 2, HEADER_WIDTHS, borders=False, indent=HEADER_INDENT)
    left, right = table.rows[0].cells
    _tag(left, "{%p if letterhead.governing %}", first=True)
    _para(left, text="{{ letterhead.governing }}", size=HEAD_PT)
    _tag(left, "{%p endif %}")
    _tag(left, "{%p for line in letterhead.issuer %}")
    _para(left, text="{{ line }}", size=HEAD_PT, bold=True)
    _tag(left, "{%p endfor %}")
    _rule(left, 2.4, HEADER_WIDTHS[0])
    _para(right, text="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=HEAD_PT, bold=True,
          first=True)
    _para(right, text="Độc lập - Tự do - Hạnh phúc", size=BODY_PT, bold=True)
    _rule(right, 6.0, HEADER_WIDTHS[1])
    number, place = table.rows[1].cells
    _para(number, text="{{ letterhead.number_line }}", size=HEAD_PT, before=4, first=True)
    _para(place, text="{{ letterhead.date_line }}", size=BODY_PT, italic=True, before=4,
          first=True)


def _title(document: Document) -> None:
    _para(document, text="BÁO CÁO", size=BODY_PT, bold=True, before=18)
    _para(document, text="{{ subject }}", size=BODY_PT, bold=True)
    _rule(document, 3.5, TEXT_WIDTH, after=12)


def _body(document: Document) -> None:
    _tag(document, "{%p for paragraph in intro %}")
    _para(document, "CCHC Body", "{{ paragraph }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for section in sections %}")
    _para(document, "CCHC Heading", "{{ section.number }}. {{ section.heading }}")
    _tag(document, "{%p for paragraph in section.paragraphs %}")
    _para(document, "CCHC Body", "{{ paragraph }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")


def _closing(document: Document) -> None:
    """"Nơi nhận" on the left, the signature block on the right, as a borderless table."""
    _para(document, "Normal", after=6)
    table = _table(document, 1, CLOSING_WIDTHS, borders=False)
    recipients, signer = table.rows[0].cells
    title = _para(recipients, "Normal", "Nơi nhận:", size=RECIPIENTS_TITLE_PT, bold=True,
                  italic=True, first=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _tag(recipients, "{%p for line in recipients %}")
    _para(recipients, "Normal", "{{ line }}", size=RECIPIENTS_PT)
    _tag(recipients, "{%p endfor %}")
    _tag(signer, "{%p if signature.authority %}", first=True)
    _para(signer, text="{{ signature.authority }}", size=BODY_PT, bold=True)
    _tag(signer, "{%p endif %}")
    _para(signer, text="{{ signature.title }}", size=BODY_PT, bold=True)
    # room for the signature and the seal
    _para(signer, text="{{ signature.name }}", size=BODY_PT, bold=True, before=72)


def _appendix(document: Document) -> None:
    """A new section on landscape pages: "PHỤ LỤC", the title, the reference, the table.

    Everything is inside `{%p if appendix %}`, including the paragraph that ends the first
    section; without an appendix `write_docx` gives the last section the first one's page
    settings back.
    """
    _tag(document, "{%p if appendix %}")
    portrait = document.sections[0]
    document.add_section(WD_SECTION.NEW_PAGE)
    landscape = document.sections[-1]
    _page(landscape, landscape=True)
    landscape.different_first_page_header_footer = False
    # The appendix's pages show their numbers too, from the same header.
    for reference in portrait._sectPr.findall(qn("w:headerReference")):
        if reference.get(qn("w:type")) == "default":
            landscape._sectPr.insert(0, copy.deepcopy(reference))
    _para(document, text="PHỤ LỤC", size=BODY_PT, bold=True)
    title = _para(document, text="{{ appendix.title }}", size=BODY_PT, bold=True)
    title.runs[0].font.all_caps = True
    _para(document, text="{{ appendix.reference }}", size=BODY_PT, italic=True, after=12)
    _charts(document)
    _tag(document, "{%p if appendix.aggregated %}")
    _appendix_table(document, AGGREGATE_COLUMNS)
    _tag(document, "{%p else %}")
    _appendix_table(document, COLUMNS)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endif %}")
    # A body ends with a paragraph; this one is too small to spill onto a page of its own.
    _mark_size(_para(document, "Normal"), 1)


def _charts(document: Document) -> None:
    """Each chart centred, its number and title under it, then its caption in italics;
    the three kept together on one page."""
    _tag(document, "{%p for chart in charts %}")
    picture = _para(document, text="{{ chart.image }}", before=6)
    picture.paragraph_format.keep_with_next = True
    title = _para(document, text="Biểu đồ {{ chart.number }}. {{ chart.title }}",
                  size=HEAD_PT, bold=True, before=4)
    title.paragraph_format.keep_with_next = True
    _tag(document, "{%p if chart.caption %}")
    caption = _para(document, text="{{ chart.caption }}", size=TABLE_PT, italic=True)
    caption.paragraph_format.left_indent = Cm(CHART_INDENT)
    caption.paragraph_format.right_indent = Cm(CHART_INDENT)
    _tag(document, "{%p endif %}")
    _mark_size(_para(document, "Normal", after=6), 6)
    _tag(document, "{%p endfor %}")


def _appendix_table(document: Document, columns: tuple[tuple[str, str, float, bool], ...]
                    ) -> None:
    """Header row (repeated on each page), then one row per line: `{%tr for %}` rows
    around the row of cells; each cell is a RichText (bold on section lines)."""
    widths = tuple(width for _, _, width, _ in columns)
    table = _table(document, 4, widths, borders=True)
    for cell, (header, _, _, _) in zip(table.rows[0].cells, columns, strict=True):
        _para(cell, "CCHC Table Header", header, first=True)
    _row_flag(table, 0, "w:tblHeader")
    _row_flag(table, 0, "w:cantSplit")
    _para(table.rows[1].cells[0], "CCHC Table", "{%tr for line in appendix.lines %}",
          first=True)
    for cell, (_, name, _, centred) in zip(table.rows[2].cells, columns, strict=True):
        style = "CCHC Table Centre" if centred else "CCHC Table"
        _para(cell, style, f"{{{{r line.rich.{name} }}}}", first=True)
    _row_flag(table, 2, "w:cantSplit")
    _para(table.rows[3].cells[0], "CCHC Table", "{%tr endfor %}", first=True)


if __name__ == "__main__":
    sys.exit(main())
