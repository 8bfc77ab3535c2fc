"""The tree of reporting units with its history: validity dates and lineage.

Units are identified by code (new names often reuse old ones). A unit exists from
`valid_from` to `valid_to` (both inclusive, None = open). Lineage records what the 2025
reform did: a unit `merged` into another, was `split` into several, or was `renamed`. The
web system stores all this; aggregation, documents and time series read it through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

LEVELS = ("province", "department", "district", "commune", "service_unit")
# Which way the levels nest: a unit's figures "about" a level come from units of that level.
DEPTH = {"province": 0, "department": 1, "district": 1, "service_unit": 1, "commune": 2}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # one of LEVELS: the level the unit reports at
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Link:
    """`source` became (part of) `target` on `date`: merged, split or renamed."""

    source: str
    target: str
    kind: str  # merged | split | renamed
    date: dt.date


class TreeError(ValueError):
    """A unit code the tree does not have."""


class Tree:
    def __init__(self, units: Iterable[Unit], links: Iterable[Link] = ()) -> None:
        self.units: dict[str, Unit] = {u.code: u for u in units}
        self._children: dict[str | None, list[Unit]] = {}
        for u in self.units.values():
            self._children.setdefault(u.parent, []).append(u)
        self.links = tuple(links)
        self._into: dict[str, list[Link]] = {}
        self._out: dict[str, list[Link]] = {}
        for link in self.links:
            self._into.setdefault(link.target, []).append(link)
            self._out.setdefault(link.source, []).append(link)

    def get(self, code: str) -> Unit:
        try:
            return self.units[code]
        except KeyError:
            raise TreeError(code) from None

    def children(self, code: str, on: dt.date | None = None) -> list[Unit]:
        """The units directly below `code` (that exist on `on`, when given)."""
        return [u for u in self._children.get(code, []) if on is None or u.exists_on(on)]

    def below(self, code: str, on: dt.date | None = None) -> Iterator[Unit]:
        """Every unit under `code`, depth first, parents before children; a unit that does
        not exist on `on` is skipped with everything under it."""
        for child in self.children(code, on):
            yield child
            yield from self.below(child.code, on)

    def ancestors(self, code: str) -> list[Unit]:
        """From the root down to the parent of `code`."""
        out: list[Unit] = []
        parent = self.get(code).parent
        seen = {code}
        while parent is not None and parent in self.units and parent not in seen:
            seen.add(parent)
            out.append(self.units[parent])
            parent = self.units[parent].parent
        return list(reversed(out))

    def predecessors(self, code: str) -> list[tuple[Unit, Link]]:
        """The units that became `code`, directly, with the link saying how."""
        return [(self.get(link.source), link) for link in self._into.get(code, [])
                if link.source in self.units]

    def successors(self, code: str) -> list[tuple[Unit, Link]]:
        return [(self.get(link.target), link) for link in self._out.get(code, [])
                if link.target in self.units]

    def origins(self, code: str, on: dt.date) -> tuple[list[Unit], list[Unit]]:
        """The units whose figures for a day `on` when `code` did not exist yet make up its
        figures: followed back through the lineage until units that existed on `on`.
        Returns (attributable, not attributable): a unit split into several successors, or
        merged into more than one, cannot be divided without guessing, so it and its share
        are not attributable."""
        attributable: list[Unit] = []
        unattributable: list[Unit] = []
        seen: set[str] = set()

        def walk(current: str) -> None:
            for unit, link in self.predecessors(current):
                if unit.code in seen:
                    continue
                seen.add(unit.code)
                shared = link.kind == "split" or len(self.successors(unit.code)) > 1
                if unit.exists_on(on):
                    (unattributable if shared else attributable).append(unit)
                elif shared:
                    unattributable.append(unit)
                else:
                    walk(unit.code)

        walk(code)
        return attributable, unattributable
