"""Read a .docx: body paragraphs and tables, walking word/document.xml with lxml.

python-docx's `row.cells` repeats a merged cell once per grid column and drops tracked
insertions, so the table grid is walked here: w:gridSpan puts the text at the first grid
column, a w:vMerge continuation is empty, text in w:ins counts and w:del / field codes do not.

Speed (a 1,000-row table reads in under 3 times a bare parse of document.xml): one pass
over the tree (`prepare`) removes what is not text and writes the separators (line breaks,
tabs) into the tree, so text is then taken by `etree.tostring(method="text")` in C: once per
table, split on marks written after each row and cell, with a cell-by-cell walk as fallback.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from lxml import etree

from cchc.model import Cell, Paragraph, RawDocument, RawRow, RawTable, Source
from cchc.readers import Limits
from cchc.readers.zipsafe import check_cells, check_tags, corrupt, open_zip, read_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCUMENT = "word/document.xml"

P, R, T, TBL, TR, TC = W + "p", W + "r", W + "t", W + "tbl", W + "tr", W + "tc"
TR_PR, TC_PR, VAL = W + "trPr", W + "tcPr", W + "val"
GRID_SPAN, GRID_BEFORE, GRID_AFTER = W + "gridSpan", W + "gridBefore", W + "gridAfter"
# w:hMerge is the pre-2007 way of merging across; it continues like w:vMerge.
MERGES = (W + "vMerge", W + "hMerge")
CONTAINERS = (W + "sdt", W + "sdtContent", W + "customXml")

# Subtrees that are not part of the document as it reads now: the old place of a moved
# passage, the fallback copy of content given twice (mc:Choice comes first), field codes,
# embedded field data. Tracked deletions (w:del) are handled apart: they need their parent.
DROPPED = (W + "moveFrom", MC + "Fallback", W + "instrText", W + "delInstrText",
           W + "delText", W + "fldData")
# Elements whose own text is layout data (drawing offsets, sizes), except the w:t of text
# boxes inside them.
GRAPHICS = (W + "drawing", W + "pict", W + "object")
SEPARATORS = {W + "br": "\n", W + "cr": "\n", W + "tab": " ", W + "noBreakHyphen": "-"}
NO_MERGE = (1, False)
NO_PADDING = (0, 0)
# Marks written after each row and cell for the one-pass text of a table: Unicode
# noncharacters, allowed in XML but never in a document's text (checked anyway).
ROW_END, CELL_END = "\ufdd0", "\ufdd1"
NS = {"w": W[1:-1]}
HAS_CONTAINERS = etree.XPath("boolean(w:sdt | w:customXml | w:tr/w:sdt | w:tr/w:customXml)",
                             namespaces=NS)
TOP_ROWS = etree.XPath("w:tr", namespaces=NS)
TOP_CELLS = etree.XPath("w:tr/w:tc", namespaces=NS)
PADDED_ROWS = etree.XPath("w:tr[w:trPr/w:gridBefore or w:trPr/w:gridAfter]", namespaces=NS)
# Word allows 63 columns; a larger span is damage, and must not blow up the grid.
MAX_SPAN = 1000

# remove_blank_text drops the indentation of pretty-printed XML; libxml2 keeps a
# whitespace-only w:t (its only child is text), so " " between runs survives.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                         remove_comments=True, remove_pis=True, remove_blank_text=True)


def read_docx(path: Path, name: str, limits: Limits) -> RawDocument:
    with open_zip(path, name, "docx", limits) as archive:
        if DOCUMENT not in archive.namelist():
            raise corrupt(name, "docx", f"thiếu phần {DOCUMENT}")
        data = read_member(archive, DOCUMENT, name, "docx", limits)
    check_tags(name, data)
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise corrupt(name, "docx", f"phần {DOCUMENT} không phải XML hợp lệ") from None
    body = root.find(W + "body")
    if body is None:
        raise corrupt(name, "docx", f"phần {DOCUMENT} không có thân văn bản (w:body)")
    layout = prepare(body)
    with paused_gc():
        return read_body(body, name, layout)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while building cells: the objects made here hold
    no cycles, and each collection their number triggers walks the whole heap (the caller's
    too), about a fifth of the reading time of a long table."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def prepare(body: etree._Element) -> dict[etree._Element, tuple[int, bool]]:
    """Make the tree's text read as the document does, and collect merged cells.

    Returns {w:tc: (grid columns covered, continues a merge)} for the cells that have a
    w:gridSpan or a merge mark; every other cell covers one column and shows its text.
    """
    for element in list(body.iter(*DROPPED)):
        remove(element)
    for element in list(body.iter(W + "del")):
        # w:trPr/w:del marks a whole row deleted as a tracked change.
        parent = element.getparent()
        if parent is not None and parent.tag == TR_PR:
            row = parent.getparent()
            if row is not None:
                remove(row)
        else:
            remove(element)
    for graphic in body.iter(*GRAPHICS):
        for element in graphic.iter():
            if element.tag != T:
                element.text = None
            element.tail = None
        # A text box starts on a line of its own.
        graphic.text = "\n"
    for element in body.iter(P, *SEPARATORS):
        if element.tag == P:
            # The paragraph's end is a line break in its container's text.
            element.tail = "\n"
        else:
            parent = element.getparent()
            # w:tab is also a tab stop definition (w:pPr/w:tabs/w:tab): only a run's is text.
            if parent is not None and parent.tag == R:
                element.text = SEPARATORS[element.tag]
    layout: dict[etree._Element, tuple[int, bool]] = {}
    for prop in body.iter(GRID_SPAN, *MERGES):
        props = prop.getparent()
        cell = props.getparent() if props is not None else None
        if cell is None or props is None or props.tag != TC_PR:
            continue
        span, hidden = layout.get(cell, (1, False))
        if prop.tag == GRID_SPAN:
            span = max(as_span(prop.get(VAL)), 1)
        elif prop.get(VAL, "continue") != "restart":
            hidden = True
        layout[cell] = (span, hidden)
    return layout


def remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def read_body(body: etree._Element, name: str,
              layout: dict[etree._Element, tuple[int, bool]]) -> RawDocument:
    doc = RawDocument(path=name, format="docx")
    paragraph_no = 0
    # Cells beyond one per w:tc, counted before any is built; tables then add their w:tc.
    cells = sum(span - 1 for span, _ in layout.values()) + sum(
        as_span(e.get(VAL)) for e in body.iter(GRID_BEFORE, GRID_AFTER))
    for block in blocks(body):
        if block.tag == P:
            paragraph_no += 1
            text = element_text(block)
            if text:
                doc.paragraphs.append(Paragraph(text, Source(paragraph=paragraph_no)))
        else:
            tcs = elements(TOP_CELLS(block))
            check_cells(name, cells + len(tcs))
            table = read_table(block, tcs, len(doc.tables) + 1, layout, name)
            cells += sum(len(row.cells) for row in table.rows)
            doc.tables.append(table)
    return doc


def blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """Body-level w:p and w:tbl in order, looking through content controls and custom XML."""
    for child in parent:
        tag = child.tag
        if tag in (P, TBL):
            yield child
        elif tag in CONTAINERS:
            yield from blocks(child)


def element_text(element: etree._Element) -> str:
    """Text of a paragraph or a cell: paragraphs and w:br give line breaks, tabs a space.

    Each line is stripped and empty lines are dropped, so spacing paragraphs and stray
    breaks do not change a cell's text. Nested tables give their paragraphs as lines.
    """
    return tidy(etree.tostring(element, method="text", encoding=str, with_tail=False))


def tidy(raw: str) -> str:
    raw = raw.strip()
    if "\n" not in raw:
        return raw
    return "\n".join(line.strip() for line in raw.split("\n") if line.strip())


def read_table(tbl: etree._Element, tcs: list[etree._Element], index: int,
               layout: dict[etree._Element, tuple[int, bool]], name: str) -> RawTable:
    """`tcs`: the table's own cells (w:tr/w:tc), already listed to count them."""
    grid = tbl.find(W + "tblGrid")
    width = len(grid) if grid is not None else 0
    rows = read_rows_at_once(tbl, tcs, index, layout)
    if rows is None:
        rows = [read_row(tr, index, r, layout) for r, tr in enumerate(table_rows(tbl), start=1)]
    width = max([width, *(len(cells) for cells in rows)])
    check_cells(name, len(rows) * width)
    for r, cells in enumerate(rows, start=1):
        if len(cells) < width:
            pad(cells, width - len(cells), index, r)
    return RawTable([RawRow(cells) for cells in rows], index)


