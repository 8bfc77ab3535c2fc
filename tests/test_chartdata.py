"""The data of an aggregate's charts (cchc.render.chartdata): each unit's on-time rate
recomputed from its parts, the reference line from the summed parts, dossiers by level with
a missing figure left None, reporting coverage from the timeliness states; the same numbers
from a detailed aggregate and from the children's aggregates; and the charts a document
carries."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Cm

from cchc import aggregate as core
from cchc.aggregate import Aggregate, Contribution, Period, value_sums
from cchc.api import check, read
from cchc.catalog import Catalog, load_catalog
from cchc.orgtree import Tree, Unit
from cchc.render import chartdata, charts
from cchc.render.charts import ChartFormatError
from cchc.render.document import Chart, ReportDocument
from cchc.render.docx import CHART_HEIGHT_CM, png_size, write_docx
from cchc.render.from_report import document_from_report
from cchc.render.xlsx import CHARTS_SHEET, write_xlsx

HALF_2022 = Period("half_year", 2022, None, "6 tháng đầu năm 2022", dt.date(2022, 1, 1),
                   dt.date(2022, 6, 30))
HA_TINH = "ha-tinh-phu-luc-1b-2022"
SOC_TRANG = "soc-trang-bang-2-2022"
SEED = Path(__file__).parent / "data" / "seeds" / "000_1d532f9d1e3624b0.txt"
# Hà Tĩnh Phụ lục 1B: dossiers resolved / resolved on time, per level, and the rates.
COMMUNE_RESOLVED, COMMUNE_ON_TIME, COMMUNE_RATE = "3.3.3.1", "3.3.3.2", "3.3.3"
DISTRICT_RESOLVED, DISTRICT_ON_TIME = "3.3.2.1", "3.3.2.2"
DEPARTMENT_RESOLVED, DEPARTMENT_ON_TIME = "3.3.1.1", "3.3.1.2"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def tree() -> Tree:
    return Tree([
        Unit("T", "Tỉnh Hà Tĩnh", "province"),
        Unit("H1", "Huyện Cẩm Xuyên", "district", "T"),
        Unit("X1", "Xã Cẩm Hưng", "commune", "H1"),
        Unit("X2", "Xã Cẩm Thịnh", "commune", "H1"),
        Unit("X3", "Xã Cẩm Hà", "commune", "H1"),
        Unit("X4", "Thị trấn Cẩm Xuyên", "commune", "H1"),
        Unit("X5", "Xã Cẩm Duệ", "commune", "H1"),
        Unit("H2", "Thị xã Kỳ Anh", "district", "T"),
        Unit("X6", "Xã Kỳ Xuân", "commune", "H2"),
        Unit("S1", "Sở Nội vụ", "department", "T"),
    ])


def report(unit: str, form: str = HA_TINH, **values: float) -> Contribution:
    return Contribution(unit, form, "approved", {k.replace("_", "."): v
                                                  for k, v in values.items()}, ref=unit)


REPORTS = [
    # X1 sends nothing
    report("X2", **{COMMUNE_RESOLVED: 200, COMMUNE_ON_TIME: 190}),
    report("X3", **{COMMUNE_RESOLVED: 100, COMMUNE_ON_TIME: 100}),
    report("X4", **{COMMUNE_RATE: 98.5}),  # a rate typed without its parts
    report("X5", **{COMMUNE_RESOLVED: 0, COMMUNE_ON_TIME: 0}),  # nothing resolved
    report("H1", **{DISTRICT_RESOLVED: 500, DISTRICT_ON_TIME: 480}),
    report("S1", **{DEPARTMENT_RESOLVED: 50, DEPARTMENT_ON_TIME: 50}),
]
STATES = {"X1": "overdue", "X2": "on_time", "X3": "late", "X4": "on_time", "X5": "not_yet"}


def detailed(catalog: Catalog, code: str, reports: list[Contribution] = REPORTS,
             the_tree: Tree | None = None) -> Aggregate:
    """The aggregate laid out in the unit's form, with each unit's figures."""
    form = SOC_TRANG if reports and reports[0].form_id == SOC_TRANG else HA_TINH
    return core.aggregate(catalog, the_tree or tree(), code, HALF_2022, reports,
                          form_id=form)


def summed(catalog: Catalog, code: str, reports: list[Contribution] = REPORTS,
           the_tree: Tree | None = None) -> Aggregate:
    """The same aggregate added up as a database does: no per-unit figures."""
    held = {c.ref: c for c in reports}
    refs = [Contribution(c.unit, c.form_id, c.status, {}, c.ref) for c in reports]
    form = SOC_TRANG if reports and reports[0].form_id == SOC_TRANG else HA_TINH
    return core.aggregate(catalog, the_tree or tree(), code, HALF_2022, refs,
                          adder=value_sums(catalog, held), form_id=form)


def test_each_commune_s_rate_is_recomputed_from_its_parts(catalog: Catalog) -> None:
    chart = chartdata.on_time_by_unit(detailed(catalog, "H1"))
    rates = {u.name: u.rate for u in chart.units}
    assert rates == {"Xã Cẩm Hưng": None, "Xã Cẩm Thịnh": 95.0, "Xã Cẩm Hà": 100.0,
                     "Thị trấn Cẩm Xuyên": None, "Xã Cẩm Duệ": None}
    assert chart.rows == [("Xã Cẩm Thịnh", 95.0), ("Xã Cẩm Hà", 100.0)]
    assert chart.levels == ("commune",)
    assert chart.reference_label == "Toàn huyện"


def test_the_reference_is_the_parent_s_rate_from_the_summed_parts(catalog: Catalog) -> None:
    result = detailed(catalog, "H1")
    chart = chartdata.on_time_by_unit(result)
    # (190 + 100) / (200 + 100), not the mean of 95 and 100
    assert chart.reference == 96.67
    assert chart.reference == result.concepts["dossiers.commune.on_time_rate"].value


def test_near_miss_missing_figures_are_none_never_zero(catalog: Catalog) -> None:
    """No report, a typed rate without its parts, nothing resolved: no rate (listed, not
    drawn); a level's figure nobody reported is None; a real zero stays 0."""
    chart = chartdata.on_time_by_unit(detailed(catalog, "H1"))
    assert [u.code for u in chart.without] == ["X1", "X4", "X5"]
    x5 = next(u for u in chart.units if u.code == "X5")
    assert (x5.on_time, x5.resolved, x5.rate) == (0.0, 0.0, None)
    levels = {x.level: x for x in chartdata.dossiers_by_level(detailed(catalog, "H1"))}
    assert list(levels) == ["district", "commune"]  # a district counts no departments
    commune = levels["commune"]
    assert commune.received is None  # the form has no "received" row: not 0
    assert commune.resolved == 300
    assert (commune.late, commune.late_derived) == (10, True)  # 300 resolved, 290 on time
    assert levels["district"].row == ("Cấp huyện", None, 500, 20)
    # nobody reported anything: every figure None, no rate, no reference
    empty = detailed(catalog, "H1", [])
    assert all(v is None for x in chartdata.dossiers_by_level(empty) for v in x.row[1:])
    chart = chartdata.on_time_by_unit(empty)
    assert chart.rows == [] and chart.reference is None and len(chart.without) == 5


