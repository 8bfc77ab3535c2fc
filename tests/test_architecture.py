"""The core stays free of Django and of the web package; `cchc --help` imports little."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "cchc"
FORBIDDEN = ("django", "cchc_web", "ninja")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_django_or_the_web_package() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(n for n in _imports(path)
                                            if n.split(".")[0] in FORBIDDEN)
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_guard_itself_sees_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from django.db import models\nimport cchc_web.views\n")
    assert {"django.db", "cchc_web.views"} <= _imports(sample)


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys; from cchc.cli import main\n"
            "heavy = [m for m in ('rich', 'docx', 'openpyxl', 'pdfplumber', 'lark', 'rapidfuzz',"
            " 'babel', 'yaml', 'lxml') if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
