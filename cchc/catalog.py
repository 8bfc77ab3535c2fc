"""The catalog: shared concepts and one form definition per report template, as YAML data.

Layout (package data, `cchc/data/catalog/`; a copy elsewhere with a province's own forms
added is used instead when the environment variable CCHC_CATALOG_DIR names it):

    concepts.yaml          the shared quantities, their kind, unit and roll-up
    forms/<form-id>.yaml   one template variant: metadata, items in order, rules

The schema is documented in docs/how-to-add-a-form.md. `load_catalog()` reads and checks
everything; `check_form_file()` validates one file and returns problems as data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from cchc.rules import Rule, RuleError, compile_rule
from cchc.units import UnitInfo, classify, parse_options

CATALOG_DIR = Path(__file__).parent / "data" / "catalog"
CATALOG_ENV = "CCHC_CATALOG_DIR"

LEVELS = ("province", "department", "district", "commune", "service_unit")
VALUE_TYPES = ("section", "count", "decimal", "rate", "coded", "text")
ROLLUPS = ("sum", "recompute", "count_codes", "none")
CONCEPT_KINDS = ("count", "decimal", "rate", "coded", "text")


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    kind: str
    unit: str = ""
    rollup: str = "sum"
    numerator: str | None = None
    denominator: str | None = None
    counts_units: str | None = None  # a count of units of this level (checked on the tree)


@dataclass(frozen=True)
class FormRule:
    id: str
    rule: Rule
    finding: str  # finding code raised when the rule is false
    severity: str
    message: str


@dataclass(frozen=True)
class Item:
    id: str
    code: str  # as printed, "" when the template prints none
    label: str
    unit: str
    type: str
    parent: str | None
    concept: str | None
    levels: tuple[str, ...]
    options: tuple[tuple[int, str], ...] = ()
    sum_of: tuple[str, ...] = ()
    rate: tuple[str, str] | None = None  # (numerator id, denominator id)
    part_of: tuple[str, ...] = ()  # this value <= each of these
    plan: str | None = None  # this is an actual against a planned item
    exclusive: tuple[str, ...] = ()  # parts whose sum must not exceed this total
    aliases: tuple[str, ...] = ()  # other labels seen in real documents
    shares: tuple[str, ...] = ()  # rates (%) of one whole that exclude each other: sum <= 100
    subset_of: tuple[str, ...] = ()  # this value <= the sum of these (a subset of their union)
    same_as: str | None = None  # this row restates that one: both hold the same figure
    accounted_by: tuple[str, ...] = ()  # outcomes that account for every item of this total
    total_of: tuple[str, ...] = ()  # a heading whose figure, when written, is these rows' sum

    @property
    def unit_info(self) -> UnitInfo:
        return classify(self.unit)


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    issuer: str
    province: str
    levels: tuple[str, ...]
    effective_from: date | None
    effective_to: date | None
    columns: tuple[str, ...]  # roles of the appendix columns, e.g. ("code", "label", ...)
    keywords: tuple[str, ...]  # phrases that identify the template (title, column titles)
    items: tuple[Item, ...]
    rules: tuple[FormRule, ...] = ()
    path: str = ""
    # the words of the title that name the area the template was issued for ("HUYỆN CẨM
    # XUYÊN"): a unit elsewhere gets its own area's name there (`title_for`)
    title_area: str = ""
    _by_id: dict[str, Item] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # derived data other modules build once per form (e.g. the matching index)
    derived: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.items})

    def title_for(self, area: str | None) -> str:
        """The title as printed for a unit of `area` ("Thị xã Kỳ Anh"): a template issued
        for one district and used across its province names the unit's own district."""
        if not self.title_area or not area:
            return self.title
        written = area.upper() if self.title_area.isupper() else area
        return self.title.replace(self.title_area, written)

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def children(self, item_id: str) -> list[Item]:
        return [i for i in self.items if i.parent == item_id]

    def depth(self, item: Item) -> int:
        """How many items `item` sits under: 0 for a top section ("I"), 1 for its items…"""
        depth, parent = 0, item.parent
        while parent is not None and depth < 10:
            depth += 1
            above = self.item(parent)
            parent = above.parent if above else None
        return depth


@dataclass(frozen=True)
class Catalog:
    concepts: dict[str, Concept]
    forms: tuple[Form, ...]

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)


