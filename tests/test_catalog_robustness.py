"""A broken form file gives problems, never a crash or a silently changed value."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.catalog import check_catalog

CONCEPTS = "concepts:\n  x.count:\n    label: \"Số hồ sơ\"\n    kind: count\n"
HEAD = ("id: broken\ntitle: \"Biểu thử\"\nlevels: [commune]\n{extra}items:\n"
        "  - {{code: \"1\", label: \"Số hồ sơ\", unit: \"Hồ sơ\"}}\n")


def _problems(tmp_path: Path, extra: str = "", items: str = "", rules: str = "") -> set:  # type: ignore[type-arg]
    (tmp_path / "forms").mkdir()
    (tmp_path / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    text = HEAD.format(extra=extra) + items + (("rules:\n" + rules) if rules else "")
    (tmp_path / "forms" / "broken.yaml").write_text(text, encoding="utf-8")
    _, problems = check_catalog(tmp_path)
    return {(p.code, p.params.get("field")) for p in problems}


@pytest.mark.parametrize(("items", "expected"), [
    ("  - {code: \"2\", label: \"Tỷ lệ\", unit: \"%\", rate: [\"1\"]}\n",
     ("field-invalid", "rate")),
    ("  - {code: \"2\", label: \"Tỷ lệ\", unit: \"%\", rate: \"1\"}\n",
     ("field-invalid", "rate")),
    ("  - {code: 1.10, label: \"Số\", unit: \"Hồ sơ\"}\n", ("field-invalid", "code")),
    ("  - {code: \"2\", label: \"Số\", unit: \"Hồ sơ\", depth: \"x\"}\n",
     ("field-invalid", "depth")),
    ("  - {code: \"2\", label: \"Có\", type: coded, options: {a: Có, b: Không}}\n",
     ("field-invalid", "options")),
    ("  - {code: \"2\", label: \"Số\", unit: \"Hồ sơ\", levels: []}\n",
     ("field-invalid", "levels")),
    ("  - {code: \"2\", label: \"Số\", unit: \"Hồ sơ\", part_of: [1]}\n",
     ("field-invalid", "part_of")),
])
def test_a_bad_item_field_is_a_problem(tmp_path: Path, items: str, expected: tuple) -> None:  # type: ignore[type-arg]
    assert expected in _problems(tmp_path, items=items)


def test_a_date_that_is_not_iso_is_a_problem(tmp_path: Path) -> None:
    assert ("field-invalid", "effective_from") in _problems(
        tmp_path, extra="effective_from: 2022-3-10\n")


def test_rules_must_be_mappings_with_unique_ids(tmp_path: Path) -> None:
    problems = _problems(tmp_path, rules="  - \"#{1} > 0\"\n"
                                         "  - {id: r, expr: \"#{1} >= 0\"}\n"
                                         "  - {id: r, expr: \"#{1} >= 1\"}\n")
    assert ("field-invalid", "rules") in problems
    assert ("duplicate-id", None) in problems


def test_a_missing_concepts_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    _, problems = check_catalog(tmp_path)
    assert [p.code for p in problems] == ["file-missing"]
