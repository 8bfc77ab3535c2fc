"""The narrative drafted from an aggregate: sentences written from the figures.

For a district's or a province's aggregate, each section of the report outline (I … V) gets
sentences such as "Bộ phận Một cửa cấp xã tiếp nhận 12.653 hồ sơ TTHC, đã giải quyết xong
12.641 hồ sơ …". What is said about which concept is data, `cchc/data/draft.yaml`
(docs/draft.md); this module fills it in. The rules (each is tested in tests/test_draft.py):

- Every number in the text is a figure of the aggregate (a total, the counts of a coded
  answer, a coverage count) or a rate recomputed from totals it holds; the text of the
  phrases file holds no digit of its own.
- A missing figure leaves its clause out, and a sentence with no figure left is left out;
  a figure of 0 is stated as 0 (missing is not zero).
- The coverage sentence is always there: how many units reported, how many late, which
  ones have not reported (named when they are few).
- Sections III–V (assessment, directions, proposals) are judgement, not figures: they get
  a one-line note asking the officer to write them.
- A total that fewer units gave than sent a report says so: "(số liệu của 7/9 xã)".
- A rate is the aggregate's; one that no form carries is recomputed from the totals of its
  parts only when the same units gave both parts.
- What `cchc.narrative.extract_facts` reads from the draft is exactly what the draft states
  (`Draft.stated`), concept by concept: the core reads its own drafts back (`read_back`
  lists what it does not, for an office that edits the phrases).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cchc.aggregate import Aggregate, ConceptTotal, concept_level
from cchc.catalog import Catalog
from cchc.catalog_cache import load_yaml
from cchc.numbers import format_number, format_percent
from cchc.orgtree import Unit
from cchc.render.document import SECTION_WORDS, Section
from cchc.units import parse_options

PHRASES_PATH = Path(__file__).parent / "data" / "draft.yaml"
SECTIONS = ("I", "II", "III", "IV", "V")
_SLOT = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+):([n%])\}")
_WORD = re.compile(r"\{(area|children)\}")
_COVERAGE_SLOT = re.compile(r"\{(reported|expected|late|missing|names|children|area)\}")


# ------------------------------------------------------------------ the phrases file


@dataclass(frozen=True)
class Slot:
    concept: str
    form: str  # "n": a number ("12.653"); "%": a rate ("97,74%")


@dataclass(frozen=True)
class Clause:
    text: str
    slots: tuple[Slot, ...]
    requires: tuple[str, ...] = ()  # stated only when these figures are stated too
    absent: tuple[str, ...] = ()  # stated only when these figures are missing
    first: str = ""  # the words to use when no clause comes before it ("có tỷ lệ …")


@dataclass(frozen=True)
class Sentence:
    id: str
    section: str  # "I", "II.1" … "II.6"
    lead: str
    clauses: tuple[Clause, ...] = ()
    own_only: bool = False  # only figures of the unit's own report
    coded: str | None = None  # a coded concept, written as counts of units per answer
    answers: tuple[tuple[int, str], ...] = ()  # (code, words), in the order written


@dataclass(frozen=True)
class Phrases:
    names: tuple[tuple[str, str], ...]  # (first words of a unit's name, word in text)
    levels: Mapping[str, str]  # level → word ("commune" → "xã")
    area: str  # "toàn {word}"
    areas: Mapping[str, str]  # level → area word for units that are not an area
    mixed: str  # the word for units below of several levels
    max_names: int
    coverage: Mapping[str, str]
    partial: str
    empty: str
    parts: tuple[tuple[str, str], ...]  # parts of section II: ("1", "Cải cách thể chế")
    notes: Mapping[str, str]  # section → the note written instead of figures
    sentences: tuple[Sentence, ...]
    path: str = ""


class PhrasesError(ValueError):
    """The phrases file cannot be used (its problems, one per line)."""


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where}: cần một danh sách mã khái niệm, không phải {value!r}")
    return ()


def _text(value: Any, where: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: cần một đoạn chữ, không phải {value!r}")
        return ""
    return value


def _own_text(text: str, where: str, problems: list[str], words: re.Pattern[str]) -> None:
    """The words around the slots: no digit (every number comes from the data), no brace
    left over from a slot written wrongly."""
    rest = words.sub("", _SLOT.sub("", text))
    if re.search(r"\d", rest):
        problems.append(f"{where}: chữ số ngoài ô số liệu ({text!r}); mọi con số phải lấy "
                        "từ số liệu")
    if "{" in rest or "}" in rest:
        problems.append(f"{where}: ô không hợp lệ trong {text!r} (viết {{khái.niệm:n}}, "
                        "{khái.niệm:%}, {area} hoặc {children})")


def _clause(spec: Any, where: str, problems: list[str]) -> Clause | None:
    if isinstance(spec, str):
        spec = {"text": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("text"), str):
        problems.append(f"{where}: mỗi vế câu là một đoạn chữ hoặc có trường 'text'")
        return None
    text = spec["text"]
    _own_text(text, where, problems, _WORD)
    slots = tuple(Slot(m.group(1), m.group(2)) for m in _SLOT.finditer(text))
    if not slots:
        problems.append(f"{where}: vế câu không có ô số liệu nào ({text!r})")
    first = _text(spec.get("first"), where, problems)
    if first:
        _own_text(first, f"{where}, first", problems, _WORD)
        if tuple(Slot(m.group(1), m.group(2)) for m in _SLOT.finditer(first)) != slots:
            problems.append(f"{where}: 'first' phải có đúng các ô số liệu của 'text'")
    return Clause(text=text, slots=slots,
                  requires=_strings(spec.get("requires"), where, problems),
                  absent=_strings(spec.get("absent"), where, problems), first=first)


def _sentence(spec: Any, n: int, parts: set[str], problems: list[str]) -> Sentence | None:
    if not isinstance(spec, dict):
        problems.append(f"câu #{n}: cần các trường id, section, lead, clauses")
        return None
    sid = str(spec.get("id") or f"#{n}")
    where = f"câu {sid}"
    section = str(spec.get("section", ""))
    if section not in ("I", *(f"II.{p}" for p in parts)):
        problems.append(f"{where}: mục {section!r} không có (I, II.1 … II.{len(parts)})")
    lead = _text(spec.get("lead"), where, problems)
    _own_text(lead, f"{where}, lead", problems, _WORD)
    if _SLOT.search(lead):
        problems.append(f"{where}: phần mở đầu (lead) không chứa số liệu")
    coded = spec.get("coded")
    if coded is not None:
        raw = spec.get("answers")
        if not isinstance(raw, dict) or not raw:
            problems.append(f"{where}: câu mã hóa cần 'answers' (mã → lời)")
            raw = {}
        answers: list[tuple[int, str]] = []
        for code, words in raw.items():
            if not isinstance(code, int) or not isinstance(words, str):
                problems.append(f"{where}: đáp án {code!r}: {words!r} không hợp lệ")
                continue
            _own_text(words, f"{where}, đáp án {code}", problems, _WORD)
            answers.append((code, words))
        if spec.get("clauses"):
            problems.append(f"{where}: câu mã hóa không có 'clauses'")
        return Sentence(sid, section, lead, coded=str(coded), answers=tuple(answers))
    raw_clauses = spec.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        problems.append(f"{where}: cần ít nhất một vế câu (clauses)")
        raw_clauses = []
    clauses = [_clause(c, f"{where}, vế {k}", problems)
               for k, c in enumerate(raw_clauses, start=1)]
    return Sentence(sid, section, lead, tuple(c for c in clauses if c is not None),
                    own_only=bool(spec.get("own_only", False)))


def parse_phrases(data: Any, path: str = "") -> Phrases:
    """The phrases from the parsed YAML; raises PhrasesError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PhrasesError(f"{path}: tệp câu mẫu phải là một bảng YAML")
    words = data.get("words") or {}
    names = tuple((str(k), str(v)) for k, v in (words.get("names") or {}).items())
    levels = {str(k): str(v) for k, v in (words.get("levels") or {}).items()}
    for level in ("province", "department", "district", "commune", "service_unit"):
        if level not in levels:
            problems.append(f"words.levels: thiếu từ cho cấp {level}")
    area = _text(words.get("area"), "words.area", problems)
    if "{word}" not in area:
        problems.append("words.area: cần {word} (ví dụ 'toàn {word}')")
    max_names = words.get("max_names", 5)
    if not isinstance(max_names, int) or max_names < 0:
        problems.append(f"words.max_names: cần một số nguyên không âm, không phải {max_names!r}")
        max_names = 0
    coverage = {str(k): str(v) for k, v in (data.get("coverage") or {}).items()}
    for key in ("reported", "late", "missing", "names", "nobody"):
        if key not in coverage:
            problems.append(f"coverage: thiếu câu '{key}'")
    for key, text in coverage.items():
        _own_text(text, f"coverage.{key}", problems, _COVERAGE_SLOT)
    partial = _text(data.get("partial"), "partial", problems)
    empty = _text(data.get("empty"), "empty", problems)
    _own_text(partial, "partial", problems, _COVERAGE_SLOT)
    parts = tuple((str(k), str(v)) for k, v in (data.get("parts") or {}).items())
    notes = {str(k): str(v) for k, v in (data.get("notes") or {}).items()}
    for key, text in notes.items():
        if key not in SECTIONS:
            problems.append(f"notes: mục {key!r} không có")
        _own_text(text, f"notes.{key}", problems, _WORD)
    part_ids = {p for p, _ in parts}
    sentences = [_sentence(s, n, part_ids, problems)
                 for n, s in enumerate(data.get("sentences") or [], start=1)]
    seen: set[str] = set()
    for s in sentences:
        if s is not None:
            if s.id in seen:
                problems.append(f"câu {s.id}: trùng mã câu")
            seen.add(s.id)
    if problems:
        raise PhrasesError("\n".join(f"{path}: {p}" if path else p for p in problems))
    return Phrases(
        names=names, levels=levels, area=area,
        areas={str(k): str(v) for k, v in (words.get("areas") or {}).items()},
        mixed=str(words.get("mixed", "")), max_names=max_names, coverage=coverage,
        partial=partial, empty=empty, parts=parts,
        notes=notes, sentences=tuple(s for s in sentences if s is not None), path=path)


