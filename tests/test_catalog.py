"""The data catalog: the shipped concepts and forms load cleanly, and broken forms are reported.

The broken variants are small forms written into a temporary catalog directory; each one
differs from a valid minimal form by exactly one mistake, and the test checks the problem code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cchc.catalog import CATALOG_DIR, LEVELS, check_catalog, load_concepts, load_form
from cchc.vietnamese import clean, fold

SEEDS = Path(__file__).parent / "data" / "seeds"

FORM_SEEDS = {
    "ha-tinh-phu-luc-1b-2022": ["000"],
    "thua-thien-hue-phu-luc-2021": ["001"],
    "khanh-hoa-phu-luc-2-2021": ["002"],
    "soc-trang-bang-2-2022": ["003", "004"],
}

# Concept keys other code depends on: they must exist with exactly these names.
REQUIRED_CONCEPTS = [
    "plan.tasks.planned", "plan.tasks.done", "plan.completion_rate",
    "direction.documents_issued",
    "assigned_tasks.total", "assigned_tasks.on_time", "assigned_tasks.late_done",
    "assigned_tasks.overdue",
    "inspection.issues_found", "inspection.issues_resolved",
    "survey.forms", "survey.method", "survey.conducted", "survey.satisfaction_rate",
    "dialogue.held",
    "tthc.total_in_force", "tthc.province", "tthc.district", "tthc.commune",
    "tthc.published_new", "tthc.abolished", "tthc.interlinked_same_level",
    "tthc.interlinked_across_levels",
    "dossiers.department.resolved", "dossiers.department.on_time",
    "dossiers.department.on_time_rate",
    *(f"dossiers.{level}.{name}" for level in ("district", "commune")
      for name in ("received", "resolved", "on_time", "late", "pending", "on_time_rate")),
    "online.dossiers.received_total", "online.dossiers.received_online",
    "online.dossiers.online_rate",
    "staff.civil.assigned", "staff.civil.present", "staff.civil.contracts",
    "staff.civil.reduced", "staff.civil.reduced_rate",
    "staff.public.assigned", "staff.public.present", "staff.public.reduced",
    "staff.public.reduced_rate",
    "pakn.received", "pakn.resolved",
    "legal.documents_issued", "legal.documents_checked", "legal.documents_reviewed",
]

# The same quantity sits at different codes in different forms: it must map to one concept.
SHARED_QUANTITIES = {
    "ha-tinh-phu-luc-1b-2022": {
        "1.1": "direction.documents_issued", "1.2": "plan.completion_rate",
        "1.2.1": "plan.tasks.planned", "1.2.2": "plan.tasks.done",
        "1.3.3.1": "inspection.issues_found", "1.3.3.2": "inspection.issues_resolved",
        "1.5.1": "assigned_tasks.total", "1.5.2": "assigned_tasks.on_time",
        "1.5.3": "assigned_tasks.late_done", "1.5.4": "assigned_tasks.overdue",
        "1.6": "survey.conducted", "1.6.1": "survey.forms", "1.6.2": "survey.method",
        "1.7": "dialogue.held",
        "2.1": "legal.documents_issued", "2.2.1": "legal.documents_checked",
        "2.3.1": "legal.documents_reviewed",
        "3.1.2": "tthc.published_new", "3.1.3": "tthc.abolished",
        "3.1.4": "tthc.total_in_force", "3.1.4.1": "tthc.province",
        "3.1.4.2": "tthc.district", "3.1.4.3": "tthc.commune",
        "3.2.1": "tthc.interlinked_same_level", "3.2.2": "tthc.interlinked_across_levels",
        "3.3.1": "dossiers.department.on_time_rate",
        "3.3.1.1": "dossiers.department.resolved", "3.3.1.2": "dossiers.department.on_time",
        "3.3.2": "dossiers.district.on_time_rate", "3.3.2.1": "dossiers.district.resolved",
        "3.3.2.2": "dossiers.district.on_time",
        "3.3.3": "dossiers.commune.on_time_rate", "3.3.3.1": "dossiers.commune.resolved",
        "3.3.3.2": "dossiers.commune.on_time",
        "3.3.4.1": "pakn.received", "3.3.4.2": "pakn.resolved",
        "4.2.1": "staff.civil.assigned", "4.2.2": "staff.civil.present",
        "4.2.3": "staff.civil.contracts", "4.2.4": "staff.civil.reduced",
        "4.2.5": "staff.civil.reduced_rate",
        "4.3.1": "staff.public.assigned", "4.3.2": "staff.public.present",
        "4.3.3": "staff.public.reduced", "4.3.4": "staff.public.reduced_rate",
        "7.4.4": "online.dossiers.online_rate", "7.4.4.1": "online.dossiers.received_total",
        "7.4.4.2": "online.dossiers.received_online",
    },
    "thua-thien-hue-phu-luc-2021": {
        "1.1.1": "plan.tasks.planned", "1.1.2": "plan.tasks.done",
        "1.1.3": "direction.documents_issued",
        "1.2.2": "inspection.issues_found", "1.2.3": "inspection.issues_resolved",
        "1.3.1": "assigned_tasks.total", "1.3.2": "assigned_tasks.on_time",
        "1.3.3": "assigned_tasks.late_done",
        "1.4.1": "survey.forms", "1.4.2": "survey.method", "1.5": "dialogue.held",
        "2.1": "legal.documents_issued", "2.2": "legal.documents_checked",
        "2.3": "legal.documents_reviewed",
        "3.1.1": "tthc.published_new", "3.1.2": "tthc.abolished",
        "3.1.3": "tthc.total_in_force", "3.1.3.a": "tthc.district", "3.1.3.b": "tthc.commune",
        "3.3.1": "tthc.interlinked_same_level", "3.3.2": "tthc.interlinked_across_levels",
        "3.4.1": "dossiers.district.on_time_rate", "3.4.2": "dossiers.commune.on_time_rate",
        "4.2.1": "staff.civil.assigned", "4.2.2": "staff.civil.present",
        "4.2.3": "staff.civil.contracts", "4.2.4": "staff.civil.reduced",
        "4.2.5": "staff.civil.reduced_rate",
        "4.3.1": "staff.public.assigned", "4.3.2": "staff.public.present",
        "4.3.3": "staff.public.reduced", "4.3.4": "staff.public.reduced_rate",
    },
    "khanh-hoa-phu-luc-2-2021": {
        "1.1.a": "plan.tasks.planned", "1.1.b": "plan.tasks.done",
        "1.2": "direction.documents_issued",
        "1.3.2.a": "inspection.issues_found", "1.3.2.b": "inspection.issues_resolved",
        "1.5.a": "assigned_tasks.total", "1.5.b": "assigned_tasks.on_time",
        "1.5.c": "assigned_tasks.late_done",
        "1.6.a": "survey.forms", "1.6.b": "survey.method", "1.7": "dialogue.held",
        "2.1": "legal.documents_issued", "2.2": "legal.documents_checked",
        "2.3": "legal.documents_reviewed",
        "3.1.a": "tthc.published_new", "3.1.b": "tthc.abolished",
        "3.2": "tthc.total_in_force", "3.2.a": "tthc.province", "3.2.b": "tthc.district",
        "3.2.c": "tthc.commune",
        "3.4.2.a": "tthc.interlinked_same_level", "3.4.2.b": "tthc.interlinked_across_levels",
        "3.4.6.a": "dossiers.department.on_time_rate",
        "3.4.6.b": "dossiers.district.on_time_rate", "3.4.6.c": "dossiers.commune.on_time_rate",
        "4.2.a": "staff.civil.assigned", "4.2.b": "staff.civil.present",
        "4.2.c": "staff.civil.contracts", "4.2.d": "staff.civil.reduced",
        "4.2.e": "staff.civil.reduced_rate",
        "4.3.a": "staff.public.assigned", "4.3.b": "staff.public.present",
        "4.3.c": "staff.public.reduced", "4.3.d": "staff.public.reduced_rate",
    },
    "soc-trang-bang-2-2022": {
        "I.1": "plan.completion_rate", "I.1.a": "plan.tasks.planned",
        "I.1.b": "plan.tasks.done", "I.1.c": "direction.documents_issued",
        "I.2.d": "inspection.issues_found", "I.2.e": "inspection.issues_resolved",
        "I.4.a": "assigned_tasks.total", "I.4.b": "assigned_tasks.on_time",
        "I.4.c": "assigned_tasks.late_done",
        "I.7.a": "survey.forms", "I.7.b": "survey.method",
        "I.7.c": "survey.satisfaction_rate", "I.6b": "dialogue.held",
        "II.1": "legal.documents_issued", "II.2.d": "legal.documents_checked",
        "II.3.b": "legal.documents_reviewed",
        "III.2.a": "tthc.published_new", "III.2.b": "tthc.abolished",
        "III.2.c": "tthc.total_in_force", "III.2.c.1": "tthc.district",
        "III.2.c.2": "tthc.commune",
        "III.4.a": "pakn.received", "III.4.b": "pakn.resolved",
        "III.5.a": "tthc.interlinked_same_level", "III.5.b": "tthc.interlinked_across_levels",
        "III.6.a": "dossiers.district.received", "III.6.b": "dossiers.district.resolved",
        "III.6.c": "dossiers.district.on_time",
        "III.6.d": "dossiers.commune.received", "III.6.e": "dossiers.commune.resolved",
        "III.6.f": "dossiers.commune.on_time",
        "IV.2.a": "staff.civil.assigned", "IV.2.b": "staff.civil.present",
        "IV.2.c": "staff.civil.contracts", "IV.2.d": "staff.civil.reduced",
        "IV.3.a": "staff.public.assigned", "IV.3.b": "staff.public.present",
        "IV.3.c": "staff.public.reduced",
        "VII.6.d": "online.dossiers.received_total", "VII.6.e": "online.dossiers.received_online",
    },
}


@pytest.fixture(scope="module")
def shipped():
    return check_catalog()


# ------------------------------------------------------------------ the shipped catalog


def test_the_shipped_catalog_loads_without_problems(shipped):
    catalog, problems = shipped
    assert [p.message() for p in problems] == []
    assert sorted(f.id for f in catalog.forms) == sorted(FORM_SEEDS)


def test_each_form_file_is_named_after_its_id(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        assert Path(form.path).stem == form.id


def test_each_form_has_items_with_unique_ids(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        ids = [item.id for item in form.items]
        assert len(ids) > 100, form.id
        assert len(ids) == len(set(ids)), form.id


def test_each_parent_is_an_earlier_item_of_the_same_form(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        seen: set[str] = set()
        for item in form.items:
            assert item.parent is None or item.parent in seen, (form.id, item.id)
            seen.add(item.id)


def test_each_form_has_its_metadata(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        assert form.title and form.issuer and form.province, form.id
        assert form.levels and set(form.levels) <= set(LEVELS), form.id
        assert form.effective_from is not None and form.effective_to is None, form.id
        assert form.columns[:2] == ("code", "label"), form.id
        assert "value" in form.columns, form.id
        assert form.keywords, form.id
    assert catalog.form("khanh-hoa-phu-luc-2-2021").columns[-1] == "responsible"


def test_each_keyword_really_appears_in_a_seed_of_its_form(shipped):
    catalog, _ = shipped

    def squash(text: str) -> str:
        return re.sub(r"\s+", "", fold(text))

    for form in catalog.forms:
        text = squash("".join(
            path.read_text(encoding="utf-8")
            for seed in FORM_SEEDS[form.id] for path in SEEDS.glob(f"{seed}_*.txt")))
        for keyword in form.keywords:
            assert squash(keyword) in text, (form.id, keyword)


def test_the_required_concept_keys_exist(shipped):
    catalog, _ = shipped
    missing = [key for key in REQUIRED_CONCEPTS if key not in catalog.concepts]
    assert missing == []


def test_concept_keys_are_lower_case_dotted_and_labels_vietnamese(shipped):
    catalog, _ = shipped
    for key, concept in catalog.concepts.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", key), key
        assert concept.label and concept.label != key, key
        assert clean(concept.label) == concept.label, key


def test_on_time_rates_are_recomputed_from_on_time_over_resolved(shipped):
    catalog, _ = shipped
    for level in ("department", "district", "commune"):
        rate = catalog.concepts[f"dossiers.{level}.on_time_rate"]
        assert (rate.kind, rate.rollup) == ("rate", "recompute")
        assert rate.numerator == f"dossiers.{level}.on_time"
        assert rate.denominator == f"dossiers.{level}.resolved"
    plan = catalog.concepts["plan.completion_rate"]
    assert (plan.numerator, plan.denominator) == ("plan.tasks.done", "plan.tasks.planned")


def test_recomputed_rates_name_their_numerator_and_denominator(shipped):
    catalog, _ = shipped
    for key, concept in catalog.concepts.items():
        if concept.rollup == "recompute":
            assert concept.numerator and concept.denominator, key


@pytest.mark.parametrize("form_id", sorted(SHARED_QUANTITIES))
def test_shared_quantities_map_to_their_shared_concept(shipped, form_id):
    catalog, _ = shipped
    form = catalog.form(form_id)
    wrong = {item_id: (form.item(item_id).concept if form.item(item_id) else "<no item>")
             for item_id, key in SHARED_QUANTITIES[form_id].items()
             if form.item(item_id) is None or form.item(item_id).concept != key}
    assert wrong == {}


def test_every_non_section_item_has_a_concept(shipped):
    catalog, _ = shipped
    missing = [(f.id, i.id) for f in catalog.forms for i in f.items
               if i.type != "section" and not i.concept]
    assert missing == []


def test_a_concept_never_appears_twice_in_one_form(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        keys = [i.concept for i in form.items if i.concept]
        assert len(keys) == len(set(keys)), form.id


def test_rate_items_relate_counts_of_the_same_form(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        for item in form.items:
            if item.rate:
                assert item.type == "rate", (form.id, item.id)
                for ref in item.rate:
                    assert form.item(ref).type in ("count", "decimal"), (form.id, item.id, ref)


def test_coded_items_have_at_least_two_options(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        for item in form.items:
            if item.type == "coded":
                assert len(item.options) >= 2, (form.id, item.id)


def test_rules_have_a_finding_code_and_a_vietnamese_message(shipped):
    catalog, _ = shipped
    for form in catalog.forms:
        assert form.rules, form.id
        for rule in form.rules:
            assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.finding), (form.id, rule.id)
            assert rule.severity in ("error", "warning", "info")
            assert fold(rule.message) != rule.message.lower(), (form.id, rule.id)  # diacritics


def test_a_rule_is_not_applicable_when_a_row_is_missing(shipped):
    catalog, _ = shipped
    rule = catalog.form("soc-trang-bang-2-2022").rules[0].rule
    assert rule.evaluate({}) is None


def test_the_soc_trang_ids_follow_the_printed_hierarchy(shipped):
    catalog, _ = shipped
    form = catalog.form("soc-trang-bang-2-2022")
    assert form.item("I.1").parent == "I"
    assert form.item("I.1.a").parent == "I.1"
    assert form.item("III.2.c.1").parent == "III.2.c"
    assert form.item("III.a").parent == "III"
    assert (form.item("I.6b").code, form.item("I.7b").code) == ("6", "7")
    assert form.item("VII.7.a").code == "8"
    assert form.item("V.4.b").plan == "V.4.a"
    assert form.item("III.6.b").type == "count" and form.item("III.6.b").unit == "Hồ sơ"


def test_levels_narrow_rows_meant_for_other_units(shipped):
    catalog, _ = shipped
    ha_tinh = catalog.form("ha-tinh-phu-luc-1b-2022")
    assert ha_tinh.item("1.3.2").levels == ("district",)
    assert ha_tinh.item("3.1.4.1").levels == ("province", "department")
    assert ha_tinh.item("3.3.1").levels == ("province", "department")
    assert ha_tinh.item("3.3.3").levels == ha_tinh.levels
    khanh_hoa = catalog.form("khanh-hoa-phu-luc-2-2021")
    assert khanh_hoa.item("3.4.6.b").levels == ("district",)
    assert khanh_hoa.item("1.2").levels == khanh_hoa.levels


# ------------------------------------------------------------------ broken forms

CONCEPTS = """\
concepts:
  plan.tasks.planned: {label: "Số nhiệm vụ đề ra trong kế hoạch", kind: count, unit: "Nhiệm vụ"}
  plan.tasks.done: {label: "Số nhiệm vụ đã hoàn thành", kind: count, unit: "Nhiệm vụ"}
  plan.completion_rate:
    label: "Tỷ lệ hoàn thành Kế hoạch CCHC"
    kind: rate
    unit: "%"
    numerator: plan.tasks.done
    denominator: plan.tasks.planned
  dialogue.held: {label: "Tổ chức đối thoại", kind: coded, unit: "Không = 0 Có = 1"}
