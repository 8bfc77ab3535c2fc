"""Small typed readers of environment variables that fail loudly (listed in .env.example)."""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def text(name: str, default: str = "") -> str:
    """The variable, or `default` when it is unset or blank (`VAR=` means 'not set')."""
    return os.environ.get(name, "").strip() or default


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"Biến môi trường {name} phải là true/false, không phải {value!r}.")


def integer(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(
            f"Biến môi trường {name} phải là số nguyên, không phải {value!r}.") from None


def words(name: str, default: str = "") -> list[str]:
    return [w.strip() for w in os.environ.get(name, default).split(",") if w.strip()]


def path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default