def load_phrases(path: Path | None = None) -> Phrases:
    """The phrases file (by default the shipped `cchc/data/draft.yaml`), read once."""
    return _load_phrases(path or PHRASES_PATH)


@cache
def _load_phrases(path: Path) -> Phrases:
    import yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PhrasesError(f"{path}: không đọc được tệp câu mẫu: {exc}") from exc
    return parse_phrases(data, str(path))


def check_phrases(phrases: Phrases, catalog: Catalog) -> list[str]:
    """What in the phrases does not fit the catalog: unknown concepts, a slot whose format
    does not fit the concept's kind, a concept that is never aggregated, coded answers
    that are not the concept's options. Empty when every sentence can be drafted."""
    problems: list[str] = []
    for s in phrases.sentences:
        where = f"câu {s.id}"
        if s.coded is not None:
            concept = catalog.concepts.get(s.coded)
            if concept is None:
                problems.append(f"{where}: khái niệm {s.coded!r} không có trong danh mục")
                continue
            if concept.kind != "coded":
                problems.append(f"{where}: {s.coded} không phải chỉ tiêu mã hóa")
                continue
            options = {code for code, _ in parse_options(concept.unit)}
            given = {code for code, _ in s.answers}
            if options and given != options:
                problems.append(f"{where}: đáp án {sorted(given)} khác các mã của "
                                f"{s.coded} ({sorted(options)})")
            continue
        for clause in s.clauses:
            for key in (*(slot.concept for slot in clause.slots), *clause.requires,
                        *clause.absent):
                if key not in catalog.concepts:
                    problems.append(f"{where}: khái niệm {key!r} không có trong danh mục")
            for slot in clause.slots:
                concept = catalog.concepts.get(slot.concept)
                if concept is None:
                    continue
                wanted = ("rate",) if slot.form == "%" else ("count", "decimal")
                if concept.kind not in wanted:
                    problems.append(f"{where}: ô {{{slot.concept}:{slot.form}}} không hợp "
                                    f"với loại {concept.kind}")
                elif concept.rollup == "none":
                    problems.append(f"{where}: {slot.concept} không được tổng hợp "
                                    "(rollup: none), câu này không bao giờ có số liệu")
    return problems


