"""Checking recall on the seeds: how many of the careful reader's defects the checker finds.

    .venv/bin/python bench/recall.py            # the table, the misses, the findings to review
    .venv/bin/python bench/recall.py --json     # the same as JSON
    .venv/bin/python bench/recall.py --write    # also the section of docs/PERFORMANCE.md

The yardstick is tests/data/defects.yaml: every defect a careful CCHC reviewer finds in the
five seed reports (`defects:`), and the passages that look wrong but are right (`clean:`).
The checker (`cchc.api.check`) runs on each seed and its findings are matched against it.
This is a measurement, not a test: nothing here fails when recall is low.

Places
    A defect's rows are the appendix rows (as `cchc.api.read` reads them) named by
    `where.row` (printed codes), `where.label` (label quotes; {text, occurrence} takes the
    n-th row whose label contains the text) and `where.note` (note quotes). Its spans are
    the places in the seed text where its `where.narrative` and `where.note` quotes occur.
    `where.document` names the whole file: such a defect has no place.
    A finding's row is `finding.row`; its related rows are `finding.related`. Its spans are
    the texts it quotes: every string among its params, expected and actual values, and
    every "…"-quoted part of its message, cut at each ellipsis ("…", "..."), whose pieces of
    at least 12 characters occur in a line of the seed; each occurrence spans from its start to
    the end of the sentence it ends in (". ", "; ", "! ", "? " or the end of the line), so
    that a quote cut short still covers its sentence. Texts are compared after Unicode NFC,
    case folding, `**`/`<b>`/`<i>` markup removed and runs of white space made one space.
    A finding and a defect share a place when the finding's row — or, for a match by code,
    one of its related rows — is one of the defect's rows, or one of the finding's spans
    overlaps one of the defect's spans.

Catching
    A finding catches a defect of the same seed when either
    1. by code: its code is one of the defect's `codes`, and they share a place or one of
       the two has no place (a finding on no row that quotes nothing, such as
       missing-number; a defect of the whole file); or
    2. by family: its code is listed by no defect of the inventory (a check the inventory
       did not name — typically written after it), its family fits the defect's, they share
       a place, and its numbers agree: when the finding carries numeric expected/actual
       values, at least one of them is among the numbers written in the defect's `figures`
       (Vietnamese notation, "1.241" and "97,74"; equal within 0,01 or 0,01 %).
    Families fit by group: the inventory's value and relation are the appendix group,
    narrative-vs-appendix and narrative-arithmetic the narrative group, document and
    period the document group. A finding's family is its kind's `family` in
    `cchc.findings.KINDS`, put in groups by the words it contains: value, relation,
    appendix, table, levels → appendix; narrative → narrative; arithmetic → narrative and
    appendix; document, period, meta, identity → document (a family in none is reported).
    One finding may catch several defects and one defect be caught by several findings.

Counting
    recall        checkable defects caught / checkable defects (per seed and overall);
                  non-checkable defects caught are reported beside, not counted in it.
    false alarms  errors and warnings that catch no defect and point at a `clean:` entry:
                  their own row (not related rows) is one of its rows, or a span overlaps.
    for review    every finding that catches no defect, false alarms included, so that a
                  real defect missing from the inventory can be added to it.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
INVENTORY = ROOT / "tests" / "data" / "defects.yaml"
SEEDS = ROOT / "tests" / "data" / "seeds"
HEADING = "## Checking recall on the seeds (bench/recall.py)"
FAMILIES = ("value", "relation", "narrative-vs-appendix", "narrative-arithmetic", "document",
            "period")
GROUPS = {
    "appendix": {"value", "relation"},
    "narrative": {"narrative-vs-appendix", "narrative-arithmetic"},
    "document": {"document", "period"},
}
KIND_WORDS = {
    "value": {"appendix"}, "relation": {"appendix"}, "appendix": {"appendix"},
    "table": {"appendix"}, "levels": {"appendix"}, "narrative": {"narrative"},
    "arithmetic": {"narrative", "appendix"}, "document": {"document"}, "period": {"document"},
    "meta": {"document"}, "identity": {"document"},
}
WHERE_KEYS = ("row", "label", "note", "narrative", "document")
MIN_QUOTE = 12
_SENTENCE_END = re.compile(r"[.;!?](?=\s)")
_MARKUP = re.compile(r"\*\*|</?[bi]>|\\(?=\*)")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


# ---------------------------------------------------------------- text


def norm(text: str) -> str:
    """The form in which quotes are compared: NFC, case-folded, markup gone, spaces single."""
    text = _MARKUP.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split()).casefold()


def vn_numbers(text: str) -> list[float]:
    """The numbers of a text written the Vietnamese way: "1.241" = 1241, "97,74" = 97.74."""
    return [float(m.group().replace(".", "").replace(",", "."))
            for m in _NUMBER.finditer(text)]


@dataclass(frozen=True)
class Span:
    line: int  # 0-based line of the seed text
    start: int  # offsets in the normalised line
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.line == other.line and self.start < other.end and other.start < self.end


class SeedText:
    """The seed's lines, normalised, for locating quotes."""

    def __init__(self, text: str) -> None:
        self.raw_lines = text.splitlines()
        self.lines = [norm(line) for line in self.raw_lines]

    def find(self, quote: str) -> list[Span]:
        """Every occurrence of `quote`, exactly as quoted."""
        needle = norm(quote)
        spans: list[Span] = []
        if not needle:
            return spans
        for number, line in enumerate(self.lines):
            start = line.find(needle)
            while start >= 0:
                spans.append(Span(number, start, start + len(needle)))
                start = line.find(needle, start + 1)
        return spans

    def find_to_sentence_end(self, quote: str) -> list[Span]:
        """Every occurrence of `quote`, widened to the end of the sentence it ends in."""
        spans = []
        for span in self.find(quote):
            line = self.lines[span.line]
            stop = _SENTENCE_END.search(line, max(span.end - 1, span.start))
            spans.append(Span(span.line, span.start, stop.end() if stop else len(line)))
        return spans


