"""Readable Vietnamese output for the terminal (rich): metadata, rows, findings by severity."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

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