# ------------------------------------------------------------------ coverage


@dataclass(frozen=True)
class Coverage:
    """Who the figures come from, as the coverage sentence says it."""

    expected: int  # units that should have reported
    reported: int  # of them, those whose report counts
    late: int  # of those, reported after the deadline
    missing: int  # expected units without a report that counts
    children: str  # the word for the units below: "xã", "xã, thị trấn", "cơ quan, đơn vị"
    area: str  # the area word of the unit: "toàn huyện", "toàn tỉnh", "toàn xã"
    missing_names: tuple[str, ...] = ()  # as written in running text: "xã Cẩm Hà"


def _name_word(name: str, phrases: Phrases) -> tuple[str, str] | None:
    """(prefix, word) of a unit's name: 'Thị xã Kỳ Anh' → ('Thị xã', 'thị xã')."""
    low = name.strip().casefold()
    found = [(p, w) for p, w in phrases.names if low.startswith(p.casefold() + " ")]
    return max(found, key=lambda pw: len(pw[0])) if found else None


def unit_word(unit: Unit, phrases: Phrases | None = None) -> str:
    """The word for a unit in running text: 'Thị xã Kỳ Anh' → 'thị xã'; a department →
    'sở, ngành' (its level's word)."""
    phrases = phrases or load_phrases()
    found = _name_word(unit.name, phrases) if unit.kind != "department" else None
    return found[1] if found else phrases.levels.get(unit.kind, phrases.mixed)


