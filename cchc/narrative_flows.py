"""The balance of what came in and what became of it: received = resolved + pending.

Within a section of the narrative, figures of dossiers, petitions and tasks are read with
the words around them: received ("tiếp nhận", "tổng số … phải giải quyết", "được giao"),
new and carried over ("mới tiếp nhận", "kỳ trước chuyển sang"), resolved ("đã giải quyết",
"giải quyết xong", "hoàn thành", or its on-time and late parts when both are written, "không
có hồ sơ trễ hạn" being a late part of 0), pending ("đang giải quyết", "còn … đang xử lý")
and returned or withdrawn. A new received figure, another level ("Bộ phận một cửa cấp xã")
or a heading starts a new balance. A balance is judged only when the text gives received,
resolved and pending, and says nothing of returned or withdrawn dossiers it does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from cchc.narrative import clause_level
from cchc.narrative_math import Figure, Passage
from cchc.narrative_parts import label_before, members

FLOW_CLASSES = ("dossier", "feedback", "task")
_ROLE = re.compile(
    r"(?P<intake>phai giai quyet|can giai quyet|yeu cau giai quyet|can xu ly|phai xu ly"
    r"|tiep nhan|nhan duoc|duoc giao|\bgiao\b"
    r"(?! dich)|de ra|ke hoach co)"
    r"|(?P<pending>dang giai quyet|dang xu ly|chua giai quyet|chua xu ly|dang thuc hien"
    r"|dang trien khai|chua hoan thanh|chua thuc hien|chua den han)"
    r"|(?P<returned>tra lai|\brut\b|\bhuy\b|tu choi|khong du dieu kien)"
    r"|(?P<done>da giai quyet|giai quyet xong|xu ly xong|tra ket qua|hoan thanh|da thuc hien"
    r"|giai quyet|xu ly)")
_SUB = {"new": re.compile(r"moi tiep nhan|tiep nhan moi|moi phat sinh|phat sinh moi"),
        "carried": re.compile(r"ky truoc|chuyen sang|chuyen qua|ton dong|\bton\b"),
        "channel": re.compile(r"truc tuyen|truc tiep|qua mang|buu chinh|buu dien|bcci")}
_NO_LATE = re.compile(r"khong (?:co )?(?:ho so |nhiem vu |phan anh |don )?(?:nao )?(?:bi )?"
                      r"(?:tre|qua) (?:han|hen)")
_RETURNED_WORDS = re.compile(r"tra lai|\brut\b(?! ngan| kinh nghiem| gon| ra)|\bhuy\b|tu choi"
                             r"|khong du dieu kien|bo sung ho so")
_CARRIED_WORDS = re.compile(r"ky truoc|chuyen qua|\bton\b")
_NONE_BEFORE = re.compile(r"khong (?:co )?(?:[a-z]+ ){0,3}(?:bi )?$")
_AFTER_STOP = re.compile(r"[,;.()\n]")


@dataclass
class Balance:
    """The figures of one balance, with the passages they were read in."""

    unit_class: str
    level: str | None
    received: Figure
    new: Figure | None = None
    carried: Figure | None = None
    resolved: Figure | None = None
    pending: Figure | None = None
    returned: Figure | None = None
    timing: dict[str, Figure] = field(default_factory=dict)  # parts of resolved
    pending_timing: dict[str, Figure] = field(default_factory=dict)
    late_zero: bool = False
    names_returned: bool = False  # returned or withdrawn items are named
    names_carried: bool = False  # items carried over from the last period are named
    passages: list[Passage] = field(default_factory=list)
    last_status: str = "done"

    def resolved_parts(self) -> list[Figure] | None:
        """Resolved as written, or its on-time and late parts when both are written."""
        if self.resolved is not None:
            return [self.resolved]
        on = [f for k, f in self.timing.items() if k != "late"]
        late = self.timing.get("late")
        if on and (late is not None or self.late_zero):
            return on + ([late] if late is not None else [])
        return None

    def pending_parts(self) -> list[Figure] | None:
        if self.pending is not None:
            return [self.pending]
        return list(self.pending_timing.values()) or None

    def judged(self) -> bool:
        """Received, resolved and pending are all written, and nothing else is named."""
        return (not (self.names_returned and self.returned is None)
                and not (self.names_carried and self.carried is None)
                and self.resolved_parts() is not None and self.pending_parts() is not None)


def balances(passages: Sequence[Passage]) -> Iterator[Balance]:
    """Every balance of the passages (judged or not), in order."""
    open_: dict[str, Balance] = {}
    section = None
    for p in passages:
        if p.section != section:
            yield from open_.values()
            open_.clear()
            section = p.section
        for fig in p.figures:
            if fig.kind == "count":
                closed = _read(p, fig, open_)
                if closed is not None:
                    yield closed
        if _NO_LATE.search(p.masked):
            for b in open_.values():
                if b.passages and b.passages[-1] is p:
                    b.late_zero = True
    yield from open_.values()


def _role(p: Passage, fig: Figure) -> tuple[str | None, str]:
    """The role a figure's words give it, and those words."""
    label = label_before(p, fig)
    found = list(_ROLE.finditer(label))
    if found:
        m = found[-1]
        return m.lastgroup, label[max(0, m.start() - 8):]
    after = p.masked[fig.unit_end:fig.unit_end + 60]
    stop = _AFTER_STOP.search(after)
    after = after[:stop.start()] if stop else after
    roles = {m.lastgroup for m in _ROLE.finditer(after)}
    if len(roles) == 1:
        return roles.pop(), label + " " + after
    return None, label


