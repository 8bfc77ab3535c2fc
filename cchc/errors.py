"""The one exception the core raises for input it cannot read at all.

An invalid report is a result (findings), never an exception. `ReadError` carries a stable
`code` and parameters; `cchc.findings.render_error` turns it into a Vietnamese sentence.
"""

from __future__ import annotations

from typing import Any


class ReadError(Exception):
    """A file could not be read: corrupt, empty, binary, too large, a zip bomb, ..."""

    def __init__(self, code: str, path: str, **params: Any) -> None:
        self.code = code
        self.path = path
        self.params = params
        super().__init__(f"{code}: {path} {params}")
