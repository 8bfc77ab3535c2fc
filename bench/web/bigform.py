"""A catalog for the load benchmark whose largest form has exactly the issue's 250 rows.

The shipped catalog's largest form, `soc-trang-bang-2-2022`, has 211 rows. The benchmark
copies the catalog into its temporary folder and appends to that form one more section of
plain count rows (no concept, no relation: they change no check), so that the form page and
the save are measured at 250 rows; the server and the data builder read the copy through
CCHC_CATALOG_DIR, as an office with a catalog of its own would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from cchc.catalog import CATALOG_DIR

FORM_ID = "soc-trang-bang-2-2022"
ROWS = 250
SECTION = "BENCH"  # id of the appended section; its rows are BENCH.1, BENCH.2, …
LABELS = ("Số hồ sơ tiếp nhận trong kỳ tại bộ phận", "Số văn bản ban hành trong kỳ",
          "Số cuộc kiểm tra đã thực hiện", "Số cán bộ được tập huấn")


def write(folder: Path) -> Path:
    """Copy the shipped catalog into `folder` and widen the form to ROWS rows."""
    shutil.copytree(CATALOG_DIR, folder)
    path = folder / "forms" / f"{FORM_ID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = ROWS - len(data["items"]) - 1
    if missing < 1:
        raise ValueError(f"{FORM_ID} already has {len(data['items'])} rows")
    data["items"].append({"id": SECTION, "code": "VIII",
                          "label": "Chỉ tiêu bổ sung (thêm cho phép đo tải)"})
    data["items"] += [{"id": f"{SECTION}.{n}", "code": str(n), "type": "count",
                       "label": f"{LABELS[n % len(LABELS)]} (chỉ tiêu {n})", "unit": "Số lượng"}
                      for n in range(1, missing + 1)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def extra_items(form_items: list[str]) -> list[str]:
    """The ids of the appended rows (the builder fills them with numbers)."""
    return [i for i in form_items if i.startswith(f"{SECTION}.")]


if __name__ == "__main__":
    import sys

    write(Path(sys.argv[1]))
