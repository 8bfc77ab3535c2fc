"""Charts: PNG and SVG bytes with Vietnamese labels and numbers, every glyph in the font,
the same bytes for the same chart, and a missing figure never drawn as a zero."""

from __future__ import annotations

import re
import struct
import warnings

import pytest
from matplotlib.container import BarContainer

from cchc.render import charts

# A glyph missing from the font is a warning in matplotlib: here it fails the test.
pytestmark = pytest.mark.filterwarnings("error")

UNITS = [("UBND xã An Mỹ", 98.33), ("UBND thị trấn Kế Sách", 97.19),
         ("UBND xã Đại Hải", 100.0), ("UBND xã Ba Trinh", 88.5), ("UBND xã Phong Nẫm", 99.12)]
LEVELS: list[tuple[str, float | None, float | None, float | None]] = [
    ("Cấp tỉnh", None, None, None), ("Cấp huyện", 3327, 2546, 12),
    ("Cấp xã", 44002, 43007, None)]
TITLE = "Tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_texts(data: bytes) -> list[str]:
    """The texts of an SVG whose text is drawn as paths: each follows as a comment."""
    return re.findall(r"<!-- (.*?) -->", data.decode("utf-8"))


def test_on_time_is_a_png_a_page_wide_and_as_tall_as_its_units() -> None:
    five = png_size(charts.on_time_by_unit(UNITS, 97.74, TITLE, "png"))
    ten = png_size(charts.on_time_by_unit(UNITS * 2, 97.74, TITLE, "png"))
    assert five[0] == ten[0] == 1200
    assert five[1] == round((1.6 + 0.38 * 5) * 150)
    assert ten[1] > five[1]


def test_on_time_svg_has_vietnamese_names_and_rates_highest_first() -> None:
    texts = svg_texts(charts.on_time_by_unit(UNITS, 97.74, TITLE, "svg",
                                             reference_label="Toàn huyện"))
    assert TITLE in texts
    assert "Toàn huyện: 97,74%" in texts
    for label in ("98,33%", "97,19%", "100%", "88,5%", "99,12%", "0%", "100%"):
        assert label in texts
    names = [t for t in texts if t.startswith("UBND")]
    # y tick labels come bottom-up: the lowest rate first, the highest last (on top)
    assert names == ["UBND xã Ba Trinh", "UBND thị trấn Kế Sách", "UBND xã An Mỹ",
                     "UBND xã Phong Nẫm", "UBND xã Đại Hải"]


def test_bars_below_the_reference_have_their_own_colour() -> None:
    with charts.drawing():
        figure = charts.on_time_figure(UNITS, 97.74, TITLE)
    [bars] = [c for c in figure.axes[0].containers if isinstance(c, BarContainer)]
    colours = {round(b.get_width(), 2): b.get_facecolor() for b in bars}
    assert colours[97.19] == colours[88.5] != colours[98.33] == colours[100.0]


def test_dossiers_by_level_groups_and_formats_the_numbers() -> None:
    texts = svg_texts(charts.dossiers_by_level(LEVELS, "svg"))
    for text in ("Cấp tỉnh", "Cấp huyện", "Cấp xã", "Tiếp nhận", "Đã giải quyết", "Trễ hạn",
                 "3.327", "2.546", "12", "44.002", "43.007"):
        assert text in texts
    assert "44,002" not in texts and "3327" not in texts


def test_a_missing_figure_is_no_bar_and_says_so() -> None:
    with charts.drawing():
        figure = charts.levels_figure(LEVELS)
    ax = figure.axes[0]
    bars = [bar for c in ax.containers if isinstance(c, BarContainer) for bar in c]
    assert sorted(bar.get_height() for bar in bars) == [12, 2546, 3327, 43007, 44002]
    assert all(bar.get_height() > 0 for bar in bars)
    said = [t for t in ax.texts if t.get_text() == "chưa có số liệu"]
    assert len(said) == 4  # three at Cấp tỉnh, the late dossiers of Cấp xã
    positions = sorted(round(t.get_position()[0], 2) for t in said)
    assert positions == [-0.26, 0.0, 0.26, 2.26]


def test_no_figure_at_all_says_there_is_no_data() -> None:
    texts = svg_texts(charts.dossiers_by_level([("Cấp xã", None, None, None)], "svg"))
    assert "Chưa có số liệu" in texts
    assert "Chưa có số liệu" in svg_texts(charts.on_time_by_unit([], None, TITLE, "svg"))


def test_coverage_shows_counts_and_shares_the_vietnamese_way() -> None:
    data = charts.coverage(5, 3, 1, "svg")
    texts = svg_texts(data)
    assert "Tình hình báo cáo: 8/9 đơn vị đã báo cáo" in texts
    assert {"Đúng hạn: 5 (55,56%)", "Trễ hạn: 3 (33,33%)",
            "Chưa báo cáo: 1 (11,11%)"} <= set(texts)
    assert png_size(charts.coverage(5, 3, 1, "png")) == (1200, 360)
    assert "Chưa có số liệu" in svg_texts(charts.coverage(0, 0, 0, "svg"))


def test_the_same_chart_gives_the_same_bytes_without_a_date() -> None:
    for fmt in charts.FORMATS:
        first = charts.on_time_by_unit(UNITS, 97.74, TITLE, fmt)
        charts.coverage(1, 2, 3, fmt)  # another chart in between changes nothing
        assert charts.on_time_by_unit(UNITS, 97.74, TITLE, fmt) == first
    svg = charts.coverage(5, 3, 1, "svg").decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert "<dc:title>Tình hình báo cáo: 8/9 đơn vị đã báo cáo</dc:title>" in svg


def test_the_glyph_guard_sees_a_letter_the_font_lacks() -> None:
    # The guard of this module: a missing glyph would fail every test above.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.coverage(1, 0, 0, "png")
        charts.on_time_by_unit([("Xã 漢", 90.0)], None, TITLE, "png")
    assert any("Glyph" in str(w.message) and "missing" in str(w.message) for w in caught)


def test_only_png_and_svg_are_drawn() -> None:
    with pytest.raises(charts.ChartFormatError):
        charts.coverage(1, 0, 0, "pdf")
