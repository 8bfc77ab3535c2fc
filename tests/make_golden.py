"""Write tests/golden/<seed>.json: the reading and findings of every seed.

Run `python tests/make_golden.py` only after an intended change, then review the diff row
by row against the seed text (tests/data/SOURCES.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc.api import check  # noqa: E402
from cchc.jsonout import document_json  # noqa: E402


def golden(path: Path) -> dict:
    doc = document_json(check(path), checked=True)
    doc["source"] = path.name
    return doc


def main() -> None:
    out = ROOT / "tests" / "golden"
    out.mkdir(exist_ok=True)
    for seed in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")):
        target = out / (seed.stem + ".json")
        target.write_text(json.dumps(golden(seed), ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main()