def area_word(unit: Unit, phrases: Phrases | None = None) -> str:
    """'toàn huyện' for Huyện Cẩm Xuyên, 'toàn thị xã' for Thị xã Kỳ Anh, 'toàn tỉnh',
    'toàn xã'; a department or a service unit: 'toàn ngành', 'toàn đơn vị'."""
    phrases = phrases or load_phrases()
    if unit.kind in phrases.areas:
        return phrases.areas[unit.kind]
    return phrases.area.replace("{word}", unit_word(unit, phrases))


def children_word(units: Sequence[Unit], phrases: Phrases | None = None) -> str:
    """The word for a set of units: 'xã', 'xã, thị trấn', 'huyện, thị xã'; units of
    several levels: 'cơ quan, đơn vị'."""
    phrases = phrases or load_phrases()
    if len({u.kind for u in units}) != 1:
        return phrases.mixed
    words = {unit_word(u, phrases) for u in units}
    order = [w for _, w in phrases.names] + sorted(phrases.levels.values())
    return ", ".join(sorted(words, key=lambda w: order.index(w) if w in order else len(order)))


def running_name(name: str, phrases: Phrases | None = None) -> str:
    """A unit's name inside a sentence: 'Xã Cẩm Hà' → 'xã Cẩm Hà'."""
    phrases = phrases or load_phrases()
    name = name.strip()
    found = _name_word(name, phrases)
    return found[1] + name[len(found[0]):] if found else name


def coverage_of(result: Aggregate, late: Iterable[str] = (),
                phrases: Phrases | None = None) -> Coverage:
    """The coverage of an aggregate; `late`: codes of the units whose report came after
    the deadline (the caller knows the deadline and the submission dates)."""
    phrases = phrases or load_phrases()
    reported = set(result.reported)
    missing = result.missing
    return Coverage(
        expected=len(result.expected), reported=len(reported),
        late=len(reported & set(late)), missing=len(missing),
        children=children_word(result.expected, phrases),
        area=area_word(result.unit, phrases),
        missing_names=tuple(running_name(u.name, phrases) for u in missing))


# ------------------------------------------------------------------ drafting


@dataclass(frozen=True)
class Stated:
    """A figure the draft states: a concept's total or rate, in section `section`."""

    section: str
    concept: str
    value: float


@dataclass(frozen=True)
class Draft:
    sections: tuple[Section, ...]
    stated: tuple[Stated, ...]  # every figure of a concept the text states, in order


def draft_sections(result: Aggregate, catalog: Catalog, coverage: Coverage,
                   phrases: Phrases | None = None) -> tuple[Section, ...]:
    """Sections I … V of the narrative, drafted from the aggregate's figures."""
    return draft(result, catalog, coverage, phrases).sections


