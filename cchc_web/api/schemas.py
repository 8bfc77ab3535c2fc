"""The shapes the API answers with (and documents in /api/openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


# the failures every endpoint may answer with, for the OpenAPI document
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                   422: ErrorOut, 429: ErrorOut}


class LinkOut(Schema):
    """A lineage link seen from one unit: the other unit, how and when."""

    code: str
    name: str
    kind: str  # merged | split | renamed
    date: dt.date


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    predecessors: list[LinkOut]
    successors: list[LinkOut]


class PeriodOut(Schema):
    id: int
    kind: str
    year: int
    number: int | None
    label: str
    start: dt.date
    end: dt.date
    data_from: dt.date
    data_to: dt.date
    deadlines: dict[str, dt.date]  # level → due date


class OptionOut(Schema):
    code: int
    label: str


class ItemOut(Schema):
    id: str
    code: str
    label: str
    unit: str
    type: str
    concept: str | None
    levels: list[str]
    parent: str | None
    options: list[OptionOut]


class FormOut(Schema):
    id: str
    title: str
    issuer: str
    province: str
    levels: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    items: int


class FormDetailOut(Schema):
    id: str
    title: str
    issuer: str
    province: str
    levels: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    columns: list[str]
    items: list[ItemOut]


class UnitRef(Schema):
    code: str
    name: str


class PeriodRef(Schema):
    id: int
    kind: str
    year: int
    number: int | None
    label: str


class SubmissionLineOut(Schema):
    id: int
    unit: UnitRef
    period: PeriodRef
    status: str
    errors: int
    explained: int
    warnings: int
    submitted: dt.date | None
    due: dt.date | None
    late: bool
    overdue: bool
    url: str


class SubmissionPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[SubmissionLineOut]


class ValueOut(Schema):
    item: str
    code: str
    label: str
    raw: str
    value: float | None
    comment: str
    note: str
    derived: bool


class SectionOut(Schema):
    section: str
    title: str
    text: str


class FileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    url: str


class CountsOut(Schema):
    errors: int
    explained: int
    warnings: int


class SubmissionOut(Schema):
    id: int
    unit: UnitRef
    period: PeriodRef
    form: str
    status: str
    doc_number: str
    doc_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    counts: CountsOut
    values: list[ValueOut]
    narrative: list[SectionOut]
    findings: list[dict[str, Any]]
    files: list[FileOut]
    documents: dict[str, str]  # format → download URL


class CompletenessRow(Schema):
    unit: UnitRef
    kind: str
    due: dt.date | None
    state: str  # on_time | late | not_yet | overdue
    submission: int | None
    status: str | None


class CompletenessOut(Schema):
    period: PeriodRef
    counts: dict[str, int]
    units: list[CompletenessRow]
