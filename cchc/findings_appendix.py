"""Finding kinds of the checks on relations inside the appendix: shares of one total,
section totals, notes against their rows, subsets, unit confusions, restated rows
(cchc.findings gathers them into KINDS)."""

from __future__ import annotations

from cchc.findings import Kind

KINDS: tuple[Kind, ...] = ()
