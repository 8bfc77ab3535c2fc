"""The aggregation rules, one test each, on a small catalog written for the purpose (two
form variants for communes, one for districts) and a tree with a 2025 merger."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cchc import aggregate as core
from cchc.aggregate import Aggregate, Contribution, Period, concept_level, pick, value_sums
from cchc.catalog import Catalog, load_catalog
from cchc.orgtree import Link, Tree, Unit


def aggregate(catalog: Catalog, tree: Tree, code: str, period: Period,
              contributions: list[Contribution], **kw: object) -> Aggregate:
    """The aggregate with its drill-down, checked against the same aggregate added up
    group by group (what a database does): every rule below holds for both ways."""
    detailed = core.aggregate(catalog, tree, code, period, contributions, **kw)  # type: ignore[arg-type]
    reports = {c.ref or f"{c.unit}:{c.status}:{n}": c for n, c in enumerate(contributions)}
    refs = [Contribution(c.unit, c.form_id, c.status, {}, ref, c.derived)
            for ref, c in reports.items()]
    summed = core.aggregate(catalog, tree, code, period, refs,  # type: ignore[arg-type]
                            adder=value_sums(catalog, reports), **kw)
    assert detailed.detailed and not summed.detailed
    assert _totals(summed) == _totals(detailed)
    assert [r.to_json() for r in summed.rows] == [r.to_json() for r in detailed.rows]
    return detailed


def _totals(result: Aggregate) -> dict[str, dict[str, object]]:
    return {k: {**t.to_json(), "units": None} for k, t in result.concepts.items()}

CONCEPTS = """
concepts:
  plan.tasks.planned: {label: "Số nhiệm vụ đề ra", kind: count, unit: "Nhiệm vụ"}
  plan.tasks.done: {label: "Số nhiệm vụ hoàn thành", kind: count, unit: "Nhiệm vụ"}
  plan.completion_rate:
    label: "Tỷ lệ hoàn thành kế hoạch"
    kind: rate
    unit: "%"
    numerator: plan.tasks.done
    denominator: plan.tasks.planned
  dossiers.commune.received: {label: "Hồ sơ cấp xã tiếp nhận", kind: count, unit: "Hồ sơ"}
  dossiers.district.received: {label: "Hồ sơ cấp huyện tiếp nhận", kind: count, unit: "Hồ sơ"}
  survey.conducted: {label: "Có khảo sát", kind: coded, unit: "Có = 1; Không = 0"}
  survey.satisfaction_rate: {label: "Tỷ lệ hài lòng", kind: rate, unit: "%"}
  direction.other_results: {label: "Kết quả khác", kind: text}
  inspection.communes_checked: {label: "Số xã được kiểm tra", kind: count, unit: "Xã"}
"""
COMMUNE_A = """
id: xa-a
title: "BIỂU XÃ A"
province: "Hà Tĩnh"
levels: [commune]
items:
  - {code: "1", label: "Số nhiệm vụ đề ra", unit: "Nhiệm vụ", concept: plan.tasks.planned}
  - {code: "2", label: "Số nhiệm vụ hoàn thành", unit: "Nhiệm vụ", concept: plan.tasks.done}
  - code: "3"
    label: "Tỷ lệ hoàn thành"
    unit: "%"
    concept: plan.completion_rate
    rate: ["2", "1"]
  - {code: "4", label: "Hồ sơ cấp xã tiếp nhận", unit: "Hồ sơ", concept: dossiers.commune.received}
  - {code: "5", label: "Có khảo sát", unit: "Có = 1; Không = 0", concept: survey.conducted}
  - {code: "6", label: "Tỷ lệ hài lòng", unit: "%", concept: survey.satisfaction_rate}
  - {code: "7", label: "Kết quả khác", unit: "", type: text, concept: direction.other_results}
  - code: "8"
    label: "Hồ sơ cấp huyện tiếp nhận"
    unit: "Hồ sơ"
    concept: dossiers.district.received
    levels: [district]
  - code: "9"
    label: "Số xã được kiểm tra (chỉ UBND cấp huyện báo cáo)"
    unit: "Xã"
    concept: inspection.communes_checked
    levels: [district]