# ---------------------------------------------------------------- inventory


@dataclass
class Entry:
    """A defect or a clean entry, with its place resolved on the seed."""

    seed: str
    id: str
    data: dict[str, Any]
    rows: set[int] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def has_place(self) -> bool:
        return bool(self.rows or self.spans)

    @property
    def key(self) -> str:
        return f"{self.seed[:3]}/{self.id}"


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def load_inventory(path: Path = INVENTORY) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with `defects` and `clean`")
    return data


def resolve(entry: Entry, rows: list[Any], text: SeedText) -> None:
    """Fill `entry.rows` and `entry.spans` from its `where`; what cannot be found goes to
    `entry.problems` (the inventory test reports them)."""
    where = entry.data.get("where")
    if not isinstance(where, dict) or not where:
        entry.problems.append("`where` must be a non-empty mapping")
        return
    for key in where:
        if key not in WHERE_KEYS:
            entry.problems.append(f"unknown `where` key {key!r}")
    for code in as_list(where.get("row")):
        hits = [r.index for r in rows if r.code.strip() == str(code).strip()]
        if len(hits) != 1:
            entry.problems.append(f"row code {code!r} names {len(hits)} rows, not one")
        entry.rows.update(hits)
    for selector in as_list(where.get("label")):
        if isinstance(selector, dict):
            quote, occurrence = str(selector.get("text", "")), selector.get("occurrence")
        else:
            quote, occurrence = str(selector), None
        hits = [r.index for r in rows if norm(quote) and norm(quote) in norm(r.label)]
        if occurrence is None:
            if len(hits) != 1:
                entry.problems.append(f"label {quote!r} is in {len(hits)} row labels, not one"
                                      " (give an occurrence)")
            entry.rows.update(hits)
        elif not isinstance(occurrence, int) or not 1 <= occurrence <= len(hits):
            entry.problems.append(f"label {quote!r}: no occurrence {occurrence!r} "
                                  f"({len(hits)} rows)")
        else:
            entry.rows.add(hits[occurrence - 1])
    for quote in as_list(where.get("note")):
        hits = [r.index for r in rows if norm(str(quote)) in norm(r.note)]
        if not hits:
            entry.problems.append(f"note {quote!r} is in no row's note")
        entry.rows.update(hits)
        found = text.find(str(quote))
        if not found:
            entry.problems.append(f"note {quote!r} does not occur in the seed text")
        entry.spans.extend(found)
    for quote in as_list(where.get("narrative")):
        found = text.find(str(quote))
        if not any(str(quote) in line for line in text.raw_lines):
            entry.problems.append(f"quote {quote!r} does not occur in a line of the seed")
        entry.spans.extend(found)
    if "document" in where and not str(where["document"]).strip():
        entry.problems.append("`where.document` must say what it is about")


