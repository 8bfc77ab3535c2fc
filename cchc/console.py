"""Readable Vietnamese output for the terminal (rich): metadata, rows, findings by severity."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from cchc.aggregate import Aggregate
from cchc.findings import SEVERITY_WORDS
from cchc.messages import LEVEL_WORDS
from cchc.model import Report
from cchc.numbers import format_number

STATUS_WORDS = {"valid": "hợp lệ", "warnings": "có cảnh báo", "invalid": "có lỗi"}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _value_text(report: Report, index: int) -> str:
    value = report.rows[index].value
    if value.value is None:
        return ""
    text = format_number(value.value, None)
    return text + "%" if value.kind in ("percent", "fraction") else text


def print_report(report: Report, checked: bool, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    meta = report.meta
    console.rule(f"[bold]{report.source}")
    facts = [
        ("Đơn vị", meta.unit or "—"),
        ("Cấp", LEVEL_WORDS.get(meta.level or "", "—")),
        ("Tỉnh", meta.province or "—"),
        ("Số", meta.number or "—"),
        ("Ngày", meta.date.strftime("%d/%m/%Y") if meta.date else "—"),
        ("Kỳ báo cáo", meta.period.label or "—"),
        ("Biểu mẫu", f"{report.form_id} (điểm {format_number(report.form_score, 2)})"
         if report.form_id else "chưa nhận ra"),
        ("Số dòng", format_number(len(report.rows), 0)),
    ]
    for name, value in facts:
        console.print(f"[bold]{name}:[/] {value}")
    if not checked:
        table = Table("STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Giá trị", "Mục", show_lines=False)
        for row in report.rows:
            table.add_row(row.code, row.label[:70], row.unit[:18], row.value.raw[:14],
                          _value_text(report, row.index), row.item or "")
        console.print(table)
        return
    console.print(f"[bold]Trạng thái:[/] {STATUS_WORDS[report.status()]}")
    for severity in ("error", "warning", "info"):
        found = [f for f in report.findings if f.severity == severity]
        if not found:
            continue
        console.print(f"\n[{_STYLE[severity]}]{SEVERITY_WORDS[severity]} ({len(found)})[/]")
        for f in found:
            where = ""
            if f.row is not None:
                row = report.rows[f.row]
                where = (f"[dim]dòng {row.code}[/] " if row.code else
                         f"[dim]hàng {f.row + 1} (không số)[/] ")
            console.print(f"  • {where}{f.message} [dim]({f.code})[/]")
    console.print()


RULE_WORDS = {"approved": "chỉ báo cáo đã duyệt", "submitted": "báo cáo đã gửi và đã duyệt",
              "all": "mọi báo cáo, kể cả bản nháp"}
SOURCE_WORDS = {"own": "báo cáo của đơn vị", "children": "tổng hợp cấp dưới",
                "children+copy": "tổng hợp cấp dưới (có số do cấp trung gian báo cáo thay)",
                "lineage": "đơn vị tiền thân", "": ""}


def aggregate_value(value: float | None, counts: dict[int, int] | None) -> str:
    """12653 → '12.653'; coded answers as 'mã 1: 7, mã 0: 2'; nothing → ''."""
    if counts:
        return ", ".join(f"mã {code}: {n}" for code, n in sorted(counts.items(), reverse=True))
    return "" if value is None else format_number(value, None)


def print_aggregate(result: Aggregate, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    console.rule(f"[bold]Tổng hợp: {result.unit.name} – {result.period.label}")
    console.print(f"[bold]Số liệu tính từ:[/] {RULE_WORDS.get(result.status_rule, '')}")
    console.print(f"[bold]Đã báo cáo:[/] {len(result.reported)}/{len(result.expected)} "
                  "đơn vị")
    if result.missing:
        console.print("[bold]Chưa có báo cáo:[/] " + ", ".join(u.name for u in result.missing))
    if result.lineage:
        console.print("[bold]Số liệu của các đơn vị tiền thân:[/] " + ", ".join(result.lineage))
    if result.unattributable:
        console.print("[bold]Không phân bổ được (đơn vị bị chia tách):[/] "
                      + ", ".join(result.unattributable))
    table = Table("STT", "Chỉ tiêu", "Số liệu", "Báo cáo", "Nguồn")
    for row in result.rows:
        coverage = f"{row.reported}/{row.expected}" if row.expected else ""
        table.add_row(row.code, row.label[:70], aggregate_value(row.value, row.counts),
                      coverage, SOURCE_WORDS.get(row.source, row.source))
    console.print(table)