"""
# Another variant: other codes, and the rate without its parts.
COMMUNE_B = """
id: xa-b
title: "BIỂU XÃ B"
province: "Hà Tĩnh"
levels: [commune]
items:
  - {code: "I.1", label: "Tỷ lệ hoàn thành kế hoạch", unit: "%", concept: plan.completion_rate}
  - {code: "I.2", label: "Hồ sơ cấp xã", unit: "Hồ sơ", concept: dossiers.commune.received}
  - {code: "I.3", label: "Có khảo sát", unit: "Có = 1; Không = 0", concept: survey.conducted}
"""
DISTRICT = """
id: huyen
title: "BIỂU HUYỆN"
province: "Hà Tĩnh"
levels: [district]
items:
  - {code: "1", label: "Số nhiệm vụ đề ra", unit: "Nhiệm vụ", concept: plan.tasks.planned}
  - {code: "2", label: "Số nhiệm vụ hoàn thành", unit: "Nhiệm vụ", concept: plan.tasks.done}
  - code: "3"
    label: "Tỷ lệ hoàn thành"
    unit: "%"
    concept: plan.completion_rate
    rate: ["2", "1"]
  - {code: "4", label: "Hồ sơ cấp huyện", unit: "Hồ sơ", concept: dossiers.district.received}
  - {code: "5", label: "Hồ sơ cấp xã tiếp nhận", unit: "Hồ sơ", concept: dossiers.commune.received}
  - {code: "6", label: "Có khảo sát", unit: "Có = 1; Không = 0", concept: survey.conducted}