@dataclass(frozen=True)
class Problem:
    """A catalog problem: where (file, item) and a code with parameters."""

    path: str
    code: str
    item: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        text = _PROBLEM_TEXT.get(self.code, self.code).format(**self.params)
        where = f"{self.path}" + (f", mục {self.item}" if self.item else "")
        return f"{where}: {text}"


_PROBLEM_TEXT = {
    "yaml-invalid": "tệp YAML không đọc được: {detail}",
    "file-missing": "không có tệp này",
    "field-missing": "thiếu trường bắt buộc '{field}'",
    "field-invalid": "trường '{field}' có giá trị không hợp lệ: {value!r}",
    "duplicate-id": "mã mục '{id}' bị trùng",
    "parent-missing": "mục cha '{parent}' không tồn tại",
    "reference-missing": "trường '{field}' trỏ tới mục '{ref}' không tồn tại",
    "concept-missing": "khái niệm '{concept}' không có trong concepts.yaml",
    "rule-invalid": "quy tắc '{rule}' không hợp lệ: {detail}",
    "options-invalid": "mục kiểu mã hóa nhưng không đọc được các lựa chọn từ '{unit}'",
    "concept-kind": "khái niệm '{concept}' thuộc loại {kind} nhưng mục có kiểu {type}",
    "relation-invalid": "trường '{field}' không dùng được ở đây: {detail}",
}


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        return (str(value),)
    return tuple(str(v) for v in value)


