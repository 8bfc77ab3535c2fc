"""The rows of the long tables as HTML: the form page, the reviewer queue, Tổng hợp.

A form has 150–250 rows and each row has three parts (the row, its answer cell, its findings
cell), which the autosave answer also sends alone, out of band; a province's queue has a row
per unit. Rendered through Django's template engine this cost about 0.5 ms a row, most of
the pages' time (docs/PERFORMANCE.md), so the rows are built here with plain string
formatting; every text is escaped with `html.escape`, as the template engine would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cchc.numbers import format_number

if TYPE_CHECKING:
    from cchc_web.editing import Conflict
    from cchc_web.views.review import QueueRow
    from cchc_web.views.submission import RowView


@dataclass(frozen=True)
class RowContext:
    save_url: str  # where a field posts its autosave
    can_edit: bool
    level_words: str  # "cấp xã", for rows that do not apply to this level
    notes: bool = False  # the form has a "Ghi chú" column


def rows(rows: list[RowView], ctx: RowContext) -> SafeString:
    return mark_safe("".join(row(r, ctx) for r in rows))


def changed(rows: list[RowView], ctx: RowContext, touched: set[str], refresh: set[str],
            notes: set[str], rates: frozenset[str] | set[str] = frozenset()) -> SafeString:
    """The autosave answer, each part swapped into the page out of band: the answer cells of
    the `touched` items, the findings cells of the `refresh` items, the note cells of
    `notes`, the suggested values of the `rates` (those not redrawn with their cell)."""
    out = []
    for r in rows:
        key = r.item.id
        if key in touched:
            out.append(cell(r, ctx, oob=True))
        elif key in rates and ctx.can_edit and (r.applicable or r.raw):
            out.append(suggestion(r, oob=True))
        if key in refresh and not r.section:
            out.append(findings(r, ctx, oob=True))
        if key in notes and not r.section:
            out.append(note(r, ctx, oob=True))
    return mark_safe("".join(out))


def row(r: RowView, ctx: RowContext) -> str:
    item = r.item
    if r.section:
        span = 5 if ctx.notes else 4
        return (f'<tr class="section depth-{r.depth}" id="row-{_e(item.id)}">'
                f'<td class="code">{_e(item.code)}</td><td colspan="{span}">'
                f"<b>{_e(item.label)}</b></td></tr>\n")
    classes = f"depth-{r.depth}"
    if not r.applicable:
        classes += " not-applicable"
    if r.findings:
        classes += " has-findings"
    hint = ""
    if not r.applicable:
        empty = "" if r.raw else "; để trống"
        hint = (f'<div class="muted small">Chỉ tiêu không áp dụng cho '
                f"{_e(ctx.level_words)}{empty}.</div>")
    return (f'<tr class="{classes}" id="row-{_e(item.id)}" data-item="{_e(item.id)}">'
            f'<td class="code">{_e(item.code)}</td>'
            f'<td class="label">{_e(item.label)}{hint}</td>'
            f'<td class="unit">{_e(item.unit)}</td>'
            f"{cell(r, ctx)}{note(r, ctx) if ctx.notes else ''}{findings(r, ctx)}</tr>\n")


def _autosave(ctx: RowContext, name: str, base: str) -> str:
    """The htmx attributes of a field that saves itself (with its base) when it changes."""
    return (f'hx-post="{_e(ctx.save_url)}" hx-trigger="change" hx-include="closest td" '
            f'hx-params="{_e(name)},{_e(base)}" hx-swap="none" data-key="{_e(name)}"')


def cell(r: RowView, ctx: RowContext, oob: bool = False) -> str:
    item, oob_attr = r.item, ' hx-swap-oob="true"' if oob else ""
    head = f'<td class="value" id="cell-{_e(item.id)}"{oob_attr}>'
    if not (ctx.can_edit and (r.applicable or r.raw)):
        return f'{head}<span class="readonly">{_e(r.raw)}</span></td>'
    name, base_name = f"v:{item.id}", f"b:{item.id}"
    label = _e(f"{item.code} {item.label}")
    attrs = _autosave(ctx, name, base_name)
    if item.options:
        options = ['<option value="">—</option>']
        for code, text in item.options:
            selected = " selected" if r.raw == str(code) else ""
            options.append(f'<option value="{code}"{selected}>{_e(text)} ({code})</option>')
        if r.raw and not r.raw.isdigit():
            options.append(f'<option value="{_e(r.raw)}" selected>{_e(r.raw)}</option>')
        field = (f'<select name="{_e(name)}" aria-label="{label}" {attrs}>'
                 f'{"".join(options)}</select>')
    else:
        shown = r.conflict.change.new if r.conflict else r.raw
        field = (f'<input name="{_e(name)}" value="{_e(shown)}" inputmode="decimal" '
                 f'aria-label="{label}" {attrs}>')
    parts = [head, field, _base(base_name, r.conflict.change.base if r.conflict else r.raw)]
    if item.rate is not None:
        parts.append(suggestion(r))
    c = r.conflict
    if c is not None:
        who = f" ({_e(c.who)})" if c.who else ""
        when = f" lúc {_when(c.when)}" if c.when else ""
        parts.append(_conflict(
            c, f"Người khác{who} đã sửa ô này thành <b>“{_e(c.theirs) or '(trống)'}”</b>"
               f"{when}; giá trị của bạn <b>“{_e(c.change.new)}”</b> chưa được lưu.",
            "Dùng giá trị mới", "Giữ giá trị của tôi"))
    parts.append("</td>")
    return "".join(parts)


def suggestion(r: RowView, oob: bool = False) -> str:
    """The rate computed from the row's own numerator and denominator, offered as a button,
    in its own element so that every save can redraw it without touching the field. The
    button names the values it was computed from; the page refuses to fill it once the
    fields on the screen hold other values (app.js).

    Out of band it travels as a `<td>` whose children replace the span's: the answer is
    parsed as table cells, and a top-level `<span>` among them would make the HTML parser
    drop every `<td>` after it."""
    item, d = r.item, r.derived
    inner = ""
    if d is not None and d.text != r.raw and item.rate is not None:
        numerator, denominator = item.rate
        inner = (f'<button type="button" class="suggest" data-fill="{_e(d.text)}" '
                 f'data-num="{_e(numerator)}" data-num-raw="{_e(r.parts[0])}" '
                 f'data-den="{_e(denominator)}" data-den-raw="{_e(r.parts[1])}" '
                 f'title="Tính từ {_number(d.numerator)}/{_number(d.denominator)}">'
                 f"Tính được: {_e(d.text)}%</button>")
    if oob:
        return f"<td hx-swap-oob='innerHTML:[id=\"d-{_e(item.id)}\"]'>{inner}</td>"
    return f'<span class="derived" id="d-{_e(item.id)}">{inner}</span>'


def note(r: RowView, ctx: RowContext, oob: bool = False) -> str:
    """The "Ghi chú" cell: free text the officer writes beside the value, as on paper."""
    item, oob_attr = r.item, ' hx-swap-oob="true"' if oob else ""
    head = f'<td class="note" id="g-{_e(item.id)}"{oob_attr}>'
    if not ctx.can_edit:
        return f"{head}{_e(r.note)}</td>"
    c = r.note_conflict
    parts = [head, _text_field(ctx, f"g:{item.id}", f"gb:{item.id}", r.note, c, rows=1,
                               aria=f"Ghi chú {item.code}")]
    if c is not None:
        parts.append(_conflict(c, f"Người khác đã ghi: “{_e(c.theirs)}”; ghi chú của bạn chưa "
                                  "được lưu.", "Dùng ghi chú mới", "Giữ ghi chú của tôi"))
    parts.append("</td>")
    return "".join(parts)


def findings(r: RowView, ctx: RowContext, oob: bool = False) -> str:
    item, oob_attr = r.item, ' hx-swap-oob="true"' if oob else ""
    parts = [f'<td class="findings" id="f-{_e(item.id)}"{oob_attr}>']
    for f in r.findings:
        parts.append(f'<div class="finding sev-{_e(f.severity)}" data-code="{_e(f.code)}">'
                     f"{_e(f.message)}</div>")
    # An explanation answers an error: a row without one shows none (and a save takes a
    # stale explanation off the row, keeping its text in the audit trail).
    if r.has_error or r.comment_conflict:
        c = r.comment_conflict
        if ctx.can_edit:
            parts.append('<label class="explain">Giải trình' + _text_field(
                ctx, f"c:{item.id}", f"cb:{item.id}", r.comment, c, rows=2) + "</label>")
            if c is not None:
                parts.append(_conflict(c, f"Người khác đã ghi giải trình: “{_e(c.theirs)}”; "
                                          "giải trình của bạn chưa được lưu.",
                                       "Dùng giải trình mới", "Giữ giải trình của tôi"))
        elif r.comment and r.has_error:
            parts.append(f'<div class="explained">Giải trình: {_e(r.comment)}</div>')
    parts.append("</td>")
    return "".join(parts)


def _text_field(ctx: RowContext, name: str, base_name: str, stored: str,
                conflict: Conflict | None, rows: int, aria: str = "") -> str:
    """A text box that saves itself, with the hidden base it started from; on a conflict
    it shows the officer's unsaved text and keeps its old base."""
    text = conflict.change.new if conflict else stored
    label = f' aria-label="{_e(aria)}"' if aria else ""
    box = (f'<textarea name="{_e(name)}" rows="{rows}"{label} {_autosave(ctx, name, base_name)}>'
           f"{_e(text)}</textarea>")
    return box + _base(base_name, conflict.change.base if conflict else stored)


