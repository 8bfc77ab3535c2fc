"""Every finding code the checks can raise is documented, and docs/findings.md is current."""

from __future__ import annotations

import re
from pathlib import Path

from cchc.findings import KINDS, markdown

ROOT = Path(__file__).resolve().parent.parent


def _codes_used_in_source() -> set[str]:
    used: set[str] = set()
    for path in (ROOT / "cchc").rglob("*.py"):
        used.update(re.findall(r"\bmake\(\s*\"([a-z0-9-]+)\"", path.read_text(encoding="utf-8")))
    return used


def test_every_code_raised_by_a_check_is_in_the_catalog() -> None:
    used = _codes_used_in_source()
    assert used, "the scan found no make(...) calls at all"
    assert used - set(KINDS) == set()


def test_every_kind_has_a_title_description_and_message() -> None:
    for kind in KINDS.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", kind.code)
        assert kind.severity in ("error", "warning", "info")
        assert kind.title and kind.description and kind.template


def test_the_reference_page_is_generated_from_the_catalog() -> None:
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert page.strip() == markdown().strip(), "run: cchc findings --markdown > docs/findings.md"
    for code in KINDS:
        assert f"`{code}`" in page
