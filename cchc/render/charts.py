"""Charts for reports, drawn with matplotlib as PNG or SVG bytes.

Each chart is its own `Figure` (no pyplot, so no state is shared between calls), drawn in
DejaVu Sans, the font matplotlib ships, which has every Vietnamese letter. Numbers are
written the Vietnamese way on axes and bar labels ("1.241", "97,74%"). The rc settings
the SVG writer reads (the salt of its ids, the font) are set under a lock for the time of
one drawing, so the same chart gives the same bytes, also from several threads. SVG text is
drawn as paths, each preceded by a comment holding the text.

`on_time_by_unit`, `dossiers_by_level` and `coverage` give the file's bytes; the
`…_figure` functions give the figure itself, to be built and saved inside `drawing()`.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from cchc.numbers import format_number, format_percent

FORMATS = ("png", "svg")
DPI = 150
WIDTH = 8.0  # inches: 1200 pixels at DPI, a page's width in a report
FONT = "DejaVu Sans"
NO_DATA = "chưa có số liệu"
LEVEL_SERIES = ("Tiếp nhận", "Đã giải quyết", "Trễ hạn")
COLOURS = {"bar": "#2b6cb0", "below": "#c05621", "reference": "#1a202c",
           "received": "#2b6cb0", "resolved": "#2f855a", "late": "#c53030",
           "on_time": "#2f855a", "missing": "#a0aec0", "text": "#1a202c",
           "grid": "#e2e8f0"}
SERIES_COLOURS = (COLOURS["received"], COLOURS["resolved"], COLOURS["late"])
_LOCK = threading.RLock()  # a chart drawn inside `drawing()` takes it again
_BACKGROUND = {"facecolor": "white", "edgecolor": "none", "pad": 1}  # a label over a line


class ChartFormatError(ValueError):
    """A chart was asked for in a format other than png or svg."""


Levels = Sequence[tuple[str, float | None, float | None, float | None]]


def on_time_by_unit(rows: Sequence[tuple[str, float]], reference: float | None, title: str,
                    fmt: str, reference_label: str = "Tỷ lệ chung") -> bytes:
    """Horizontal bars of each unit's rate (%), highest at the top; a dashed line at
    `reference` (the parent's own rate, say), bars below it in another colour."""
    _check_format(fmt)
    with drawing():
        return _save(on_time_figure(rows, reference, title, reference_label), fmt)


def dossiers_by_level(levels: Levels, fmt: str) -> bytes:
    """Grouped bars by level ("Cấp tỉnh", "Cấp huyện", "Cấp xã"): dossiers received,
    resolved and late. A missing figure is not drawn: its place says "chưa có số liệu"."""
    _check_format(fmt)
    with drawing():
        return _save(levels_figure(levels), fmt)


def coverage(on_time: int, late: int, missing: int, fmt: str) -> bytes:
    """One bar of the units expected to report: reported on time, late, not yet."""
    _check_format(fmt)
    with drawing():
        return _save(coverage_figure(on_time, late, missing), fmt)


@contextmanager
def drawing() -> Iterator[None]:
    """The rc settings of our charts, for one drawing at a time: build (the font is taken
    when a text is made) and save a figure inside it."""
    with _LOCK, mpl.rc_context({"svg.hashsalt": "cchc", "svg.fonttype": "path",
                                "font.family": "sans-serif", "font.sans-serif": [FONT],
                                "axes.unicode_minus": False}):
        yield


# ------------------------------------------------------------------ the figures


def on_time_figure(rows: Sequence[tuple[str, float]], reference: float | None, title: str,
                   reference_label: str = "Tỷ lệ chung") -> Figure:
    """The figure of `on_time_by_unit` (build it inside `drawing()`)."""
    known = [(name, rate) for name, rate in rows if is_drawable(rate)]
    ordered = sorted(known, key=lambda r: (r[1], r[0]))  # drawn bottom-up: highest on top
    figure = Figure(figsize=(WIDTH, 1.6 + 0.38 * max(len(ordered), 1)), layout="constrained")
    ax = figure.add_subplot()
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if not ordered:
        _no_data(ax)
        return figure
    names = [name for name, _ in ordered]
    rates = [rate for _, rate in ordered]
    colours = [COLOURS["below"] if reference is not None and rate < reference
               else COLOURS["bar"] for rate in rates]
    bars = ax.barh(range(len(names)), rates, color=colours, height=0.65)
    ax.set_yticks(range(len(names)), names, fontsize=9)
    top = max(100.0, *rates, reference or 0.0)
    ax.set_xlim(0, top * 1.12)  # room for the labels after the longest bar
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_percent(x, 0)))
    ax.bar_label(bars, labels=[format_percent(r) for r in rates], padding=3, fontsize=8,
                 bbox=_BACKGROUND)
    if reference is not None:
        ax.axvline(reference, color=COLOURS["reference"], linestyle="--", linewidth=1)
        ax.text(reference, len(names) - 0.35,
                f"{reference_label}: {format_percent(reference)}", ha="center",
                va="bottom", fontsize=8, color=COLOURS["reference"], bbox=_BACKGROUND)
        ax.set_ylim(-0.6, len(names) + 0.2)
    _plain(ax, grid="x")
    return figure