def test_all_on_time_is_a_zero_late_not_a_missing_one(catalog: Catalog) -> None:
    reports = [report("X3", **{COMMUNE_RESOLVED: 100, COMMUNE_ON_TIME: 100})]
    [commune] = [x for x in chartdata.dossiers_by_level(detailed(catalog, "H1", reports))
                 if x.level == "commune"]
    assert commune.late == 0 and commune.late_derived


def test_a_province_shows_its_departments_and_districts_with_their_own_level(
        catalog: Catalog) -> None:
    chart = chartdata.on_time_by_unit(detailed(catalog, "T"))
    assert {u.code: (u.level, u.rate) for u in chart.units} == {
        "H1": ("district", 96.0), "H2": ("district", None), "S1": ("department", 100.0)}
    assert chart.reference == round(100 * (480 + 50) / (500 + 50), 2)
    assert chart.reference_label == "Toàn tỉnh"
    levels = [x.label for x in chartdata.dossiers_by_level(detailed(catalog, "T"))]
    assert levels == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]


def test_the_children_s_aggregates_give_the_same_rates(catalog: Catalog) -> None:
    """A non-detailed aggregate with each child's own aggregate passed in gives what the
    detailed one gives; without either, the rates cannot be known."""
    for code in ("H1", "T"):
        parent = summed(catalog, code)
        units = chartdata.shown_units(parent)
        children = {u.code: summed(catalog, u.code) for u in units}
        by_children = chartdata.on_time_by_unit(parent, children=children)
        by_detail = chartdata.on_time_by_unit(detailed(catalog, code))
        assert by_children == by_detail, code
        with pytest.raises(ValueError):
            chartdata.on_time_by_unit(parent)


