"""What every check sees: the report, its form, and rows indexed by item and concept."""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.catalog import Catalog, Form, Item
from cchc.model import Report, Row

NUMERIC_KINDS = ("number", "percent", "coded", "fraction")


@dataclass
class Context:
    report: Report
    catalog: Catalog
    form: Form | None
    by_item: dict[str, Row] = field(default_factory=dict)
    by_concept: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def build(cls, report: Report, catalog: Catalog) -> Context:
        form = catalog.form(report.form_id) if report.form_id else None
        ctx = cls(report=report, catalog=catalog, form=form)
        for row in report.rows:
            if row.item is not None:
                ctx.by_item.setdefault(row.item, row)
            if row.concept is not None:
                ctx.by_concept.setdefault(row.concept, []).append(row)
        return ctx

    def item_of(self, row: Row) -> Item | None:
        if self.form is None or row.item is None:
            return None
        return self.form.item(row.item)

    def value(self, item_id: str) -> float | None:
        """The numeric value of the row matched to an item, None when missing or unclear."""
        row = self.by_item.get(item_id)
        if row is None or row.value.kind not in NUMERIC_KINDS:
            return None
        return row.value.value

    def numeric_rows(self) -> list[tuple[Row, Item]]:
        out = []
        for row in self.report.rows:
            item = self.item_of(row)
            if item is not None and row.value.kind in NUMERIC_KINDS and row.value.value is not None:
                out.append((row, item))
        return out
