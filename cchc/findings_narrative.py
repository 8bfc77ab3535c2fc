"""Finding kinds of the checks on a narrative's own arithmetic, on the narrative against the
appendix for more quantities, and on document and period words (cchc.findings gathers them
into KINDS)."""

from __future__ import annotations

from cchc.findings import Kind

KINDS: tuple[Kind, ...] = ()