def read_row(tr: etree._Element, table: int, row: int,
             layout: dict[etree._Element, tuple[int, bool]]) -> list[Cell]:
    cells: list[Cell] = []
    before, after = grid_padding(tr)
    pad(cells, before, table, row)
    for tc in row_cells(tr):
        add_merged(cells, tc, layout.get(tc, NO_MERGE), table, row)
    pad(cells, after, table, row)
    return cells


def read_rows_at_once(tbl: etree._Element, tcs: list[etree._Element], index: int,
                      layout: dict[etree._Element, tuple[int, bool]]) -> list[list[Cell]] | None:
    """The table's rows from a single text serialisation, split on marks put after each
    row and cell: one C call instead of one per cell, which is most of the reading time of
    a long table. None when the table needs the walk element by element (rows or cells
    inside content controls, or a mark character found in the text itself).
    """
    if HAS_CONTAINERS(tbl):
        return None
    trs = elements(TOP_ROWS(tbl))
    for tr in trs:
        tr.tail = ROW_END
    for tc in tcs:
        tc.tail = CELL_END
    pieces = etree.tostring(tbl, method="text", encoding=str, with_tail=False).split(ROW_END)
    if len(pieces) != len(trs) + 1 or pieces[-1]:
        return None
    texts = [piece.split(CELL_END) for piece in pieces[:-1]]
    if sum(len(parts) - 1 for parts in texts) != len(tcs) or any(p[-1] for p in texts):
        return None
    padding = {tr: grid_padding(tr) for tr in elements(PADDED_ROWS(tbl))}
    rows: list[list[Cell]] = []
    k = 0
    for r, (tr, parts) in enumerate(zip(trs, texts, strict=True), start=1):
        cells: list[Cell] = []
        before, after = padding.get(tr, NO_PADDING)
        pad(cells, before, index, r)
        for raw in parts[:-1]:
            merge = layout.get(tcs[k])
            k += 1
            if merge is None:
                cells.append(Cell(tidy(raw), grid_source(index, r, len(cells) + 1)))
                continue
            span, hidden = merge
            cells.append(Cell("" if hidden else tidy(raw),
                              grid_source(index, r, len(cells) + 1)))
            pad(cells, span - 1, index, r)
        pad(cells, after, index, r)
        rows.append(cells)
    return rows


