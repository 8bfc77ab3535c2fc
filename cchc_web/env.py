"""Small typed readers of environment variables that fail loudly (listed in .env.example)."""

from __future__ import annotations

import ipaddress
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


def integer(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(
            f"Biến môi trường {name} phải là số nguyên, không phải {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"Biến môi trường {name} phải từ {minimum} trở lên, không phải {number}.")
    return number


def words(name: str, default: str = "") -> list[str]:
    return [w.strip() for w in os.environ.get(name, default).split(",") if w.strip()]


def path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices`, exactly as written: a typo ("Production", "prod") must not quietly
    select the default."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value not in choices:
        raise ConfigError(
            f"Biến môi trường {name} phải là một trong {', '.join(choices)}, "
            f"không phải {value!r}.")
    return value


def networks(name: str) -> list[str]:
    """Comma-separated IP addresses or CIDR networks, normalised ("10.0.0.0/8")."""
    out = []
    for word in words(name):
        try:
            out.append(str(ipaddress.ip_network(word, strict=False)))
        except ValueError:
            raise ConfigError(
                f"Biến môi trường {name}: {word!r} không phải địa chỉ IP hay dải mạng "
                f"(ví dụ 10.0.0.1 hoặc 10.0.0.0/24).") from None
    return out


def weak_secret(key: str) -> bool:
    """Django's own `check --deploy` rule W009 (django.core.checks.security.base), applied
    when the settings load instead of as a warning nobody reads."""
    from django.core.checks.security import base

    return (len(key) < base.SECRET_KEY_MIN_LENGTH
            or len(set(key)) < base.SECRET_KEY_MIN_UNIQUE_CHARACTERS
            or key.startswith(base.SECRET_KEY_INSECURE_PREFIX))