# ---------------------------------------------------------------- findings


def kind_family(code: str) -> str:
    from cchc.findings import KINDS

    kind = KINDS.get(code)
    return kind.family if kind else ""


def kind_groups(family: str) -> set[str]:
    """The groups a kind's family belongs to, by the words it is spelled with."""
    words = set(re.split(r"[^a-z]+", family.lower())) - {""}
    return {group for word in words for group in KIND_WORDS.get(word, set())}


def fitting_families(code: str) -> set[str]:
    """The inventory families a finding of this code may catch by family."""
    return {f for group in kind_groups(kind_family(code)) for f in GROUPS[group]}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def finding_spans(finding: Any, text: SeedText) -> list[Span]:
    candidates = _strings(finding.params) + _strings(finding.expected) + \
        _strings(finding.actual)
    quoted = re.findall(r'"([^"]+)"|“([^”]+)”', finding.message or "")
    candidates += [a or b for a, b in quoted]
    spans: list[Span] = []
    for candidate in candidates:
        for piece in re.split(r"…|\.\.\.", candidate):
            quote = piece.strip().rstrip(".").strip()
            if len(norm(quote)) >= MIN_QUOTE:
                spans.extend(text.find_to_sentence_end(quote))
    return spans


def finding_numbers(finding: Any) -> list[float]:
    values: list[float] = []
    for value in (finding.expected, finding.actual):
        for item in as_list(value):
            if isinstance(item, bool):
                continue
            if isinstance(item, int | float):
                values.append(float(item))
    return values


def numbers_agree(finding: Any, defect: Entry) -> bool:
    values = finding_numbers(finding)
    if not values:
        return True
    written = vn_numbers(str(defect.data.get("figures", "")))
    return any(abs(v - w) <= 0.01 or abs(v - w) <= 1e-4 * abs(w)
               for v in values for w in written)


def shares_place(finding: Any, spans: list[Span], entry: Entry, *, related: bool) -> bool:
    rows = {finding.row} if finding.row is not None else set()
    if related:
        rows |= set(finding.related or [])
    if rows & entry.rows:
        return True
    return any(s.overlaps(d) for s in spans for d in entry.spans)


def catches(finding: Any, spans: list[Span], defect: Entry, listed: set[str]) -> bool:
    codes = set(as_list(defect.data.get("codes")))
    if finding.code in codes:
        if not defect.has_place or (finding.row is None and not spans):
            return True
        return shares_place(finding, spans, defect, related=True)
    if finding.code in listed:
        return False
    return (defect.data.get("family") in fitting_families(finding.code)
            and shares_place(finding, spans, defect, related=False)
            and numbers_agree(finding, defect))


# ---------------------------------------------------------------- measuring


def seed_entries(inventory: dict[str, Any], kind: str, seed: str) -> list[Entry]:
    return [Entry(seed=seed, id=str(item.get("id")), data=item)
            for item in inventory.get(kind) or [] if item.get("seed") == seed]


