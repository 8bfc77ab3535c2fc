#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11 and pip.

    python3 run.py demo    run the web system with a demo database on http://127.0.0.1:8000
    python3 run.py test    lint, type-check and run the whole test suite (SQLite, and
                           PostgreSQL too when CCHC_TEST_POSTGRES holds a database URL)
    python3 run.py cchc …  any cchc command inside the project environment

It creates `.venv` on first use and installs the locked dependencies (requirements.lock)
and the project; later runs reuse it until the lock file or pyproject.toml changes.
Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def _stamp() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        path = ROOT / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_env() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"cchc cần Python 3.11 (đang dùng {sys.version.split()[0]}).")
    marker = VENV / f".installed-{_stamp()}"
    if marker.exists():
        return
    if not PY.exists():
        print("Tạo môi trường .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Cài đặt thư viện (một lần) …", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    marker.touch()


def run(*args: str) -> int:
    return subprocess.run(list(args), cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    ensure_env()
    if command == "demo":
        return run(str(BIN / "cchc"), "demo", *rest)
    if command == "cchc":
        return run(str(BIN / "cchc"), *rest)
    if command == "test":
        steps: list[tuple[list[str], dict[str, str]]] = [
            ([str(BIN / "ruff"), "check", "cchc", "cchc_web", "tests", "bench", "run.py"], {}),
            ([str(BIN / "mypy")], {}),
            ([str(PY), "-m", "pytest", *rest], {}),
        ]
        postgres = os.environ.get("CCHC_TEST_POSTGRES", "")
        if postgres:  # the web suite again, on PostgreSQL
            steps.append(([str(PY), "-m", "pytest", "tests/web", *rest],
                          {"DATABASE_URL": postgres}))
        else:
            print("(PostgreSQL: bỏ qua; đặt CCHC_TEST_POSTGRES=postgresql://… để chạy thêm)")
        for step, env in steps:
            print("$ " + " ".join([*(f"{k}={v}" for k, v in env.items()),
                                   *(Path(step[0]).name if i == 0 else a
                                     for i, a in enumerate(step))]), flush=True)
            code = subprocess.run(step, cwd=ROOT, env={**os.environ, **env}).returncode
            if code != 0:
                return code
        return 0
    print(f"Lệnh không hợp lệ: {command}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