def test_levels_and_coverage_need_no_detail(catalog: Catalog) -> None:
    assert chartdata.dossiers_by_level(summed(catalog, "H1")) == chartdata.dossiers_by_level(
        detailed(catalog, "H1"))
    cover = chartdata.reporting_coverage(summed(catalog, "H1"), STATES)
    assert cover.counts == (2, 1, 2)
    assert [u.code for u in cover.missing] == ["X1", "X5"]
    assert cover.overdue == {"X1"}
    # a unit without a state has not sent anything
    assert chartdata.reporting_coverage(summed(catalog, "H1"), {}).counts == (0, 0, 5)


def test_a_form_without_the_rate_row_uses_the_units_parts(catalog: Catalog) -> None:
    """Sóc Trăng's form has the counts only: each district's rate comes from its own two
    figures; a district with one of them has none."""
    the_tree = Tree([Unit("P", "Tỉnh Sóc Trăng", "province"),
                     Unit("D1", "Huyện Kế Sách", "district", "P"),
                     Unit("D2", "Huyện Mỹ Tú", "district", "P")])
    reports = [report("D1", SOC_TRANG, **{"III.6.a": 120, "III.6.b": 100, "III.6.c": 95}),
               report("D2", SOC_TRANG, **{"III.6.b": 50})]
    result = detailed(catalog, "P", reports, the_tree)
    assert "dossiers.district.on_time_rate" not in result.concepts
    chart = chartdata.on_time_by_unit(result)
    assert [(u.code, u.rate) for u in chart.units] == [("D1", 95.0), ("D2", None)]
    assert chart.reference == 95.0
    [district] = [x for x in chartdata.dossiers_by_level(result) if x.level == "district"]
    # late stays unknown: without the rate, the two sums need not come from the same units
    assert district.row == ("Cấp huyện", 120, 150, None)
    children = {u: summed(catalog, u, reports, the_tree) for u in ("D1", "D2")}
    assert chartdata.on_time_by_unit(summed(catalog, "P", reports, the_tree),
                                     children=children) == chart


def texts(svg: bytes) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"))


