"""docs/json.md describes the real output: its example and tables name the keys produced."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cchc.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seeds" / "004_e44040b7e1ce7d8e.txt"


def _doc_example() -> dict:
    page = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    block = re.search(r"## Example\s+```json\n(.*?)```", page, re.S)
    assert block, "docs/json.md lost its example"
    return json.loads(block.group(1))


def _real() -> dict:
    result = CliRunner().invoke(main, ["check", "--json", str(SEED)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_the_documented_example_has_the_keys_of_the_real_output() -> None:
    example = _doc_example()["documents"][0]
    real = _real()["documents"][0]
    assert set(example) == set(real)
    assert set(example["meta"]) == set(real["meta"])
    assert set(example["meta"]["period"]) == set(real["meta"]["period"])
    assert set(example["form"]) == set(real["form"])
    assert set(example["rows"][0]) == set(real["rows"][0])
    assert set(example["narrative"][0]) == set(real["narrative"][0])
    assert set(example["findings"][0]) == set(real["findings"][0])


def test_every_key_in_the_row_and_finding_tables_is_produced() -> None:
    page = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    real = _real()["documents"][0]
    row_keys = set().union(*(set(r) for r in real["rows"]))
    row_section = page.split("## A row")[1].split("## A finding")[0]
    documented = set(re.findall(r"^\| `([a-z_]+)`", row_section, re.M))
    documented |= {k for cell in re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)+) \|", row_section,
                                            re.M) for k in re.findall(r"`([a-z_]+)`", cell)}
    optional = {"responsible", "numerator", "denominator", "candidates"}
    assert documented - optional <= row_keys
    finding_section = page.split("## A finding")[1].split("## Exit status")[0]
    finding_keys = set().union(*(set(f) for f in real["findings"]))
    documented_f = {k for line in re.findall(r"^\| ([^|]+) \|", finding_section, re.M)
                    for k in re.findall(r"`([a-z_]+)`", line)}
    assert documented_f <= finding_keys