def _base(name: str, value: str) -> str:
    return f'<input type="hidden" name="{_e(name)}" value="{_e(value)}">'


def _conflict(c: Conflict, told: str, take: str, keep: str) -> str:
    """Someone else saved this field meanwhile: say so (`told`, already escaped) and offer
    to take their value or keep one's own."""
    return (f'<div class="conflict" data-testid="conflict">{told} '
            f'<button type="button" data-take="{_e(c.theirs)}">{take}</button> '
            f'<button type="button" data-keep="{_e(c.theirs)}">{keep}</button></div>')


def queue(rows: list[QueueRow]) -> SafeString:
    out = []
    for r in rows:
        late = ' <span class="late">muộn</span>' if r.late else ""
        overdue = ' <span class="late" data-testid="overdue">quá hạn</span>' if r.overdue else ""
        out.append(f"<tr><td>{_e(r.unit)}</td><td>{_e(r.period)}</td>"
                   f'<td><span class="status status-{_e(r.status)}">{_e(r.status_word)}</span>'
                   f"{overdue}</td><td>{_e(r.errors)}</td><td>{r.warnings}</td><td>{r.due}</td>"
                   f"<td>{r.sent}{late}</td>"
                   f'<td><a class="button" href="{_e(r.url)}">Xem</a></td></tr>\n')
    return mark_safe("".join(out))