def test_each_chart_draws_by_its_name(catalog: Catalog) -> None:
    data = chartdata.charts_data(summed(catalog, "H1"), STATES,
                                 rates=detailed(catalog, "H1"))
    for name in chartdata.NAMES:
        assert chartdata.draw(data, name, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    on_time = texts(chartdata.draw(data, "ty-le-dung-han", "svg"))
    assert {"Xã Cẩm Thịnh", "Xã Cẩm Hà", "95%", "100%", "Toàn huyện: 96,67%"} <= set(on_time)
    assert "Xã Cẩm Hưng" not in on_time  # no rate: not drawn as 0
    levels = texts(chartdata.draw(data, "ho-so-theo-cap", "svg"))
    assert {"Cấp huyện", "Cấp xã", "300", "500", "chưa có số liệu"} <= set(levels)
    assert "Tình hình báo cáo: 3/5 đơn vị đã báo cáo" in texts(
        chartdata.draw(data, "tinh-hinh-bao-cao", "svg"))
    with pytest.raises(KeyError):
        chartdata.draw(data, "khac", "png")
    with pytest.raises(ChartFormatError):
        chartdata.draw(data, "ty-le-dung-han", "gif")


def test_a_document_carries_the_charts_that_have_something_to_draw(
        catalog: Catalog) -> None:
    data = chartdata.charts_data(detailed(catalog, "H1"), STATES)
    made = chartdata.document_charts(data)
    assert [c.title for c in made] == [chartdata.ON_TIME_TITLE, chartdata.LEVELS_TITLE,
                                       chartdata.COVERAGE_TITLE]
    assert all(c.png[:8] == b"\x89PNG\r\n\x1a\n" for c in made)
    on_time, levels, coverage = (c.caption for c in made)
    assert "(96,67%)" in on_time
    assert "Không có số liệu để tính tỷ lệ: xã Cẩm Hưng, thị trấn Cẩm Xuyên, xã Cẩm Duệ." \
        in on_time
    assert "trừ số hồ sơ giải quyết đúng hạn" in levels
    assert coverage.startswith("3/5 xã, thị trấn đã gửi báo cáo")
    assert "Chưa gửi: xã Cẩm Hưng (quá hạn), xã Cẩm Duệ." in coverage
    # nothing reported: only the coverage chart (who has not sent) is worth a page
    empty = chartdata.charts_data(detailed(catalog, "H1", []), {})
    assert [c.title for c in chartdata.document_charts(empty)] == [chartdata.COVERAGE_TITLE]



def seed_document(catalog: Catalog, charts: tuple[Chart, ...]) -> ReportDocument:
    """A seed report (Xã Cẩm Hưng, Hà Tĩnh Phụ lục 1B) as its document, with `charts`."""
    return replace(document_from_report(check(SEED, catalog), catalog), charts=charts)


def test_charts_sit_at_the_start_of_the_appendix_and_the_report_still_reads_back(
        catalog: Catalog, tmp_path: Path) -> None:
    """The .docx: each chart after the appendix's title block and before its table, 15 cm
    wide, with its own drawing id; the .xlsx: a sheet "Biểu đồ" with the pictures; both
    read back to the same form and values."""
    data = chartdata.charts_data(detailed(catalog, "H1"), STATES)
    doc = seed_document(catalog, chartdata.document_charts(data))
    written = write_docx(doc)
    with zipfile.ZipFile(io.BytesIO(written)) as z:
        assert len([n for n in z.namelist() if re.match(r"word/media/.*\.png$", n)]) == 3
        xml = z.read("word/document.xml").decode("utf-8")
    ids = re.findall(r'<wp:docPr id="(\d+)"', xml)
    assert len(ids) == len(set(ids)) == 3
    body = [p.text for p in docx.Document(io.BytesIO(written)).paragraphs]
    titles = [n for n, text in enumerate(body) if text.startswith("Biểu đồ ")]
    assert [body[n] for n in titles] == [f"Biểu đồ {n}. {c.title}"
                                         for n, c in enumerate(doc.charts, start=1)]
    assert body.index("PHỤ LỤC") < titles[0]
    appendix = xml.index("PHỤ LỤC")
    assert appendix < xml.index("<w:drawing>") < xml.index("<w:tbl>", appendix)
    widths = [int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', xml)]
    assert widths == [Cm(15)] * 3
    before = check(SEED, catalog)
    for suffix, data_ in ((".docx", written), (".xlsx", write_xlsx(doc))):
        path = tmp_path / f"back{suffix}"
        path.write_bytes(data_)
        after = read(path)
        assert after.form_id == before.form_id, suffix
        assert {r.item: r.value.value for r in after.rows if r.item} == {
            r.item: r.value.value for r in before.rows if r.item}, suffix
    book = openpyxl.load_workbook(tmp_path / "back.xlsx")
    assert book.sheetnames[-1] == CHARTS_SHEET
    assert len(book[CHARTS_SHEET]._images) == 3


def test_a_tall_chart_is_narrowed_to_fit_a_landscape_page(catalog: Catalog) -> None:
    many = [(f"Xã số {n}", 90.0 + n / 10) for n in range(40)]
    png = charts.on_time_by_unit(many, 95.0, chartdata.ON_TIME_TITLE, "png")
    width, height = png_size(png)
    assert 15 * height / width > CHART_HEIGHT_CM  # at 15 cm wide it would not fit
    written = write_docx(seed_document(catalog, (Chart("Biểu đồ dài", png),)))
    with zipfile.ZipFile(io.BytesIO(written)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    [(cx, cy)] = re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml)
    assert int(cy) == Cm(CHART_HEIGHT_CM) and int(cx) < Cm(15)
