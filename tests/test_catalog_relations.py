"""The relations a form declares beyond rate, sum_of, part_of, exclusive and plan: `shares`,
`subset_of`, `same_as`, `accounted_by`, `total_of`. The loader reads and validates them (a
clear problem, never a crash); the shipped forms declare the ones their printed labels
imply, without declaring one defect twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.catalog import Catalog, Problem, check_catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent

CONCEPTS = "concepts:\n  x.count:\n    label: \"Số hồ sơ\"\n    kind: count\n"

FORM = """\
id: relations
title: "Biểu thử các quan hệ"
levels: [district]
items:
  - {code: "1", label: "Tổng số văn bản đi", unit: "Văn bản", shares: ["1.1", "1.2"]}
  - {code: "1.1", label: "Tỷ lệ văn bản gửi hoàn toàn điện tử", unit: "%"}
  - {code: "1.2", label: "Tỷ lệ văn bản gửi điện tử và song song văn bản giấy", unit: "%"}
  - {code: "2", label: "Số TTHC mức độ 3", unit: "Thủ tục"}
  - {code: "3", label: "Số TTHC mức độ 4", unit: "Thủ tục"}
  - {code: "4", label: "Số TTHC đã tích hợp", unit: "Thủ tục", subset_of: ["2", "3"]}
  - code: "5"
    label: "Tổng số nhiệm vụ được giao"
    unit: "Nhiệm vụ"
    accounted_by: ["5.1", "5.2"]
  - {code: "5.1", label: "Số nhiệm vụ đã hoàn thành", unit: "Nhiệm vụ"}
  - {code: "5.2", label: "Số nhiệm vụ chưa hoàn thành", unit: "Nhiệm vụ"}
  - {code: "6", label: "Số ĐVSNCL thuộc UBND cấp huyện", unit: "Đơn vị"}
  - {code: "7", label: "Tổng số ĐVSN công lập", unit: "Đơn vị", same_as: "6"}
  - {code: "8", label: "Tổ chức đối thoại", unit: "Có = 1; Không = 0"}
  - {code: "9", label: "Số liệu về lãnh đạo", type: section, total_of: ["9.1", "9.2"]}
  - {code: "9.1", label: "Số lượng lãnh đạo UBND cấp huyện", unit: "Người"}
  - {code: "9.2", label: "Số lượng lãnh đạo cấp phòng", unit: "Người"}