def _e(text: str) -> str:
    return escape(text, quote=True)


def _number(value: float) -> str:
    """As the template filter floatformat:"-2" wrote it: no decimals for whole numbers."""
    return format_number(value, 0 if float(value).is_integer() else 2)


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def aggregate(lines: list[dict[str, Any]], detail_url: str, own: bool) -> SafeString:
    """The rows of the Tổng hợp page: value, coverage, source, the unit's own figure and
    its level notes (with `own`), and a drill-down that loads each unit's value
    (`detail_url` + the item id) when it is opened."""
    out = []
    for line in lines:
        r = line["row"]
        item = _e(r.item)
        drill = ""
        if r.concept and r.reported:
            drill = (f'<details class="drill no-print" hx-get="{_e(detail_url)}'
                     f'{_e(quote(r.item))}" hx-trigger="toggle once" '
                     'hx-target="find .drill-body" hx-swap="innerHTML"><summary>Số liệu từng '
                     'đơn vị</summary><div class="drill-body">Đang tải…</div></details>')
        coverage = f"{r.reported}/{r.expected}" if r.expected else ""
        mine = ""
        if own:
            notes = "".join(f'<div class="finding sev-warning small" '
                            f'data-testid="level-note">{_e(n)}</div>' for n in line["notes"])
            mine = f'<td class="own">{_e(line["own"])}{notes}</td>'
        out.append(f'<tr id="agg-{item}" data-item="{item}"><td class="code">{_e(r.code)}</td>'
                   f"<td>{_e(r.label)}{drill}</td><td class=\"unit\">{_e(line['unit'])}</td>"
                   f'<td class="value" data-testid="value">{_e(line["value"])}</td>'
                   f'<td class="coverage">{coverage}</td>'
                   f'<td class="small muted">{_e(line["source"])}</td>{mine}</tr>\n')
    return mark_safe("".join(out))