"""

ITEM_RATE = """\
  - code: "1.2"
    label: "Tỷ lệ hoàn thành Kế hoạch CCHC năm"
    unit: "%"
    concept: plan.completion_rate
    rate: ["1.2.2", "1.2.1"]
"""
ITEM_DONE = """\
  - code: "1.2.2"
    label: "Số nhiệm vụ đã hoàn thành"
    unit: "Nhiệm vụ"
    concept: plan.tasks.done
    part_of: ["1.2.1"]
"""
ITEM_DIALOGUE = """\
  - code: "1.7"
    label: "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp"
    unit: "Không = 0 Có = 1"
    concept: dialogue.held
"""
RULES = """\
rules:
  - id: done-within-planned
    expr: "#{1.2.2} <= #{1.2.1}"
    finding: part-exceeds-whole
    severity: warning
    message: "Số nhiệm vụ đã hoàn thành không được lớn hơn số nhiệm vụ đề ra"
"""
VALID_FORM = f"""\
id: test-form
title: "THỐNG KÊ SỐ LIỆU"
issuer: "UBND huyện thử"
province: "Hà Tĩnh"
levels: [district, commune]
effective_from: 2022-03-10
effective_to: null
columns: [code, label, unit, value, note]
keywords: ["Phụ lục thử"]
items:
  - code: "1"
    label: "Công tác chỉ đạo điều hành"
{ITEM_RATE}\
  - code: "1.2.1"
    label: "Số nhiệm vụ đề ra trong kế hoạch"
    unit: "Nhiệm vụ"
    concept: plan.tasks.planned
{ITEM_DONE}\
{ITEM_DIALOGUE}\
{RULES}"""


def write_catalog(root: Path, form_text: str, name: str = "test-form") -> Path:
    (root / "forms").mkdir(parents=True, exist_ok=True)
    (root / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    (root / "forms" / f"{name}.yaml").write_text(form_text, encoding="utf-8")
    return root


def problems_of(tmp_path: Path, form_text: str) -> list[tuple[str, str | None]]:
    _, problems = check_catalog(write_catalog(tmp_path, form_text))
    return [(p.code, p.item) for p in problems]


def test_the_valid_test_form_loads_without_problems(tmp_path):
    catalog, problems = check_catalog(write_catalog(tmp_path, VALID_FORM))
    assert problems == []
    form = catalog.form("test-form")
    assert [i.id for i in form.items] == ["1", "1.2", "1.2.1", "1.2.2", "1.7"]
    assert form.item("1.2.1").parent == "1.2"
    assert form.item("1.2").rate == ("1.2.2", "1.2.1")
    assert form.item("1.7").options == ((0, "Không"), (1, "Có"))


def test_load_form_reads_one_file_against_the_concepts(tmp_path):
    root = write_catalog(tmp_path, VALID_FORM)
    concepts, concept_problems = load_concepts(root / "concepts.yaml")
    form, problems = load_form(root / "forms" / "test-form.yaml", concepts)
    assert concept_problems == [] and problems == []
    assert form is not None and form.id == "test-form"


def test_it_reports_a_duplicate_item_id(tmp_path):
    broken = VALID_FORM.replace('code: "1.7"', 'code: "1.2.1."')
    assert problems_of(tmp_path, broken) == [("duplicate-id", "1.2.1")]


def test_it_reports_a_duplicate_explicit_id(tmp_path):
    broken = VALID_FORM.replace('  - code: "1.7"\n', '  - id: "1.2"\n    code: ""\n')
    assert ("duplicate-id", "1.2") in problems_of(tmp_path, broken)


def test_it_reports_a_missing_parent(tmp_path):
    broken = VALID_FORM.replace('  - code: "1.7"\n', '  - code: "1.7"\n    parent: "1.9"\n')
    assert problems_of(tmp_path, broken) == [("parent-missing", "1.7")]


def test_it_reports_an_unknown_concept(tmp_path):
    broken = VALID_FORM.replace("concept: dialogue.held", "concept: dialogue.hold")
    assert problems_of(tmp_path, broken) == [("concept-missing", "1.7")]


def test_it_reports_a_concept_of_the_wrong_kind(tmp_path):
    broken = VALID_FORM.replace("concept: plan.tasks.done", "concept: plan.completion_rate")
    assert problems_of(tmp_path, broken) == [("concept-kind", "1.2.2")]


@pytest.mark.parametrize(("field", "before", "after", "item"), [
    ("rate", 'rate: ["1.2.2", "1.2.1"]', 'rate: ["1.2.2", "1.2.9"]', "1.2"),
    ("sum_of", 'rate: ["1.2.2", "1.2.1"]', 'sum_of: ["1.2.1", "1.2.9"]', "1.2"),
    ("part_of", 'part_of: ["1.2.1"]', 'part_of: ["1.2.9"]', "1.2.2"),
    ("exclusive", 'part_of: ["1.2.1"]', 'exclusive: ["1.2.9"]', "1.2.2"),
    ("plan", 'part_of: ["1.2.1"]', 'plan: "1.2.9"', "1.2.2"),
])
def test_it_reports_a_reference_to_a_missing_item(tmp_path, field, before, after, item):
    broken = VALID_FORM.replace(before, after)
    _, problems = check_catalog(write_catalog(tmp_path, broken))
    assert [(p.code, p.item, p.params) for p in problems] == [
        ("reference-missing", item, {"field": field, "ref": "1.2.9"})]


def test_it_reports_a_rule_that_does_not_parse(tmp_path):
    broken = VALID_FORM.replace('expr: "#{1.2.2} <= #{1.2.1}"', 'expr: "#{1.2.2} <=> #{1.2.1}"')
    _, problems = check_catalog(write_catalog(tmp_path, broken))
    assert [p.code for p in problems] == ["rule-invalid"]
    assert problems[0].params["rule"] == "done-within-planned"


def test_it_reports_a_rule_that_references_a_missing_item(tmp_path):
    broken = VALID_FORM.replace('expr: "#{1.2.2} <= #{1.2.1}"', 'expr: "#{1.2.2} <= #{1.3.1}"')
    _, problems = check_catalog(write_catalog(tmp_path, broken))
    assert [(p.code, p.item, p.params) for p in problems] == [
        ("reference-missing", "done-within-planned", {"field": "expr", "ref": "1.3.1"})]


def test_it_reports_a_coded_item_whose_options_cannot_be_read(tmp_path):
    broken = VALID_FORM.replace('unit: "Không = 0 Có = 1"\n    concept: dialogue.held',
                                'unit: "Không = Có"\n    type: coded\n    concept: dialogue.held')
    assert problems_of(tmp_path, broken) == [("options-invalid", "1.7")]


def test_it_reports_a_coded_item_with_a_single_option(tmp_path):
    broken = VALID_FORM.replace('unit: "Không = 0 Có = 1"', 'unit: "Có = 1"\n    type: coded')
    assert problems_of(tmp_path, broken) == [("options-invalid", "1.7")]


def test_it_reports_an_unknown_level(tmp_path):
    broken = VALID_FORM.replace("levels: [district, commune]", "levels: [district, village]")
    assert ("field-invalid", None) in problems_of(tmp_path, broken)


def test_it_reports_a_form_without_items(tmp_path):
    broken = VALID_FORM.split("items:")[0]
    assert problems_of(tmp_path, broken) == [("field-missing", None)]


def test_it_reports_a_yaml_file_that_does_not_parse(tmp_path):
    broken = VALID_FORM.replace('label: "Công tác chỉ đạo điều hành"', 'label: "Công tác: [')
    assert problems_of(tmp_path, broken) == [("yaml-invalid", None)]


def test_it_reports_two_forms_with_the_same_id(tmp_path):
    root = write_catalog(tmp_path, VALID_FORM)
    (root / "forms" / "copy.yaml").write_text(VALID_FORM, encoding="utf-8")
    _, problems = check_catalog(root)
    assert [p.code for p in problems] == ["duplicate-id"]


def test_it_reports_a_concept_whose_numerator_is_unknown(tmp_path):
    root = write_catalog(tmp_path, VALID_FORM)
    (root / "concepts.yaml").write_text(
        CONCEPTS.replace("numerator: plan.tasks.done", "numerator: plan.tasks.finished"),
        encoding="utf-8")
    _, problems = check_catalog(root)
    assert [(p.code, p.item) for p in problems] == [("concept-missing", "plan.completion_rate")]


def test_the_shipped_catalog_lives_in_the_package():
    assert (CATALOG_DIR / "concepts.yaml").is_file()
    assert len(list((CATALOG_DIR / "forms").glob("*.yaml"))) == len(FORM_SEEDS)