"""


def _load(tmp_path: Path, form: str) -> tuple[Catalog, list[Problem]]:
    (tmp_path / "forms").mkdir(exist_ok=True)
    (tmp_path / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    (tmp_path / "forms" / "relations.yaml").write_text(form, encoding="utf-8")
    return check_catalog(tmp_path)


def _problems(tmp_path: Path, old: str, new: str) -> list[tuple[str, str | None, str]]:
    assert old in FORM
    _, problems = _load(tmp_path, FORM.replace(old, new))
    return [(p.code, p.item, str(p.params.get("field"))) for p in problems]


def test_the_new_relations_load_into_the_items(tmp_path: Path) -> None:
    catalog, problems = _load(tmp_path, FORM)
    assert problems == []
    form = catalog.form("relations")
    assert form is not None
    assert form.item("1").shares == ("1.1", "1.2")  # type: ignore[union-attr]
    assert form.item("4").subset_of == ("2", "3")  # type: ignore[union-attr]
    assert form.item("5").accounted_by == ("5.1", "5.2")  # type: ignore[union-attr]
    assert form.item("7").same_as == "6"  # type: ignore[union-attr]
    assert form.item("9").total_of == ("9.1", "9.2")  # type: ignore[union-attr]
    # an item that declares none keeps the defaults, and the older fields are untouched
    plain = form.item("2")
    assert plain is not None
    assert (plain.shares, plain.subset_of, plain.same_as, plain.accounted_by,
            plain.total_of) == ((), (), None, (), ())
    assert (plain.sum_of, plain.part_of, plain.exclusive, plain.rate) == ((), (), (), None)


@pytest.mark.parametrize("old, new, field, item", [
    ('shares: ["1.1", "1.2"]', 'shares: ["1.1", "1.9"]', "shares", "1"),
    ('subset_of: ["2", "3"]', 'subset_of: ["2", "9.9"]', "subset_of", "4"),
    ('accounted_by: ["5.1", "5.2"]', 'accounted_by: ["5.1", "5.9"]', "accounted_by", "5"),
    ('same_as: "6"', 'same_as: "9.9"', "same_as", "7"),
    ('total_of: ["9.1", "9.2"]', 'total_of: ["9.1", "9.9"]', "total_of", "9"),
])
def test_a_relation_to_a_missing_item_is_reported(tmp_path: Path, old: str, new: str,
                                                  field: str, item: str) -> None:
    assert _problems(tmp_path, old, new) == [("reference-missing", item, field)]


@pytest.mark.parametrize("old, new, field, item", [
    # shares are rates: a count among them cannot be a share of 100 %
    ('shares: ["1.1", "1.2"]', 'shares: ["1.1", "2"]', "shares", "1"),
    ('shares: ["1.1", "1.2"]', 'shares: ["1.1"]', "shares", "1"),
    # a subset of one row is part_of
    ('subset_of: ["2", "3"]', 'subset_of: ["2"]', "subset_of", "4"),
    ('subset_of: ["2", "3"]', 'subset_of: ["2", "1.1"]', "subset_of", "4"),
    ('subset_of: ["2", "3"]', 'subset_of: ["2", "4"]', "subset_of", "4"),
    ('accounted_by: ["5.1", "5.2"]', 'accounted_by: ["5.1", "5.1"]', "accounted_by", "5"),
    ('accounted_by: ["5.1", "5.2"]', 'accounted_by: ["5.1", "8"]', "accounted_by", "5"),
    ('same_as: "6"', 'same_as: "7"', "same_as", "7"),
    ('same_as: "6"', 'same_as: "1.1"', "same_as", "7"),  # a count and a rate
    ('same_as: "6"', 'same_as: "8"', "same_as", "7"),  # a coded answer
    # total_of is for headings; a row that holds the figure itself uses sum_of
    ('type: section, total_of: ["9.1", "9.2"]', 'unit: "Người", total_of: ["9.1", "9.2"]',
     "total_of", "9"),
    ('total_of: ["9.1", "9.2"]', 'total_of: ["9.1"]', "total_of", "9"),
    ('total_of: ["9.1", "9.2"]', 'total_of: ["9.1", "8"]', "total_of", "9"),
])
def test_a_relation_that_cannot_hold_is_a_clear_problem(tmp_path: Path, old: str, new: str,
                                                        field: str, item: str) -> None:
    problems = _problems(tmp_path, old, new)
    assert problems and all(p == ("relation-invalid", item, field) for p in problems)
    _, found = _load(tmp_path, FORM.replace(old, new))
    assert all("trường '" + field + "' không dùng được ở đây: " in p.message() for p in found)


def test_same_as_must_name_one_item(tmp_path: Path) -> None:
    assert _problems(tmp_path, 'same_as: "6"', 'same_as: ["6", "2"]') == [
        ("field-invalid", "7", "same_as")]


def test_a_relation_written_as_a_number_is_a_problem(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'subset_of: ["2", "3"]', "subset_of: [2, 3]")
    assert ("field-invalid", "4", "subset_of") in problems


# ---------------------------------------------------------------- the shipped forms


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(ROOT / "cchc" / "data" / "catalog")


@pytest.mark.parametrize("form_id, item_id, field, value", [
    # "Trong đó": wholly electronic against electronic beside paper
    ("thua-thien-hue-phu-luc-2021", "7.6.2", "shares", ("7.6.2.a", "7.6.2.b")),
    ("khanh-hoa-phu-luc-2-2021", "7.6.3", "shares", ("7.6.3.a", "7.6.3.b")),
    ("soc-trang-bang-2-2022", "VII.4.b", "exclusive", ("VII.4.b.1", "VII.4.b.2")),
    ("soc-trang-bang-2-2022", "VII.4.c", "exclusive", ("VII.4.c.1", "VII.4.c.2")),
    # integrated on the national portal: among those offered online at level 3 or 4
    ("soc-trang-bang-2-2022", "VII.6.c", "subset_of", ("VII.6.a.2", "VII.6.b.2")),
    ("thua-thien-hue-phu-luc-2021", "3.2.2", "subset_of", ("7.8.1", "7.8.2")),
    ("khanh-hoa-phu-luc-2-2021", "3.3.b", "part_of", ("3.3.a", "3.4.3")),
    # a procedure is offered at one level: level 3 and level 4 make up the "3 và 4" total
    ("ha-tinh-phu-luc-1b-2022", "7.4.3.1", "sum_of", ("7.4.1.2", "7.4.2.2")),
    # dossiers by post are some of the dossiers received, resolved
    ("soc-trang-bang-2-2022", "VII.7.a.4", "part_of", ("III.6.a",)),
    ("soc-trang-bang-2-2022", "VII.7.b.5", "part_of", ("III.6.e",)),
    # leaders holding a digital certificate are some of the leaders
    ("soc-trang-bang-2-2022", "VII.6.m", "part_of", ("IV.5.b",)),
    # the same public service units counted twice
    ("soc-trang-bang-2-2022", "VI.3", "same_as", "IV.1.b"),
    ("ha-tinh-phu-luc-1b-2022", "6.2.1", "same_as", "4.1.5"),
    # outcomes of the tasks assigned
    ("ha-tinh-phu-luc-1b-2022", "1.5.1", "accounted_by", ("1.5.2", "1.5.3", "1.5.4")),
    # a heading printed "Trong đó:" over cấp tỉnh, huyện, xã
    ("khanh-hoa-phu-luc-2-2021", "7.6.4", "total_of", ("7.6.4.a", "7.6.4.b", "7.6.4.c")),
    # Sóc Trăng headings that units fill: the sum of additive rows, or the row they restate
    ("soc-trang-bang-2-2022", "I.2", "total_of", ("I.2.a", "I.2.b", "I.2.c")),
    ("soc-trang-bang-2-2022", "IV.5", "total_of", ("IV.5.a", "IV.5.b", "IV.5.c", "IV.5.d")),
    ("soc-trang-bang-2-2022", "VII.6", "total_of", ("VII.6.a.2", "VII.6.b.2")),
    ("soc-trang-bang-2-2022", "VII.7", "total_of", ("VII.7.a", "VII.7.b")),
    ("soc-trang-bang-2-2022", "III.2", "same_as", "III.2.c"),
])
def test_the_shipped_forms_declare_the_relations_their_labels_imply(
        shipped: Catalog, form_id: str, item_id: str, field: str, value: object) -> None:
    form = shipped.form(form_id)
    assert form is not None
    item = form.item(item_id)
    assert item is not None
    assert getattr(item, field) == value


def test_no_shipped_part_is_checked_twice_against_its_exclusive_total(
        shipped: Catalog) -> None:
    """A part listed under a total's `exclusive` (or `sum_of`) that also names the total in
    its `part_of` would be reported twice when it alone exceeds the total."""
    for form in shipped.forms:
        for total in form.items:
            for part_id in (*total.exclusive, *total.sum_of):
                part = form.item(part_id)
                assert part is not None
                assert total.id not in part.part_of, (form.id, total.id, part_id)


def test_shipped_headings_that_plan_or_restate_declare_no_total(shipped: Catalog) -> None:
    """A heading over a plan and its result, or over figures that are not parts, holds one
    of them when a unit fills it (tests/data/defects.yaml, clean: staff-header-78,
    headers-equal-rows): no sum is declared there."""
    form = shipped.form("soc-trang-bang-2-2022")
    assert form is not None
    for heading in ("IV.2", "IV.4", "V.4", "V.5"):
        item = form.item(heading)
        assert item is not None and not item.total_of and not item.sum_of, heading


def test_shipped_shares_are_rates_and_subsets_are_counts(shipped: Catalog) -> None:
    for form in shipped.forms:
        for item in form.items:
            assert all(form.item(i).type == "rate" for i in item.shares)  # type: ignore[union-attr]
            assert all(form.item(i).type == "count"  # type: ignore[union-attr]
                       for i in (*item.subset_of, *item.accounted_by))


@pytest.mark.parametrize("concept", [
    "inspection.communes_checked", "decentralisation.communes_checked",
    "audit.communes_inspected", "egov.edoc_link.communes_connected",
    "egov.one_stop.communes_connected", "iso.communes.published",
    "iso.communes.internal_audit", "iso.communes.management_review"])
def test_counts_of_communes_are_checked_against_the_number_of_communes(
        shipped: Catalog, concept: str) -> None:
    assert shipped.concepts[concept].counts_units == "commune"


def test_the_guide_documents_every_relation_and_the_new_problem() -> None:
    guide = (ROOT / "docs" / "how-to-add-a-form.md").read_text(encoding="utf-8")
    for word in ("`shares:", "`subset_of:", "`same_as:", "`accounted_by:", "`total_of:",
                 "`relation-invalid`"):
        assert word in guide, word