def resolved_inventory(inventory: dict[str, Any]) -> dict[str, tuple[list[Entry], list[Entry]]]:
    """seed → (defects, clean entries), every place resolved on the seed as read."""
    from cchc.api import read

    seeds = sorted({str(item.get("seed")) for kind in ("defects", "clean")
                    for item in inventory.get(kind) or []})
    out = {}
    for seed in seeds:
        path = SEEDS / seed
        defects, clean = seed_entries(inventory, "defects", seed), \
            seed_entries(inventory, "clean", seed)
        if path.exists():
            rows = read(path).rows
            text = SeedText(path.read_text(encoding="utf-8"))
            for entry in defects + clean:
                resolve(entry, rows, text)
        out[seed] = (defects, clean)
    return out


def describe(finding: Any, rows: list[Any]) -> str:
    where = ""
    if finding.row is not None and 0 <= finding.row < len(rows):
        row = rows[finding.row]
        where = f"row {row.code or '(no code)'} {row.label[:50]!r}: "
    return f"{finding.code} ({finding.severity}) {where}{finding.message}"


def measure(inventory: dict[str, Any]) -> dict[str, Any]:
    from cchc.api import check

    listed = {code for item in inventory.get("defects") or []
              for code in as_list(item.get("codes"))}
    result: dict[str, Any] = {"seeds": {}, "missed": defaultdict(list),
                              "unknown_families": {}}
    totals: dict[str, int] = defaultdict(int)
    for seed, (defects, clean) in resolved_inventory(inventory).items():
        report = check(SEEDS / seed)
        text = SeedText((SEEDS / seed).read_text(encoding="utf-8"))
        caught_by: dict[str, list[str]] = defaultdict(list)
        false_alarms: list[str] = []
        unmatched: list[str] = []
        for finding in report.findings:
            family = kind_family(finding.code)
            if not kind_groups(family):
                result["unknown_families"][finding.code] = family
            spans = finding_spans(finding, text)
            hit = [d for d in defects if catches(finding, spans, d, listed)]
            for defect in hit:
                caught_by[defect.id].append(finding.code)
            if hit:
                continue
            line = describe(finding, report.rows)
            unmatched.append(line)
            totals[f"unmatched_{finding.severity}"] += 1
            if finding.severity in ("error", "warning"):
                guards = [c.id for c in clean if shares_place(finding, spans, c, related=False)]
                if guards:
                    false_alarms.append(f"{line} [clean: {', '.join(guards)}]")
        checkable = [d for d in defects if d.data.get("checkable") is True]
        other = [d for d in defects if d.data.get("checkable") is not True]
        found = [d for d in checkable if d.id in caught_by]
        for defect in checkable:
            if defect.id not in caught_by:
                result["missed"][defect.data.get("family", "?")].append(defect.key)
        entry = {
            "defects": len(defects),
            "checkable": len(checkable),
            "caught": len(found),
            "recall": len(found) / len(checkable) if checkable else None,
            "not_checkable": len(other),
            "not_checkable_caught": sum(1 for d in other if d.id in caught_by),
            "findings": len(report.findings),
            "false_alarms": false_alarms,
            "unmatched": unmatched,
            "caught_by": {k: sorted(set(v)) for k, v in caught_by.items()},
        }
        result["seeds"][seed] = entry
        for key in ("defects", "checkable", "caught", "not_checkable",
                    "not_checkable_caught", "findings"):
            totals[key] += entry[key]
        totals["false_alarms"] += len(false_alarms)
        totals["unmatched"] += len(unmatched)
    totals_out: dict[str, Any] = dict(totals)
    totals_out["recall"] = (totals["caught"] / totals["checkable"] if totals["checkable"]
                            else None)
    result["overall"] = totals_out
    result["missed"] = {f: result["missed"][f] for f in FAMILIES if result["missed"].get(f)}
    return result


