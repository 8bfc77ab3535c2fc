"""Vendored files are exactly the published ones."""

import hashlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "cchc_web" / "static" / "cchc"


def test_vendored_htmx_matches_its_recorded_hash() -> None:
    recorded = (STATIC / "VENDORED.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((STATIC / "htmx-2.0.11.min.js").read_bytes()).hexdigest()
    assert digest in recorded