def levels_figure(levels: Levels) -> Figure:
    """The figure of `dossiers_by_level` (build it inside `drawing()`)."""
    figure = Figure(figsize=(WIDTH, 4.6), layout="constrained")
    ax = figure.add_subplot()
    ax.set_title("Hồ sơ thủ tục hành chính theo cấp", loc="left", fontsize=12,
                 fontweight="bold")
    known = [v for _, *values in levels for v in values if is_drawable(v)]
    if not known:
        _no_data(ax)
        return figure
    top = max(max(v for v in known if v is not None), 1.0)
    width = 0.26
    for g, (_, *values) in enumerate(levels):
        for s, value in enumerate(values):
            x = g + (s - 1) * width
            if value is None or not is_drawable(value):
                ax.text(x, top * 0.02, NO_DATA, rotation=90, ha="center", va="bottom",
                        fontsize=8, color=COLOURS["missing"])
                continue
            bars = ax.bar(x, value, width * 0.92, color=SERIES_COLOURS[s])
            ax.bar_label(bars, labels=[format_number(value)], padding=2, fontsize=8)
    ax.set_xlim(-0.6, len(levels) - 0.4)
    ax.set_xticks(range(len(levels)), [name for name, *_ in levels])
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_number(y, 0)))
    handles = [Patch(color=c, label=n) for n, c in zip(LEVEL_SERIES, SERIES_COLOURS,
                                                       strict=True)]
    ax.legend(handles=handles, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=9)
    _plain(ax, grid="y")
    return figure


def coverage_figure(on_time: int, late: int, missing: int) -> Figure:
    """The figure of `coverage` (build it inside `drawing()`)."""
    if min(on_time, late, missing) < 0:
        raise ValueError("unit counts cannot be negative")
    total = on_time + late + missing
    figure = Figure(figsize=(WIDTH, 2.4), layout="constrained")
    ax = figure.add_subplot()
    ax.set_title(f"Tình hình báo cáo: {format_number(on_time + late)}/"
                 f"{format_number(total)} đơn vị đã báo cáo", loc="left", fontsize=12,
                 fontweight="bold")
    if total == 0:
        _no_data(ax)
        return figure
    parts = (("Đúng hạn", on_time, COLOURS["on_time"]), ("Trễ hạn", late, COLOURS["late"]),
             ("Chưa báo cáo", missing, COLOURS["missing"]))
    left = 0.0
    for name, count, colour in parts:
        share = 100.0 * count / total
        ax.barh(0, share, left=left, color=colour, height=0.6,
                label=f"{name}: {format_number(count)} ({format_percent(round(share, 2))})")
        if count and share >= 8:  # a narrow part is read from the legend
            ax.text(left + share / 2, 0, format_number(count), ha="center", va="center",
                    color="white", fontsize=10, fontweight="bold")
        left += share
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_percent(x, 0)))
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3,
              fontsize=9)
    _plain(ax, grid=None)
    return figure


# ------------------------------------------------------------------ helpers


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ChartFormatError(f"chart format must be one of {FORMATS}, not {fmt!r}")


def _save(figure: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    # No date and no version in the file: the same chart gives the same bytes.
    title = figure.axes[0].get_title(loc="left") if figure.axes else ""
    metadata: dict[str, str | None] = (
        {"Date": None, "Creator": "cchc", "Title": title} if fmt == "svg"
        else {"Software": None, "Title": title})
    figure.savefig(out, format=fmt, dpi=DPI, metadata=metadata)
    return out.getvalue()


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, NO_DATA[:1].upper() + NO_DATA[1:], transform=ax.transAxes,
            ha="center", va="center", fontsize=11, color=COLOURS["missing"])
    ax.set_axis_off()


def _plain(ax: Axes, grid: Literal["x", "y"] | None) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid is not None:
        ax.grid(axis=grid, color=COLOURS["grid"], linewidth=0.8)
        ax.set_axisbelow(True)


def is_drawable(value: float | None) -> bool:
    """A figure that can be drawn: known and finite."""
    return value is not None and math.isfinite(value)
