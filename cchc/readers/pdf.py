"""Read a .pdf with pdfplumber: the ruled tables of each page, and the lines outside them.

A table that runs over several pages gives one `RawTable` per page, its first row marked
`break_before`, so the table rebuilder can stitch the fragments (and drop a repeated header).
A cell's wrapped lines are kept as "\n", as the PDF shows them.

Without ruled lines on a page, pdfplumber's text strategy is tried, but it finds "tables" in
any justified paragraph, so such a table is kept only when no column edge cuts a word; it
comes back one text line per row (a wrapped label gives rows with only that column filled).
Characters are NFC-normalised, control characters dropped (a font's map may give NUL). A
password that only restricts printing or copying does not stop reading; a password needed to
open the file gives "pdf-encrypted". Decompression bombs, huge object counts and pages too
heavy to lay out are refused (cchc.readers.pdfsafe), and the read stops at its deadline.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.psparser import PSException

from cchc.errors import ReadError
from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.readers import Limits
from cchc.readers.controls import strip_controls
from cchc.readers.deadline import current
from cchc.readers.pdfsafe import (
    PageGuard,
    bounded_layout,
    count_pages,
    guard_resources,
    scan_encrypted,
    scan_file,
)

TEXT_STRATEGY = {"vertical_strategy": "text", "horizontal_strategy": "text"}
MIN_TEXT_COLUMNS = 3
MIN_TEXT_ROWS = 2
EDGE_TOLERANCE = 1.0  # points a column edge may overlap a word's side

BBox = tuple[float, float, float, float]


def read_pdf(path: Path, name: str, limits: Limits) -> RawDocument:
    deadline = current(limits.read_seconds, name)
    data = path.read_bytes()
    scan = scan_file(data, name, limits, deadline)  # bombs and object counts, before opening
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in its own type
        raise open_error(exc, name) from None
    doc = RawDocument(path=name, format="pdf")
    with pdf:
        decipher = getattr(pdf.doc, "decipher", None)
        if decipher is not None:
            scan_encrypted(data, scan, decipher)
        del data
        guard = PageGuard(name, deadline)
        guard_resources(pdf, guard)
        try:
            count = count_pages(pdf.doc, limits.max_pages)
            if count > limits.max_pages:
                raise ReadError("too-many-pages", name, pages=count, limit=limits.max_pages)
            pages = pdf.pages
        except ReadError:
            raise
        except Exception as exc:
            raise open_error(exc, name) from None
        if not pages:
            raise ReadError("file-corrupt", name, format="pdf", detail="không có trang nào")
        chars = 0
        for number, page in enumerate(pages, start=1):
            deadline.check()
            try:
                guard.start(number)
                bounded_layout(page, guard)
                chars += len(page.chars)
                read_page(page, number, doc)
            except ReadError:
                raise
            except Exception:
                raise ReadError("file-corrupt", name, format="pdf",
                                detail=f"không đọc được trang {number}") from None
            finally:
                page.close()
    if chars == 0:
        raise ReadError("pdf-no-text", name)
    return doc


def open_error(exc: Exception, name: str) -> ReadError:
    # pdfplumber re-raises pdfminer's error as the first argument of its own exception.
    causes = [exc, exc.__cause__, *(a for a in exc.args if isinstance(a, BaseException))]
    if any(isinstance(cause, PDFEncryptionError) for cause in causes):
        return ReadError("pdf-encrypted", name)  # PDFPasswordIncorrect is one of these
    detail = "cấu trúc PDF lỗi" if isinstance(exc, PSException) else "không mở được tệp PDF"
    return ReadError("file-corrupt", name, format="pdf", detail=detail)


def read_page(page: Any, number: int, doc: RawDocument) -> None:
    found = ruled_tables(page) or text_tables(page)
    for _, rows in found:
        doc.tables.append(fragment(rows, number, len(doc.tables) + 1))
    boxes = [bbox for bbox, _ in found]
    outside = page.filter(lambda obj: obj.get("object_type") != "char"
                          or not inside_any(obj, boxes)) if boxes else page
    line_no = 0
    for line in outside.extract_text_lines():
        text = clean(line["text"])
        if text:
            line_no += 1
            doc.paragraphs.append(Paragraph(text, Source(page=number, line=line_no)))


def ruled_tables(page: Any) -> list[tuple[BBox, list[list[str]]]]:
    found = []
    for table in page.find_tables():
        rows = [[clean(cell) for cell in row] for row in table.extract()]
        if rows:
            found.append((table.bbox, rows))
    return found


def text_tables(page: Any) -> list[tuple[BBox, list[list[str]]]]:
    """Tables found by word alignment, kept only when they look like real columns.

    pdfplumber's text strategy gives column edges where words line up; its outer edges may
    cut a longer header ("Đúng | hạn"), so they are widened to the words on the table's
    lines. A table is dropped when an inner edge cuts a word (what a paragraph gives), when
    it has under MIN_TEXT_COLUMNS columns, or under MIN_TEXT_ROWS rows of two filled cells.
    """
    found = []
    words = page.extract_words()
    for table in page.find_tables(TEXT_STRATEGY):
        _, top, _, bottom = table.bbox
        inside = [w for w in words if top <= (w["top"] + w["bottom"]) / 2 <= bottom]
        edges = sorted({round(x, 1) for cell in table.cells for x in (cell[0], cell[2])})
        if len(edges) - 1 < MIN_TEXT_COLUMNS or not inside:
            continue
        edges[0] = min([edges[0], *(w["x0"] for w in inside)])
        edges[-1] = max([edges[-1], *(w["x1"] for w in inside)])
        if any(w["x0"] + EDGE_TOLERANCE < edge < w["x1"] - EDGE_TOLERANCE
               for w in inside for edge in edges[1:-1]):
            continue
        rows = place_words(inside, edges, table)
        if sum(1 for row in rows if sum(1 for text in row if text) >= 2) < MIN_TEXT_ROWS:
            continue
        found.append(((edges[0], top, edges[-1], bottom), rows))
    return found


def place_words(words: list[dict[str, Any]], edges: list[float],
                table: Any) -> list[list[str]]:
    """Put each word in the row band and column its middle falls in; drop empty rows."""
    bands = sorted({(cell[1], cell[3]) for cell in table.cells})
    grid: list[list[list[str]]] = [[[] for _ in edges[1:]] for _ in bands]
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        y = (word["top"] + word["bottom"]) / 2
        x = (word["x0"] + word["x1"]) / 2
        row = next((i for i, (top, bottom) in enumerate(bands) if top <= y <= bottom), None)
        if row is None:
            continue
        col = max(0, min(bisect(edges, x) - 1, len(edges) - 2))
        grid[row][col].append(word["text"])
    rows = [[clean(" ".join(parts)) for parts in row] for row in grid]
    return [row for row in rows if any(row)]


def fragment(rows: list[list[str]], page: int, index: int) -> RawTable:
    width = max(len(row) for row in rows)
    raw_rows = []
    for r, row in enumerate(rows, start=1):
        texts = row + [""] * (width - len(row))
        cells = [Cell(text, Source(page=page, row=r, col=c))
                 for c, text in enumerate(texts, start=1)]
        raw_rows.append(RawRow(cells, break_before=r == 1))
    return RawTable(raw_rows, index)


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(text))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def inside_any(obj: dict[str, Any], boxes: list[BBox]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)
