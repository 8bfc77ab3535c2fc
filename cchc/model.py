"""The data the core passes around: raw documents from readers, interpreted reports, findings.

Readers produce a `RawDocument` (paragraphs and tables, every cell with its source).
`cchc.interpret` turns it into a `Report` (metadata, appendix rows matched to a form,
narrative facts); `cchc.checks` adds `Finding`s. Nothing here imports a reader library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a piece of text came from.

    Text files give `line`; Word and Excel give `table`/`row`/`col` (1-based, counted on the
    table grid, so a merged cell has one position) and Excel also `sheet`; PDF gives `page`
    (and `line` within the page where known). Paragraphs of a Word file give `paragraph`.
    """

    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None
    sheet: str | None = None
    paragraph: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Cell:
    """One cell of a table, as written; `text` keeps line breaks between paragraphs.

    Spreadsheet readers also give the typed value they found (`number`), with
    `is_percent` when the cell is formatted as a percentage (0.9774 shown as "97,74%" gives
    number=97.74, is_percent=True), so that no value goes through an ambiguous text form.
    """

    text: str
    source: Source
    number: float | None = None
    is_percent: bool = False


@dataclass
class RawRow:
    """A row of a table as the reader saw it.

    `break_before` is True when a physical break (page break, a new table that continues
    the previous one, a blank separator line) comes just before this row: the table
    rebuilder only stitches rows across such breaks.
    """

    cells: list[Cell]
    break_before: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class RawTable:
    rows: list[RawRow]
    index: int = 1


@dataclass
class Paragraph:
    text: str
    source: Source


@dataclass
class RawDocument:
    """What a reader returns: the narrative paragraphs and the tables, in document order."""

    path: str
    format: str  # "txt" | "docx" | "xlsx" | "pdf" | "doc"
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)


# ---------------------------------------------------------------- interpreted report


@dataclass
class Value:
    """A value cell read with its row's unit as context. `raw` is always kept."""

    raw: str
    kind: str  # number | percent | coded | fraction | empty | text | ambiguous
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    candidates: list[float] = field(default_factory=list)
    decimals: int = 0  # decimals as written, for rounding tolerance
    has_percent_sign: bool = False


@dataclass
class Row:
    index: int  # 0-based position among appendix rows
    code: str
    label: str
    unit: str
    value: Value
    note: str
    responsible: str = ""  # "Đơn vị thực hiện" column, where the form has one
    item: str | None = None  # matched form item id
    concept: str | None = None
    match_score: float = 0.0
    source: Source = field(default_factory=Source)
    cell_sources: dict[str, Source] = field(default_factory=dict)

    @property
    def number(self) -> float | None:
        return self.value.value


@dataclass
class Period:
    kind: str | None = None  # month | quarter | half_year | nine_months | year
    year: int | None = None
    label: str | None = None
    number: int | None = None  # quarter number or month number
    start: date | None = None
    end: date | None = None


@dataclass
class Meta:
    unit: str | None = None
    level: str | None = None  # province | department | district | commune | service_unit
    province: str | None = None
    number: str | None = None
    date: date | None = None
    period: Period = field(default_factory=Period)
    sources: dict[str, Source] = field(default_factory=dict)
    # period phrases found elsewhere (appendix heading, ...), for consistency checks
    period_mentions: list[tuple[Period, Source]] = field(default_factory=list)


@dataclass
class NarrativeFact:
    concept: str
    value: float
    text: str
    source: Source
    raw: str = ""


@dataclass
class Finding:
    code: str
    severity: str  # error | warning | info
    row: int | None = None
    item_code: str | None = None
    label: str | None = None
    expected: Any = None
    actual: Any = None
    related: list[int] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # filled by cchc.findings.render


@dataclass
class Report:
    source: str
    format: str
    meta: Meta
    rows: list[Row]
    narrative: list[NarrativeFact]
    form_id: str | None = None
    form_score: float = 0.0
    paragraphs: list[Paragraph] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    concept_suggestions: dict[int, str] = field(default_factory=dict)
    has_table: bool = True

    def status(self) -> str:
        severities = {f.severity for f in self.findings}
        if "error" in severities:
            return "invalid"
        if "warning" in severities:
            return "warnings"
        return "valid"
