"""Checks between levels: the parent's own figures against its children's aggregate and
against the tree; a sibling far from the others. Hits and near misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.aggregate import Contribution, aggregate
from cchc.catalog import Catalog, load_catalog
from cchc.checks.levels import between_levels
from cchc.orgtree import Tree, Unit
from tests.test_aggregate import CONCEPTS, HALF_2022

FORM = """
id: mau
title: "BIỂU"
province: "Hà Tĩnh"
levels: [district, commune]
items:
  - {code: "1", label: "Số nhiệm vụ đề ra", unit: "Nhiệm vụ", concept: plan.tasks.planned}
  - {code: "2", label: "Số nhiệm vụ hoàn thành", unit: "Nhiệm vụ", concept: plan.tasks.done}
  - code: "3"
    label: "Tỷ lệ hoàn thành"
    unit: "%"
    concept: plan.completion_rate
    rate: ["2", "1"]
  - {code: "4", label: "Hồ sơ cấp xã tiếp nhận", unit: "Hồ sơ", concept: dossiers.commune.received}
  - code: "5"
    label: "Số UBND cấp xã đã kiểm tra"
    unit: "Cơ quan, đơn vị"
    concept: inspection.communes_checked
    levels: [district]
"""
EXTRA = """
  inspection.communes_checked:
    label: "Số UBND cấp xã đã kiểm tra"
    kind: count
    unit: "Cơ quan, đơn vị"
    counts_units: commune
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root: Path = tmp_path_factory.mktemp("levels")
    (root / "forms").mkdir()
    (root / "concepts.yaml").write_text(CONCEPTS + EXTRA, encoding="utf-8")
    (root / "forms" / "mau.yaml").write_text(FORM, encoding="utf-8")
    return load_catalog(root)


def _tree(communes: int) -> Tree:
    return Tree([Unit("H", "Huyện Cẩm Xuyên", "district"),
                 *(Unit(f"X{n}", f"Xã {n}", "commune", "H") for n in range(communes))])


def _check(catalog: Catalog, tree: Tree, children: dict[str, dict[str, float]],
           own: dict[str, float]) -> list[tuple[str, str, str]]:
    reports = [Contribution(code, "mau", "approved", values) for code, values in
               children.items()] + [Contribution("H", "mau", "approved", own)]
    result = aggregate(catalog, tree, "H", HALF_2022, reports, form_id="mau")
    found = between_levels(result, own, catalog.form("mau"), catalog, tree, HALF_2022.end)
    return [(f.code, f.severity, f.message) for f in found]


def test_the_districts_figure_against_all_its_communes(catalog: Catalog) -> None:
    found = _check(catalog, _tree(3), {"X0": {"4": 100}, "X1": {"4": 50}, "X2": {"4": 5}},
                   {"4": 160})
    assert found == [("level-total-differs", "warning",
                      "Huyện ghi 160 (Hồ sơ cấp xã tiếp nhận); tổng các xã đã gửi là 155 "
                      "(3/3 xã).")]


def test_a_figure_above_a_partial_total_is_only_a_note(catalog: Catalog) -> None:
    found = _check(catalog, _tree(4), {"X0": {"4": 100}, "X1": {"4": 50}}, {"4": 160})
    assert [(c, s) for c, s, _ in found] == [("level-total-differs", "info")]
    below = _check(catalog, _tree(4), {"X0": {"4": 100}, "X1": {"4": 50}}, {"4": 120})
    assert [(c, s) for c, s, _ in below] == [("level-total-differs", "warning")]


def test_near_misses_raise_nothing(catalog: Catalog) -> None:
    same = {"X0": {"4": 100, "1": 10, "2": 9}, "X1": {"4": 50, "1": 10, "2": 10}}
    # equal totals; a rate equal to the recomputed one; no own figure; no child figure
    assert _check(catalog, _tree(2), same, {"4": 150, "1": 20, "2": 19, "3": 95}) == []
    assert _check(catalog, _tree(2), same, {}) == []
    assert _check(catalog, _tree(2), {"X0": {}, "X1": {}}, {"4": 150}) == []


def test_a_rate_that_differs_from_the_recomputed_one(catalog: Catalog) -> None:
    found = _check(catalog, _tree(2), {"X0": {"1": 10, "2": 9}, "X1": {"1": 90, "2": 1}},
                   {"3": 50})  # the mean of 90 % and 1,1 %, not 10/100
    assert [(c, s) for c, s, _ in found] == [("level-total-differs", "warning")]
    assert "Huyện ghi 50% (Tỷ lệ hoàn thành); tổng các xã đã gửi là 10%" in found[0][2]


def test_more_communes_inspected_than_the_district_has(catalog: Catalog) -> None:
    found = _check(catalog, _tree(9), {}, {"5": 12})
    assert found == [("exceeds-units-in-tree", "warning",
                      "Ghi 12 xã (Số UBND cấp xã đã kiểm tra) nhưng Huyện Cẩm Xuyên chỉ có "
                      "9 xã.")]
    assert _check(catalog, _tree(9), {}, {"5": 9}) == []


def test_a_sibling_far_from_the_others_is_a_note(catalog: Catalog) -> None:
    values = [120, 135, 110, 128, 140, 9000]
    found = _check(catalog, _tree(6), {f"X{n}": {"4": v} for n, v in enumerate(values)}, {})
    assert [(c, s) for c, s, _ in found] == [("sibling-outlier", "info")]
    assert found[0][2].startswith("Xã 5 ghi 9.000 (Hồ sơ cấp xã tiếp nhận), khác xa")
    spread = [10, 200, 35, 80, 150, 120]  # varied, none far out
    assert _check(catalog, _tree(6), {f"X{n}": {"4": v} for n, v in enumerate(spread)},
                  {}) == []
    few = [120, 135, 9000]  # too few siblings to say
    assert _check(catalog, _tree(3), {f"X{n}": {"4": v} for n, v in enumerate(few)}, {}) == []