def _read(p: Passage, fig: Figure, open_: dict[str, Balance]) -> Balance | None:
    """Put a figure in its balance; return a balance it closes."""
    role, words = _role(p, fig)
    if role is None and _SUB["carried"].search(words):
        role = "intake"  # "số từ kỳ trước chuyển qua: 0 hồ sơ"
    timing = members(words).get("timing")
    cls = fig.unit_class
    if cls is None and open_ and (role is not None or timing):
        cls = next(reversed(open_))  # "đang giải quyết 18": the balance being read
    if cls not in FLOW_CLASSES:
        return None
    assert cls is not None
    level = clause_level(label_before(p, fig, limit=200))
    current = open_.get(cls)
    if role == "intake" and not any(rx.search(words) for rx in _SUB.values()):
        closed = open_.pop(cls, None)
        open_[cls] = Balance(cls, level, received=fig, passages=[p])
        _names(p, open_[cls])
        return closed
    if current is None or (level is not None and current.level is not None
                           and level != current.level):
        return None
    if p not in current.passages:
        current.passages.append(p)
    _names(p, current)
    if role is None and timing:
        role = current.last_status  # "(trước hạn 12, quá hạn 3)": parts of what came last
    if role == "intake":
        sub = next(k for k, rx in _SUB.items() if rx.search(words))
        if sub in ("new", "carried"):
            setattr(current, sub, fig)
    elif role == "returned":
        current.returned = fig
    elif role == "done":
        current.last_status = "done"
        if timing:
            current.timing.setdefault(_timing_key(timing), fig)
            if _NO_LATE.search(p.masked, fig.unit_end, fig.unit_end + 60):
                current.late_zero = True  # "… đúng hạn 2.546 hồ sơ (không có hồ sơ trễ hạn)"
        elif current.resolved is None:
            current.resolved = fig
    elif role == "pending":
        current.last_status = "pending"
        if timing:
            current.pending_timing.setdefault(_timing_key(timing), fig)
        elif current.pending is None:
            current.pending = fig
    return None


def _timing_key(timing: frozenset[str]) -> str:
    return "late" if "late" in timing else "+".join(sorted(timing))


def _names(p: Passage, b: Balance) -> None:
    """Note the returned, withdrawn or carried-over items a passage names ("không có hồ sơ
    bị trả lại" names none)."""
    for rx, attr in ((_RETURNED_WORDS, "names_returned"), (_CARRIED_WORDS, "names_carried")):
        for m in rx.finditer(p.masked):
            if not _NONE_BEFORE.search(p.masked, max(0, m.start() - 30), m.start()):
                setattr(b, attr, True)