"""
HALF_2022 = Period("half_year", 2022, None, "6 tháng đầu năm 2022", dt.date(2022, 1, 1),
                   dt.date(2022, 6, 30))
YEAR_2026 = Period("year", 2026, None, "Năm 2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
END = dt.date(2025, 6, 30)
NEW = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root: Path = tmp_path_factory.mktemp("catalog")
    (root / "forms").mkdir()
    (root / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    for name, text in (("xa-a", COMMUNE_A), ("xa-b", COMMUNE_B), ("huyen", DISTRICT)):
        (root / "forms" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_catalog(root)


def tree() -> Tree:
    units = [
        Unit("T", "Tỉnh Hà Tĩnh", "province"),
        Unit("H1", "Huyện Cẩm Xuyên", "district", "T", valid_to=END),
        Unit("X1", "Xã Cẩm Hưng", "commune", "H1", valid_to=END),
        Unit("X2", "Xã Cẩm Thịnh", "commune", "H1", valid_to=END),
        Unit("X3", "Xã Cẩm Hà", "commune", "H1", valid_to=END),
        Unit("H2", "Thị xã Kỳ Anh", "district", "T", valid_to=END),
        Unit("X4", "Xã Kỳ Xuân", "commune", "H2", valid_to=END),
        Unit("S1", "Sở Nội vụ", "department", "T"),
        Unit("N1", "Xã Cẩm Hưng (mới)", "commune", "T", valid_from=NEW),
        Unit("N2", "Phường Kỳ Anh", "commune", "T", valid_from=NEW),
        Unit("N3", "Xã Kỳ Xuân Bắc", "commune", "T", valid_from=NEW),
    ]
    links = [Link("X1", "N1", "merged", NEW), Link("X2", "N1", "merged", NEW),
             Link("X3", "N1", "merged", NEW),
             Link("X4", "N2", "split", NEW), Link("X4", "N3", "split", NEW)]
    return Tree(units, links)


def c(unit: str, form: str, status: str = "approved", derived: frozenset[str] = frozenset(),
      **values: float | str) -> Contribution:
    return Contribution(unit, form, status, {k.replace("_", "."): v for k, v in values.items()},
                        ref=f"{unit}-{status}", derived=derived)


def X(**values: float | str) -> dict[str, float | str]:
    return values


def test_the_level_of_a_concept_comes_from_its_key() -> None:
    assert concept_level("dossiers.commune.received") == "commune"
    assert concept_level("dossiers.district.on_time_rate") == "district"
    assert concept_level("plan.tasks.planned") is None


def test_counts_sum_and_coverage_is_given(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"4": 100}), c("X2", "xa-a", **{"4": 50})])
    total = got.concepts["dossiers.commune.received"]
    assert total.value == 150 and total.reported == 2 and total.expected == 3
    assert {u.code for u in got.missing} == {"X3"}
    assert [u.code for u in total.units] == ["X1", "X2"]


def test_missing_is_not_zero(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [c("X1", "xa-a", **{"1": 4})])
    assert got.concepts["dossiers.commune.received"].value is None
    assert got.concepts["dossiers.commune.received"].reported == 0


def test_rates_are_recomputed_from_summed_parts_never_averaged(catalog: Catalog) -> None:
    # 9/10 = 90 % and 1/90 ≈ 1 %: the average would be 45,6 %; the rate is 10/100 = 10 %
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"1": 10, "2": 9, "3": 90}),
        c("X2", "xa-a", **{"1": 90, "2": 1, "3": 1.11})])
    rate = got.concepts["plan.completion_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (10, 100, 10.0)
    assert rate.reported == 2


def test_a_rate_whose_parts_are_not_on_a_childs_form_is_listed_not_averaged(
        catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"1": 10, "2": 5}), c("X2", "xa-b", **{"I.1": 80})])
    rate = got.concepts["plan.completion_rate"]
    assert rate.value == 50.0 and rate.reported == 1
    assert ("X2", "no-parts") in rate.left_out
    assert any(u.code == "X2" and u.value == 80 for u in rate.units)


def test_a_rate_with_no_parts_in_the_catalog_is_not_aggregated(catalog: Catalog) -> None:
    assert catalog.concepts["survey.satisfaction_rate"].rollup == "none"
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"6": 90}), c("X2", "xa-a", **{"6": 70})])
    total = got.concepts["survey.satisfaction_rate"]
    assert total.value is None and [u.value for u in total.units] == [90, 70]


def test_coded_answers_become_counts_of_units(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"5": 1}), c("X2", "xa-b", **{"I.3": 1}), c("X3", "xa-a", **{"5": 0})])
    assert got.concepts["survey.conducted"].counts == {1: 2, 0: 1}


def test_text_is_listed_per_unit(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"7": "Làm tốt"}), c("X2", "xa-a", **{"7": "Chưa"})])
    total = got.concepts["direction.other_results"]
    assert total.value is None and [u.value for u in total.units] == ["Làm tốt", "Chưa"]


def test_form_variants_meet_through_concepts(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"4": 100}), c("X2", "xa-b", **{"I.2": 7})])
    assert got.concepts["dossiers.commune.received"].value == 107


def test_a_value_on_a_row_for_another_level_is_left_out(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"9": 999}), c("X2", "xa-a", **{"9": 0})])
    total = got.concepts["inspection.communes_checked"]
    assert total.value is None
    assert total.left_out == [("X1", "wrong-level"), ("X2", "wrong-level")]
    # a concept about the district's level is never taken from a commune's row
    district = aggregate(catalog, tree(), "T", HALF_2022, [
        c("X1", "xa-a", **{"8": 999}), c("H1", "huyen", **{"4": 40})])
    assert district.concepts["dossiers.district.received"].value == 40


def test_the_province_uses_the_communes_not_the_districts_copy_where_they_report(
        catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "T", HALF_2022, [
        c("X1", "xa-a", **{"4": 100}), c("X2", "xa-a", **{"4": 50}),
        c("H1", "huyen", **{"5": 160}),  # Cẩm Xuyên's copy of its communes' total
        c("H2", "huyen", **{"5": 30})])  # Kỳ Anh's communes do not report: its copy counts
    total = got.concepts["dossiers.commune.received"]
    assert total.value == 100 + 50 + 30
    assert {(u.code, u.source) for u in total.units} == {
        ("X1", "child"), ("X2", "child"), ("H2", "copy")}
    assert total.source == "children+copy"


def test_a_parents_own_rows_come_from_its_own_report(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("H1", "huyen", status="draft", **{"4": 321}), c("X1", "xa-a", **{"4": 5})],
        rule="all")
    assert got.concepts["dossiers.district.received"].value == 321
    assert got.concepts["dossiers.district.received"].source == "own"
    row = next(r for r in got.rows if r.concept == "dossiers.commune.received")
    assert (row.value, row.source) == (5, "children")


def test_one_unit_counts_once_the_most_advanced_report(catalog: Catalog) -> None:
    reports = [c("X1", "xa-a", status="draft", **{"4": 1}),
               c("X1", "xa-b", status="approved", **{"I.2": 2}),
               c("X1", "xa-a", status="submitted", **{"4": 3})]
    assert pick(reports, "all")["X1"].status == "approved"
    got = aggregate(catalog, tree(), "H1", HALF_2022, reports, rule="all")
    assert got.concepts["dossiers.commune.received"].value == 2


def test_the_status_rule_says_which_reports_count(catalog: Catalog) -> None:
    reports = [c("X1", "xa-a", status="approved", **{"4": 1}),
               c("X2", "xa-a", status="submitted", **{"4": 10}),
               c("X3", "xa-a", status="draft", **{"4": 100})]
    values = {rule: aggregate(catalog, tree(), "H1", HALF_2022, reports, rule=rule)
              .concepts["dossiers.commune.received"].value
              for rule in ("approved", "submitted", "all")}
    assert values == {"approved": 1, "submitted": 11, "all": 111}
    with pytest.raises(ValueError):
        pick(reports, "drafts")


def test_any_depth_a_province_over_departments_districts_and_communes(
        catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "T", HALF_2022, [
        c("X1", "xa-a", **{"1": 3}), c("X4", "xa-a", **{"1": 4}), c("H1", "huyen", **{"1": 5})])
    assert got.concepts["plan.tasks.planned"].value == 12  # each unit's own tasks
    assert {u.code for u in got.expected} >= {"H1", "H2", "X1", "X4", "S1"}
    assert "N1" not in {u.code for u in got.expected}  # did not exist in 2022


def test_a_merged_commune_shows_its_predecessors_figures(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "N1", HALF_2022, [
        c("X1", "xa-a", **{"4": 100}), c("X2", "xa-b", **{"I.2": 20}),
        c("X4", "xa-a", **{"4": 7})])
    total = got.concepts["dossiers.commune.received"]
    assert total.value == 120 and total.source == "lineage"
    assert set(got.lineage) == {"X1", "X2", "X3"}
    assert {u.code for u in got.missing} == {"X3"}


def test_a_split_commune_is_never_divided_by_guesswork(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "N2", HALF_2022, [c("X4", "xa-a", **{"4": 70})])
    assert got.unattributable == ["X4"]
    assert got.concepts["dossiers.commune.received"].value is None


def test_the_tree_is_the_one_valid_in_the_period(catalog: Catalog) -> None:
    after = aggregate(catalog, tree(), "T", YEAR_2026, [
        c("N1", "xa-a", **{"4": 9}), c("X1", "xa-a", **{"4": 1000})])
    assert after.concepts["dossiers.commune.received"].value == 9
    assert "H1" not in {u.code for u in after.expected}


def test_a_figure_filled_from_the_childrens_aggregate_is_not_counted_again(
        catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "T", HALF_2022, [
        c("X1", "xa-a", **{"1": 3}), c("X2", "xa-a", **{"1": 4}),
        c("H1", "huyen", derived=frozenset({"1"}), **{"1": 7})])
    total = got.concepts["plan.tasks.planned"]
    assert total.value == 7 and ("H1", "from-aggregate") in total.left_out


def test_the_json_contract_has_the_documented_keys(catalog: Catalog) -> None:
    got = aggregate(catalog, tree(), "H1", HALF_2022, [
        c("X1", "xa-a", **{"4": 100, "1": 10, "2": 9})], form_id="huyen")
    data = json.loads(json.dumps(got.to_json()))
    assert set(data) >= {"unit", "period", "status_rule", "coverage", "concepts", "rows"}
    assert data["unit"] == {"code": "H1", "name": "Huyện Cẩm Xuyên"}
    assert data["period"] == {"kind": "half_year", "year": 2022, "number": None,
                              "label": "6 tháng đầu năm 2022"}
    assert data["coverage"]["expected"] == 3 and data["coverage"]["reported"] == 1
    concept = next(x for x in data["concepts"] if x["concept"] == "plan.completion_rate")
    assert {"concept", "rollup", "value", "reported", "numerator", "denominator", "counts",
            "units"} <= set(concept)
    row = next(r for r in data["rows"] if r["code"] == "5")
    assert {"item", "code", "label", "concept", "value", "reported", "expected",
            "source"} <= set(row)
    assert row["value"] == 100