def draft(result: Aggregate, catalog: Catalog, coverage: Coverage,
          phrases: Phrases | None = None) -> Draft:
    """The drafted sections and the figures they state (see the module docstring)."""
    phrases = phrases or load_phrases()
    writer = _Writer(result, catalog, coverage, phrases)
    by_section: dict[str, list[str]] = {}
    for sentence in phrases.sentences:
        text = writer.sentence(sentence)
        if text:
            by_section.setdefault(sentence.section, []).append(text)
    sections: list[Section] = []
    for number in SECTIONS:
        paragraphs: list[str] = []
        if number == "I":
            paragraphs.append(writer.coverage_sentence())
            paragraphs += by_section.get("I", [])
        elif number == "II":
            for part, title in phrases.parts:
                paragraphs.append(f"{part}. {title}")
                paragraphs += by_section.get(f"II.{part}", []) or [phrases.empty]
        elif number in phrases.notes:
            paragraphs.append(phrases.notes[number])
        sections.append(Section(number, SECTION_WORDS[number], tuple(paragraphs)))
    return Draft(tuple(sections), tuple(writer.stated))


def read_back(d: Draft, own_level: str | None) -> list[str]:
    """What the core does not read back from a draft as the draft states it: figures it
    misses and figures it reads that the draft does not state (empty when they agree)."""
    from collections import Counter

    from cchc.model import Paragraph, Source
    from cchc.narrative import extract_facts

    texts = [p for s in d.sections for p in s.paragraphs]
    facts = extract_facts([Paragraph(t, Source(paragraph=n)) for n, t in enumerate(texts)],
                          own_level)
    read = Counter((f.concept, round(f.value, 6)) for f in facts)
    said = Counter((s.concept, round(s.value, 6)) for s in d.stated)
    return ([f"không đọc lại được: {k} = {format_number(v)}" for k, v in said - read] +
            [f"đọc thừa: {k} = {format_number(v)}" for k, v in read - said])


def _sentence_case(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:]


