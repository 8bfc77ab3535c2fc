"""tests/data/defects.yaml, the careful reader's inventory of the seeds' defects (the
yardstick of bench/recall.py), is well-formed: every field, every quote really in the seed,
every printed row code and label in the seed's appendix as cchc.api.read reads it, known
families, and finding codes that exist (or are declared placeholders)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recall import (  # noqa: E402
    FAMILIES,
    INVENTORY,
    SEEDS,
    Entry,
    as_list,
    load_inventory,
    resolved_inventory,
    vn_numbers,
)
from cchc.findings import KINDS  # noqa: E402

DEFECT_FIELDS = {"seed", "id", "where", "what", "figures", "checkable", "family", "codes"}
CLEAN_FIELDS = {"seed", "id", "where", "why"}
PLACEHOLDER = re.compile(r"^new:[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def inventory() -> dict[str, Any]:
    return load_inventory()


@pytest.fixture(scope="module")
def resolved(inventory: dict[str, Any]) -> dict[str, tuple[list[Entry], list[Entry]]]:
    return resolved_inventory(inventory)


def test_the_file_has_defects_and_clean_entries(inventory: dict[str, Any]) -> None:
    assert set(inventory) == {"defects", "clean"}
    assert isinstance(inventory["defects"], list) and inventory["defects"]
    assert isinstance(inventory["clean"], list) and inventory["clean"]


def test_every_seed_has_defects_and_clean_entries(inventory: dict[str, Any]) -> None:
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted({d["seed"] for d in inventory["defects"]}) == seeds
    assert sorted({c["seed"] for c in inventory["clean"]}) == seeds


def test_every_defect_has_every_field_of_the_right_type(inventory: dict[str, Any]) -> None:
    problems = []
    for n, item in enumerate(inventory["defects"]):
        name = f"defect {n} {item.get('seed')}/{item.get('id')}"
        if set(item) != DEFECT_FIELDS:
            problems.append(f"{name}: fields {sorted(set(item) ^ DEFECT_FIELDS)}")
            continue
        for key in ("seed", "id", "what", "figures"):
            if not isinstance(item[key], str) or not item[key].strip():
                problems.append(f"{name}: `{key}` must be a non-empty string")
        if not isinstance(item["checkable"], bool):
            problems.append(f"{name}: `checkable` must be true or false")
        if item["family"] not in FAMILIES:
            problems.append(f"{name}: unknown family {item['family']!r}")
        if not isinstance(item["codes"], list) or not item["codes"]:
            problems.append(f"{name}: `codes` must be a non-empty list")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(item["id"])):
            problems.append(f"{name}: `id` must be a lower-case slug")
    assert problems == []


def test_every_clean_entry_has_every_field(inventory: dict[str, Any]) -> None:
    problems = []
    for n, item in enumerate(inventory["clean"]):
        name = f"clean {n} {item.get('seed')}/{item.get('id')}"
        if set(item) != CLEAN_FIELDS:
            problems.append(f"{name}: fields {sorted(set(item) ^ CLEAN_FIELDS)}")
            continue
        for key in ("seed", "id", "why"):
            if not isinstance(item[key], str) or not item[key].strip():
                problems.append(f"{name}: `{key}` must be a non-empty string")
    assert problems == []


def test_ids_are_unique_within_a_seed(inventory: dict[str, Any]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for item in inventory["defects"] + inventory["clean"]:
        key = (item["seed"], item["id"])
        seen[key] = seen.get(key, 0) + 1
    assert [k for k, n in seen.items() if n > 1] == []


def test_every_seed_named_exists(inventory: dict[str, Any]) -> None:
    names = {item["seed"] for item in inventory["defects"] + inventory["clean"]}
    assert sorted(n for n in names if not (SEEDS / n).is_file()) == []


def test_existing_codes_exist_and_placeholders_are_declared(inventory: dict[str, Any]) -> None:
    header = "\n".join(line for line in INVENTORY.read_text(encoding="utf-8").splitlines()
                       if line.startswith("#"))
    problems = []
    for item in inventory["defects"]:
        for code in as_list(item["codes"]):
            if not isinstance(code, str):
                problems.append(f"{item['seed']}/{item['id']}: code {code!r}")
            elif code.startswith("new:"):
                if not PLACEHOLDER.match(code):
                    problems.append(f"{item['seed']}/{item['id']}: placeholder {code!r}")
                elif re.search(rf"#\s+{re.escape(code)}\s", header) is None:
                    problems.append(f"{item['seed']}/{item['id']}: {code} is not explained "
                                    "in the comment at the top")
            elif code not in KINDS:
                problems.append(f"{item['seed']}/{item['id']}: unknown code {code!r}")
    assert problems == []


def test_every_place_is_found_in_its_seed(
        resolved: dict[str, tuple[list[Entry], list[Entry]]]) -> None:
    """Quotes occur in the seed text, printed row codes name one row of the appendix as
    read, label and note quotes are in the rows' labels and notes."""
    problems = [f"{entry.key}: {problem}"
                for defects, clean in resolved.values() for entry in defects + clean
                for problem in entry.problems]
    assert problems == []


