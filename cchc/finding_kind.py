"""A kind of finding: its stable code, default severity, family, Vietnamese title,
description and message template (cchc.findings holds the catalog of them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    severity: str
    family: str
    title: str
    description: str
    template: str
