"""docs/PERFORMANCE.md is written by several benchmarks, each owning one "## " section."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"


def replace_section(heading: str, section: str, doc: Path = DOC) -> None:
    """Put `section` (which starts with `heading`) in place of the section of that heading,
    or at the end; the rest of the file stays as it is."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        doc.write_text(text.rstrip() + "\n\n" + section.rstrip() + "\n", encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    rest = "".join(lines[end:])
    doc.write_text("".join(lines[:start]) + section.rstrip() + "\n" + ("\n" + rest if rest
                                                                       else ""),
                   encoding="utf-8")