def test_every_entry_points_somewhere(
        resolved: dict[str, tuple[list[Entry], list[Entry]]]) -> None:
    """A defect has rows or quotes, or says it is about the whole document; a clean entry
    always has rows or quotes (it guards a place)."""
    problems = []
    for defects, clean in resolved.values():
        for entry in defects:
            if not entry.has_place and "document" not in entry.data["where"]:
                problems.append(entry.key)
        problems += [entry.key for entry in clean if not entry.has_place]
    assert problems == []


def test_figures_carry_numbers_where_there_is_arithmetic(inventory: dict[str, Any]) -> None:
    """A figure with an operator or a comparison has numbers on both sides of it."""
    problems = []
    for item in inventory["defects"]:
        figures = item["figures"]
        if re.search(r"\s[=≠><+/]\s", figures) and len(vn_numbers(figures)) < 2:
            problems.append(f"{item['seed']}/{item['id']}: {figures!r}")
    assert problems == []


def test_the_rows_a_defect_points_at_carry_the_figures_it_quotes(
        resolved: dict[str, tuple[list[Entry], list[Entry]]]) -> None:
    """A defect about values (not about numbering or dates) points at the right rows: each
    such row's value, as read, is among the numbers of its `figures`."""
    from cchc.api import read

    problems = []
    for seed, (defects, _clean) in resolved.items():
        rows = read(SEEDS / seed).rows
        for defect in defects:
            if defect.data["family"] in ("document", "period"):
                continue
            written = vn_numbers(defect.data["figures"])
            for index in sorted(defect.rows):
                value = rows[index].number
                if value is not None and not any(abs(value - w) < 0.01 for w in written):
                    problems.append(f"{defect.key}: row {rows[index].code or index} holds "
                                    f"{value:g}, not in {defect.data['figures']!r}")
    assert problems == []


def test_a_row_code_selector_is_never_a_partial_match_of_another() -> None:
    """The guard itself: a printed code must equal the row's code, not be a prefix of it."""
    from bench.recall import SeedText, resolve

    class Row:
        def __init__(self, index: int, code: str) -> None:
            self.index, self.code, self.label, self.note = index, code, "x", ""

    entry = Entry(seed="s", id="i", data={"where": {"row": ["1.2"]}})
    resolve(entry, [Row(0, "1.2.1"), Row(1, "1.2")], SeedText(""))
    assert entry.rows == {1} and entry.problems == []
    missing = Entry(seed="s", id="i", data={"where": {"row": ["9.9"], "narrative": ["zz"]}})
    resolve(missing, [Row(0, "1.2")], SeedText("abc"))
    assert len(missing.problems) == 2