def elements(result: object) -> list[etree._Element]:
    """An XPath result known to be a node list, typed as such."""
    return cast(list[etree._Element], result)


def grid_padding(tr: etree._Element) -> tuple[int, int]:
    """(w:gridBefore, w:gridAfter): grid columns the row leaves out at its start and end."""
    before = after = 0
    props = tr.find(TR_PR)
    for prop in props if props is not None else ():
        if prop.tag == GRID_BEFORE:
            before = as_span(prop.get(VAL))
        elif prop.tag == GRID_AFTER:
            after = as_span(prop.get(VAL))
    return before, after


def children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in CONTAINERS:
            yield from children(child, tag)


def table_rows(tbl: etree._Element) -> Iterator[etree._Element]:
    return children(tbl, TR)


def row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    return children(tr, TC)


def add_merged(cells: list[Cell], tc: etree._Element, merge: tuple[int, bool], table: int,
               row: int) -> None:
    span, hidden = merge
    text = "" if hidden else element_text(tc)
    cells.append(Cell(text, grid_source(table, row, len(cells) + 1)))
    pad(cells, span - 1, table, row)


def pad(cells: list[Cell], count: int, table: int, row: int) -> None:
    for _ in range(count):
        cells.append(Cell("", grid_source(table, row, len(cells) + 1)))


# Source is a frozen dataclass: its __init__ pays one object.__setattr__ per field, which
# made it the largest single cost of reading a long table. This builds the same object
# (equal, same hash) from a default instance, so fields added to Source later keep their
# defaults.
_SOURCE_DEFAULTS = Source().__dict__
_new = object.__new__
_set = object.__setattr__


def grid_source(table: int, row: int, col: int) -> Source:
    fields = _SOURCE_DEFAULTS.copy()
    fields["table"] = table
    fields["row"] = row
    fields["col"] = col
    source: Source = _new(Source)
    _set(source, "__dict__", fields)
    return source


def as_span(value: str | None) -> int:
    try:
        number = int(value or "0")
    except ValueError:
        return 0
    return min(max(number, 0), MAX_SPAN)
