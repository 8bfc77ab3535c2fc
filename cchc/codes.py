"""Row codes as printed in the STT column ("3.3.3", "1.3.", "IV", "a)")."""

from __future__ import annotations

import re

_CODE = re.compile(r"[IVXLC]+|\d+(\.\d+)*|[a-zA-Zđ]\)?")


def norm_code(code: str) -> str:
    """Spaces and the trailing dot removed, upper case: "1.3." → "1.3", "iv" → "IV"."""
    return re.sub(r"\s+", "", code).rstrip(".").upper()


def is_code_like(code: str) -> bool:
    """True for a real row number, False for text in the STT column ("Trong đó")."""
    return bool(_CODE.fullmatch(norm_code(code)))