class _Writer:
    def __init__(self, result: Aggregate, catalog: Catalog, coverage: Coverage,
                 phrases: Phrases) -> None:
        self.result, self.catalog, self.coverage, self.phrases = (result, catalog, coverage,
                                                                  phrases)
        self.stated: list[Stated] = []
        # how many of the units a figure can come from sent a report, by the level the
        # figure is about (None: the units below, whatever their level)
        sent = [u for u in result.expected if u.code in set(result.reported)]
        self.sent: dict[str | None, int] = {None: len(sent)}
        for u in sent:
            self.sent[u.kind] = self.sent.get(u.kind, 0) + 1

    # -------------------------------------------------------------- figures

    def _total(self, key: str, own_only: bool) -> ConceptTotal | None:
        total = self.result.concepts.get(key)
        if total is None or (own_only and total.source != "own"):
            return None
        return total

    def number(self, key: str, own_only: bool = False) -> float | None:
        total = self._total(key, own_only)
        return total.value if total is not None and total.rollup == "sum" else None

    def rate(self, key: str, own_only: bool = False) -> float | None:
        """The aggregate's rate; where it has none (no form of the units carries the rate
        row), the rate of the summed parts, when the same units gave both parts: parts
        from different units make no rate. 0/0 ("không phát sinh") is no rate."""
        total = self.result.concepts.get(key)
        if total is not None and total.rollup == "recompute" and total.reported:
            return None if own_only and total.source != "own" else total.value
        concept = self.catalog.concepts.get(key)
        if concept is None or concept.rollup != "recompute" or not (
                concept.numerator and concept.denominator):
            return None
        parts = [self._total(k, own_only) for k in (concept.numerator, concept.denominator)]
        num, den = (self.number(k, own_only) for k in (concept.numerator,
                                                       concept.denominator))
        if num is None or den is None or den <= 0:
            return None
        givers = [{u.code for u in t.units} if t is not None else set() for t in parts]
        if not givers[0] or givers[0] != givers[1]:
            return None
        return round(100.0 * num / den, 2)

    def figure(self, slot: Slot, own_only: bool) -> float | None:
        return (self.rate(slot.concept, own_only) if slot.form == "%"
                else self.number(slot.concept, own_only))

    def present(self, key: str, own_only: bool) -> bool:
        concept = self.catalog.concepts.get(key)
        if concept is not None and concept.kind == "rate":
            return self.rate(key, own_only) is not None
        return self.number(key, own_only) is not None

    # -------------------------------------------------------------- words

    def level_word(self, key: str) -> str:
        level = concept_level(key)
        return self.phrases.levels.get(level, self.coverage.children) if level else \
            self.coverage.children

    def words(self, text: str) -> str:
        return _WORD.sub(lambda m: self.coverage.area if m.group(1) == "area"
                         else self.coverage.children, text)

    # -------------------------------------------------------------- sentences

    def sentence(self, s: Sentence) -> str:
        if s.coded is not None:
            return self.coded(s)
        parts: list[tuple[str, tuple[int, int, str] | None]] = []  # (text, its coverage)
        stated: list[Stated] = []
        for clause in s.clauses:
            if not all(self.present(k, s.own_only) for k in clause.requires):
                continue
            if any(self.present(k, s.own_only) for k in clause.absent):
                continue
            values = [self.figure(slot, s.own_only) for slot in clause.slots]
            if any(v is None for v in values):
                continue
            text = clause.first if clause.first and not parts else clause.text
            share: tuple[int, int, str] | None = None
            for slot, value in zip(clause.slots, values, strict=True):
                assert value is not None
                written = format_percent(value) if slot.form == "%" else format_number(value)
                text = text.replace(f"{{{slot.concept}:{slot.form}}}", written, 1)
                stated.append(Stated(s.section, slot.concept, value))
                found = self.share(slot.concept)
                if found is not None:
                    share = found if share is None else min(share, found)
            parts.append((self.words(text), share))
        if not parts:
            return ""
        self.stated += stated
        # a partial coverage is said once after the run of clauses that share it
        said = [text + (self.partial(share) if n + 1 == len(parts) or
                        parts[n + 1][1] != share else "")
                for n, (text, share) in enumerate(parts)]
        return _sentence_case(f"{self.words(s.lead)} {', '.join(said)}") + "."

    def share(self, key: str) -> tuple[int, int, str] | None:
        """(units that gave it, units expected, their word) for a total that fewer units
        gave than sent a report: the coverage sentence does not tell its coverage."""
        total = self.result.concepts.get(key)
        if total is None or total.value is None or total.source == "own":
            return None
        sent = self.sent.get(concept_level(key), 0) or total.expected
        if not 0 < total.reported < min(sent, total.expected):
            return None
        return total.reported, total.expected, self.level_word(key)

    def partial(self, share: tuple[int, int, str] | None) -> str:
        """' (số liệu của 7/9 xã)' for a figure that not every unit gave; '' otherwise."""
        if share is None:
            return ""
        reported, expected, word = share
        return " " + self.phrases.partial.replace("{reported}", format_number(reported)).replace(
            "{expected}", format_number(expected)).replace("{children}", word)

    def coded(self, s: Sentence) -> str:
        """"7/9 xã đã ban hành …; 2 xã chưa ban hành …": the units per answer, in the order
        of the phrases file; answers nobody gave are not written."""
        assert s.coded is not None
        total = self.result.concepts.get(s.coded)
        if total is None or total.counts is None:
            return ""
        word = self.level_word(s.coded)
        parts: list[str] = []
        for code, words in s.answers:
            count = total.counts.get(code, 0)
            if count <= 0:
                continue
            share = (f"{format_number(count)}/{format_number(total.expected)}"
                     if not parts and total.expected else format_number(count))
            parts.append(f"{share} {word} {self.words(words)}")
        if not parts:
            return ""
        return _sentence_case(f"{self.words(s.lead)} {'; '.join(parts)}") + "."

    def coverage_sentence(self) -> str:
        c, texts = self.coverage, self.phrases.coverage

        def fill(template: str) -> str:
            names = ", ".join(c.missing_names)
            for key, value in (("reported", format_number(c.reported)),
                               ("expected", format_number(c.expected)),
                               ("late", format_number(c.late)),
                               ("missing", format_number(c.missing)),
                               ("children", c.children), ("area", c.area), ("names", names)):
                template = template.replace("{" + key + "}", value)
            return template

        if c.expected == 0:
            return _sentence_case(fill(texts["nobody"]))
        text = fill(texts["reported"])
        if c.late > 0:
            text += ", " + fill(texts["late"])
        if c.missing > 0:
            text += "; " + fill(texts["missing"])
            if c.missing_names and len(c.missing_names) <= self.phrases.max_names:
                text += " " + fill(texts["names"])
        return _sentence_case(text) + "."