# ---------------------------------------------------------------- output


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def table(result: dict[str, Any]) -> list[str]:
    lines = ["| seed | defects | checkable | caught | recall | not checkable, caught "
             "| false alarms | findings matching no defect |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows = [*result["seeds"].items(), ("overall", result["overall"])]
    for seed, e in rows:
        false_alarms = e["false_alarms"] if isinstance(e["false_alarms"], int) \
            else len(e["false_alarms"])
        unmatched = e["unmatched"] if isinstance(e["unmatched"], int) else len(e["unmatched"])
        name = f"**{seed}**" if seed == "overall" else seed
        lines.append(f"| {name} | {e['defects']} | {e['checkable']} | {e['caught']} | "
                     f"{pct(e['recall'])} | {e['not_checkable_caught']} of "
                     f"{e['not_checkable']} | {false_alarms} | {unmatched} |")
    return lines


def render_text(result: dict[str, Any]) -> str:
    out = [f"Checking recall on the seeds ({INVENTORY.relative_to(ROOT)})", ""]
    out += table(result)
    out += ["", "Checkable defects the checker misses, by family:"]
    for family, keys in result["missed"].items():
        out.append(f"  {family} ({len(keys)}): {', '.join(keys)}")
    if not result["missed"]:
        out.append("  none")
    out += ["", "False alarms (errors and warnings on clean passages):"]
    alarms = [(s, a) for s, e in result["seeds"].items() for a in e["false_alarms"]]
    out += [f"  {s[:3]} {a}" for s, a in alarms] or ["  none"]
    out += ["", "Findings that match no defect (for review):"]
    review = [(s, u) for s, e in result["seeds"].items() for u in e["unmatched"]]
    out += [f"  {s[:3]} {u}" for s, u in review] or ["  none"]
    if result["unknown_families"]:
        out += ["", "Finding kinds whose family fits no inventory family: "
                + ", ".join(f"{c} ({f or '?'})" for c, f in result["unknown_families"].items())]
    return "\n".join(out)


def render_section(result: dict[str, Any]) -> str:
    overall = result["overall"]
    lines = [
        HEADING, "",
        f"Measured by `bench/recall.py` on {date.today().isoformat()} (Python "
        f"{platform.python_version()}). The yardstick is `tests/data/defects.yaml`: every "
        "defect a careful CCHC reviewer finds in the five seed reports, read line by line "
        "with a calculator and written without looking at the checks, plus the passages that "
        "look wrong but are right. A finding catches a defect by its code at the same row or "
        "quoted text, or — for a check the inventory did not name — by its family at the "
        "same place with agreeing numbers (the exact rules are in the script's docstring). "
        "Recall counts the defects that can be found from the document alone; a false alarm "
        "is an error or warning on a clean passage that catches no defect. Regenerate with "
        "`.venv/bin/python bench/recall.py --write`.", "",
    ]
    lines += table(result)
    spread = ", ".join(f"{overall[f'unmatched_{s}']} {s}" for s in ("error", "warning", "info")
                       if overall.get(f"unmatched_{s}"))
    lines += ["", f"Recall {pct(overall['recall'])} ({overall['caught']} of "
              f"{overall['checkable']} checkable defects); false alarms: "
              f"{overall['false_alarms']}; findings matching no defect: "
              f"{overall['unmatched']}{f' ({spread})' if spread else ''}.", "",
              "Checkable defects missed, by family:", ""]
    for family, keys in result["missed"].items():
        lines.append(f"- {family} ({len(keys)}): " + ", ".join(f"`{k}`" for k in keys))
    if not result["missed"]:
        lines.append("- none")
    alarms = [(s, a) for s, e in result["seeds"].items() for a in e["false_alarms"]]
    if alarms:
        lines += ["", "False alarms:", ""]
        lines += [f"- {s[:3]}: {a}" for s, a in alarms]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--write", action="store_true",
                        help="write the section of docs/PERFORMANCE.md")
    args = parser.parse_args(argv)
    result = measure(load_inventory())
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    if args.write:
        from bench.doc import replace_section

        replace_section(HEADING, render_section(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