def _parse_date(value: Any) -> date | None:
    """An ISO date; raises ValueError with the bad text (reported as field-invalid)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _Invalid(Exception):
    def __init__(self, field: str, value: Any) -> None:
        super().__init__(field)
        self.field = field
        self.value = value


def _text(spec: dict[str, Any], field: str, default: str = "") -> str:
    """A field that must be written as text: YAML turns an unquoted 1.10 into 1.1."""
    value = spec.get(field, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _Invalid(field, value)
    return value


def _ids(spec: dict[str, Any], field: str) -> tuple[str, ...]:
    value = spec.get(field)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise _Invalid(field, value)
    return tuple(items)


def default_id(code: str) -> str:
    return re.sub(r"\s+", "", str(code)).rstrip(".")


def load_concepts(path: Path) -> tuple[dict[str, Concept], list[Problem]]:
    import yaml

    from cchc.catalog_cache import load_yaml

    problems: list[Problem] = []
    if not path.is_file():
        return {}, [Problem(str(path), "file-missing")]
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return {}, [Problem(str(path), "yaml-invalid", params={"detail": str(exc)})]
    concepts: dict[str, Concept] = {}
    for key, spec in (data.get("concepts") or {}).items():
        spec = spec or {}
        kind = spec.get("kind", "count")
        parts = spec.get("numerator") and spec.get("denominator")
        # a rate is recomputed from its parts; one without parts cannot be (concepts.yaml)
        rollup = spec.get("rollup", ("recompute" if parts else "none") if kind == "rate" else
                          "count_codes" if kind == "coded" else
                          "none" if kind == "text" else "sum")
        if rollup == "recompute" and not parts:
            problems.append(Problem(str(path), "field-invalid", key,
                                    {"field": "rollup", "value": "recompute (không có tử số, "
                                     "mẫu số)"}))
        if kind not in CONCEPT_KINDS:
            problems.append(Problem(str(path), "field-invalid", key,
                                    {"field": "kind", "value": kind}))
        if rollup not in ROLLUPS:
            problems.append(Problem(str(path), "field-invalid", key,
                                    {"field": "rollup", "value": rollup}))
        if "label" not in spec:
            problems.append(Problem(str(path), "field-missing", key, {"field": "label"}))
        concepts[key] = Concept(key=key, label=spec.get("label", key), kind=kind,
                                unit=spec.get("unit", ""), rollup=rollup,
                                numerator=spec.get("numerator"),
                                denominator=spec.get("denominator"),
                                counts_units=spec.get("counts_units"))
    for c in concepts.values():
        for fld in ("numerator", "denominator"):
            ref = getattr(c, fld)
            if ref is not None and ref not in concepts:
                problems.append(Problem(str(path), "concept-missing", c.key, {"concept": ref}))
    return concepts, problems


def load_form(path: Path, concepts: dict[str, Concept]) -> tuple[Form | None, list[Problem]]:
    import yaml

    from cchc.catalog_cache import load_yaml

    p = str(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return None, [Problem(p, "yaml-invalid", params={"detail": str(exc)})]
    problems: list[Problem] = []
    for fld in ("id", "title", "levels", "items"):
        if fld not in data:
            problems.append(Problem(p, "field-missing", params={"field": fld}))
    if problems:
        return None, problems
    form_levels = _as_tuple(data["levels"])
    for lv in form_levels:
        if lv not in LEVELS:
            problems.append(Problem(p, "field-invalid", params={"field": "levels", "value": lv}))

    items: list[Item] = []
    seen: set[str] = set()
    stack: list[tuple[int, str]] = []  # (depth, id) for parent inference from `depth`
    for n, spec in enumerate(data["items"] or [], start=1):
        where = f"#{n}"
        try:
            if not isinstance(spec, dict):
                raise _Invalid("items", spec)
            item, depth = _item(spec, form_levels, concepts, problems, p)
        except _Invalid as exc:
            problems.append(Problem(p, "field-invalid", str(spec.get("id") or spec.get("code")
                                                             or where)
                                    if isinstance(spec, dict) else where,
                                    {"field": exc.field, "value": exc.value}))
            continue
        if item.id in seen:
            problems.append(Problem(p, "duplicate-id", item.id, {"id": item.id}))
        seen.add(item.id)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if item.parent is None and "parent" not in spec and stack:
            item = replace(item, parent=stack[-1][1])
        stack.append((depth, item.id))
        items.append(item)
    ids = {i.id for i in items}
    for item in items:
        for lv in item.levels:
            if lv not in LEVELS:
                problems.append(Problem(p, "field-invalid", item.id,
                                        {"field": "levels", "value": lv}))
        if item.parent is not None and item.parent not in ids:
            problems.append(Problem(p, "parent-missing", item.id, {"parent": item.parent}))
        refs: list[tuple[str, Iterable[str]]] = [
            ("sum_of", item.sum_of), ("rate", item.rate or ()), ("part_of", item.part_of),
            ("plan", (item.plan,) if item.plan else ()), ("exclusive", item.exclusive),
            ("shares", item.shares), ("subset_of", item.subset_of),
            ("same_as", (item.same_as,) if item.same_as else ()),
            ("accounted_by", item.accounted_by), ("total_of", item.total_of)]
        for fld, targets in refs:
            for ref in targets:
                if ref not in ids:
                    problems.append(Problem(p, "reference-missing", item.id,
                                            {"field": fld, "ref": ref}))
    by_id = {i.id: i for i in items}
    for item in items:
        for fld, detail in _relation_problems(item, by_id):
            problems.append(Problem(p, "relation-invalid", item.id,
                                    {"field": fld, "detail": detail}))
    rules: list[FormRule] = []
    rule_ids: set[str] = set()
    for n, spec in enumerate(data.get("rules") or [], start=1):
        if not isinstance(spec, dict):
            problems.append(Problem(p, "field-invalid", f"rule #{n}",
                                    {"field": "rules", "value": spec}))
            continue
        rule_id = str(spec.get("id", f"rule-{n}"))
        if rule_id in rule_ids:
            problems.append(Problem(p, "duplicate-id", rule_id, {"id": rule_id}))
        rule_ids.add(rule_id)
        try:
            compiled = compile_rule(str(spec.get("expr", "")))
        except RuleError as exc:
            problems.append(Problem(p, "rule-invalid", params={"rule": rule_id,
                                                               "detail": str(exc)}))
            continue
        for ref in compiled.refs:
            if ref not in ids:
                problems.append(Problem(p, "reference-missing", rule_id,
                                        {"field": "expr", "ref": ref}))
        severity = spec.get("severity", "warning")
        if severity not in ("error", "warning", "info"):
            problems.append(Problem(p, "field-invalid", rule_id,
                                    {"field": "severity", "value": severity}))
        rules.append(FormRule(id=rule_id, rule=compiled,
                              finding=spec.get("finding", "rule-violated"),
                              severity=severity, message=str(spec.get("message", ""))))
    dates: dict[str, date | None] = {}
    for fld in ("effective_from", "effective_to"):
        try:
            dates[fld] = _parse_date(data.get(fld))
        except ValueError:
            problems.append(Problem(p, "field-invalid", params={"field": fld,
                                                                "value": data.get(fld)}))
            dates[fld] = None
    form = Form(
        id=str(data["id"]), title=str(data["title"]), issuer=str(data.get("issuer", "")),
        province=str(data.get("province", "")), levels=form_levels,
        effective_from=dates["effective_from"], effective_to=dates["effective_to"],
        columns=_as_tuple(data.get("columns")) or ("code", "label", "unit", "value", "note"),
        keywords=_as_tuple(data.get("keywords")), items=tuple(items), rules=tuple(rules),
        path=p, title_area=str(data.get("title_area") or ""),
    )
    if form.title_area and form.title_area not in form.title:
        problems.append(Problem(p, "field-invalid", params={"field": "title_area",
                                                            "value": form.title_area}))
    return form, problems


def _item(spec: dict[str, Any], form_levels: tuple[str, ...], concepts: dict[str, Concept],
          problems: list[Problem], p: str) -> tuple[Item, int]:
    code = _text(spec, "code")
    item_id = _text(spec, "id") or default_id(code)
    if not item_id:
        raise _Invalid("id", None)
    if "label" not in spec:
        problems.append(Problem(p, "field-missing", item_id, {"field": "label"}))
    unit = _text(spec, "unit")
    vtype = spec.get("type") or _infer_type(unit)
    if vtype not in VALUE_TYPES:
        raise _Invalid("type", vtype)
    options: tuple[tuple[int, str], ...] = ()
    if vtype == "coded":
        raw_opts = spec.get("options")
        if isinstance(raw_opts, dict):
            try:
                options = tuple(sorted((int(k), str(v)) for k, v in raw_opts.items()))
            except (TypeError, ValueError) as exc:
                raise _Invalid("options", raw_opts) from exc
        else:
            options = parse_options(unit)
        if len(options) < 2:
            problems.append(Problem(p, "options-invalid", item_id, {"unit": unit}))
    depth_raw = spec.get("depth", _code_depth(item_id))
    if not isinstance(depth_raw, int) or depth_raw < 1:
        raise _Invalid("depth", depth_raw)
    rate = _ids(spec, "rate")
    if rate and len(rate) != 2:
        raise _Invalid("rate", spec.get("rate"))
    levels = _ids(spec, "levels")
    if "levels" in spec and not levels:
        raise _Invalid("levels", spec.get("levels"))
    concept = spec.get("concept")
    if concept is not None and not isinstance(concept, str):
        raise _Invalid("concept", concept)
    if concept is not None and concept not in concepts:
        problems.append(Problem(p, "concept-missing", item_id, {"concept": concept}))
    elif concept is not None and not _kind_fits(concepts[concept].kind, vtype):
        problems.append(Problem(p, "concept-kind", item_id, {
            "concept": concept, "kind": concepts[concept].kind, "type": vtype}))
    parent = _text(spec, "parent") or None
    plan = _text(spec, "plan") or None
    item = Item(
        id=item_id, code=code, label=str(spec.get("label", "")), unit=unit, type=vtype,
        parent=parent, concept=concept, levels=levels or form_levels, options=options,
        sum_of=_ids(spec, "sum_of"), rate=(rate[0], rate[1]) if rate else None,
        part_of=_ids(spec, "part_of"), plan=plan, exclusive=_ids(spec, "exclusive"),
        aliases=_ids(spec, "aliases"), shares=_ids(spec, "shares"),
        subset_of=_ids(spec, "subset_of"), same_as=_text(spec, "same_as") or None,
        accounted_by=_ids(spec, "accounted_by"), total_of=_ids(spec, "total_of"))
    return item, depth_raw


_NUMBER_TYPES = ("count", "decimal")


def _relation_problems(item: Item, by_id: dict[str, Item]) -> list[tuple[str, str]]:
    """What is wrong with the relations added after the first forms (shares, subset_of,
    same_as, accounted_by, total_of), as (field, Vietnamese detail); references to missing
    items are reported separately."""
    out: list[tuple[str, str]] = []
    lists = (("shares", item.shares), ("subset_of", item.subset_of),
             ("accounted_by", item.accounted_by), ("total_of", item.total_of))
    for fld, targets in lists:
        if not targets:
            continue
        if item.id in targets:
            out.append((fld, "mục không thể là một phần của chính nó"))
        if len(set(targets)) != len(targets):
            out.append((fld, "một mục được kể hai lần"))
        if len(targets) < 2:
            hint = {"shares": "cần ít nhất hai tỷ lệ", "subset_of": "cần ít nhất hai mục "
                    "(với một mục, dùng part_of)", "accounted_by": "cần ít nhất hai mục "
                    "(với một mục, dùng part_of hoặc same_as)",
                    "total_of": "cần ít nhất hai mục (với một mục, dùng same_as)"}[fld]
            out.append((fld, hint))
        known = [by_id[t] for t in targets if t in by_id]
        if fld == "shares":
            wrong = [t.id for t in known if t.type != "rate"]
            if wrong:
                out.append((fld, "các mục phải là tỷ lệ (%): " + ", ".join(wrong)))
        elif fld == "total_of":
            if item.type != "section":
                out.append((fld, "total_of dành cho dòng tiêu đề; dòng có số liệu dùng sum_of"))
            wrong = [t.id for t in known if t.type not in (*_NUMBER_TYPES, "section")]
            if wrong:
                out.append((fld, "các mục phải là số lượng hoặc tiêu đề: " + ", ".join(wrong)))
        else:
            wrong = [t.id for t in known if t.type not in _NUMBER_TYPES]
            if wrong:
                out.append((fld, "các mục phải là số lượng: " + ", ".join(wrong)))
            if item.type not in (*_NUMBER_TYPES, "section"):
                out.append((fld, f"mục có kiểu {item.type}, không phải số lượng"))
    if item.same_as is not None:
        other = by_id.get(item.same_as)
        if item.same_as == item.id:
            out.append(("same_as", "mục không thể trùng với chính nó"))
        elif item.type in ("text", "coded"):
            out.append(("same_as", f"mục có kiểu {item.type}, không có số liệu để so sánh"))
        elif other is not None and (other.type == "rate") != (item.type == "rate"):
            out.append(("same_as", f"một tỷ lệ và một số lượng không thể là cùng một số "
                                   f"liệu ({item.id}: {item.type}, {other.id}: {other.type})"))
        elif other is not None and other.type in ("section", "text", "coded"):
            out.append(("same_as", f"mục {other.id} có kiểu {other.type}, không có số liệu "
                                   "để so sánh"))
    return out


def _kind_fits(concept_kind: str, item_type: str) -> bool:
    if item_type == "section":
        return True
    if concept_kind == item_type:
        return True
    return {concept_kind, item_type} <= {"count", "decimal"}


def _code_depth(item_id: str) -> int:
    return item_id.count(".") + 1


def _infer_type(unit: str) -> str:
    kind = classify(unit).kind
    return {"percent": "rate", "coded": "coded", "money": "decimal", "count": "count",
            "none": "section"}[kind]


def catalog_dir() -> Path:
    """The catalog in use: the folder named by CCHC_CATALOG_DIR, else the shipped one."""
    chosen = os.environ.get(CATALOG_ENV, "").strip()
    return Path(chosen) if chosen else CATALOG_DIR


def check_catalog(directory: Path | None = None) -> tuple[Catalog, list[Problem]]:
    directory = directory or catalog_dir()
    concepts, problems = load_concepts(directory / "concepts.yaml")
    forms: list[Form] = []
    seen: set[str] = set()
    for path in sorted((directory / "forms").glob("*.yaml")):
        form, form_problems = load_form(path, concepts)
        problems.extend(form_problems)
        if form is not None:
            if form.id in seen:
                problems.append(Problem(str(path), "duplicate-id", params={"id": form.id}))
            seen.add(form.id)
            forms.append(form)
    return Catalog(concepts=concepts, forms=tuple(forms)), problems


def load_catalog(directory: Path | None = None) -> Catalog:
    """The catalog (by default the one in use, see `catalog_dir`), read once per folder;
    raises ValueError listing every problem when it is not valid."""
    return _load_catalog(directory or catalog_dir())


@cache
def _load_catalog(directory: Path) -> Catalog:
    from cchc.catalog_cache import cached  # the catalog as the last process loaded it

    return cached(directory, _checked_catalog)


def _checked_catalog(directory: Path) -> Catalog:
    catalog, problems = check_catalog(directory)
    if problems:
        raise ValueError("\n".join(pr.message() for pr in problems))
    return catalog
