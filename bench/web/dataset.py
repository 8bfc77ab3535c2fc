"""Build the data set of the web load benchmark in a fresh database.

Run in its own process, with DATABASE_URL, CCHC_DATA_DIR and DJANGO_SETTINGS_MODULE set:

    python -m bench.web.dataset <out.json>

What it builds (year 2022):
- Tỉnh Sóc Trăng with 150 district-level units, each with a draft of the largest catalog
  form (`soc-trang-bang-2-2022`, 211 rows, widened to 250 in the benchmark's catalog by
  bench/web/bigform.py), filled with the values of the real seed report of huyện Mỹ Tú
  (imported through the upload path) and numbers in the appended rows; one reporter per
  unit. These are the pages and saves under load.
- Tỉnh Hà Tĩnh with 10 districts × 14 communes = 150 units, each with a submission of
  `ha-tinh-phu-luc-1b-2022` (164 rows) filled from the seed of xã Cẩm Hưng, in a realistic
  mix of states (submitted, some late, approved, returned, draft), and 50 reviewers at the
  province. This is the reviewer queue under load.
- A district of 30 communes ("Tổng hợp" under load), each commune with an approved
  `ha-tinh-phu-luc-1b-2022` report filled from the same seed, and 50 reviewers of the
  district. It hangs under a second province root, "Tỉnh Hà Tĩnh (tổng hợp)", so that the
  Hà Tĩnh queue above keeps its 150 rows; the forms follow the province's name.
Every stored submission is checked by the real checks (`checking.check` + `store`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

PASSWORD = "bench-cchc-2026"
USERS = 50
AGGREGATE_COMMUNES = 30
WORDS = ("An", "Bình", "Châu", "Đông", "Hòa", "Long", "Mỹ", "Phú", "Tân", "Thạnh",
         "Trà", "Vĩnh", "Xuân", "Kế", "Ngã")


def _names(prefixes: tuple[str, ...], count: int) -> list[str]:
    out = []
    for n in range(count):
        a, b = WORDS[n % len(WORDS)], WORDS[(n // len(WORDS) + n) % len(WORDS)]
        out.append(f"{prefixes[n % len(prefixes)]} {a} {b} {n + 1:03d}")
    return out


def mutable_items(form_id: str) -> list[str]:
    """Plain count rows that no sum, rate or plan refers to: editing them changes a value
    without turning the form's arithmetic checks red."""
    from cchc_web.catalog import form

    the_form = form(form_id)
    assert the_form is not None
    referenced: set[str] = set()
    for item in the_form.items:
        for attr in ("sum_of", "rate", "plan", "part_of"):
            value = getattr(item, attr, None)
            if isinstance(value, str) and value:
                referenced.add(value)
            elif isinstance(value, list | tuple):
                referenced.update(str(v) for v in value)
            elif value is not None and hasattr(value, "__dict__"):
                referenced.update(str(v) for v in vars(value).values() if isinstance(v, str))
    return [i.id for i in the_form.items
            if i.type == "count" and not i.options and not i.sum_of and not i.part_of
            and i.id not in referenced]


def build(out: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.web import bigform
    from cchc.catalog import CATALOG_DIR, load_catalog
    from cchc.cli import sample_dir
    from cchc_web import checking, editing, periods, uploads, workflow
    from cchc_web.catalog import form_for
    from cchc_web.editing import Change
    from cchc_web.models import (
        AuditEvent,
        Entry,
        Membership,
        Narrative,
        Notice,
        OrgUnit,
        Submission,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as a deployment does
    User = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for every account: building stays fast
    period = periods.ensure("year", 2022)
    periods.ensure("half_year", 2022)

    def unit(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
        u = OrgUnit(code=code, name=name, kind=kind, parent=parent)
        u.save()
        return u

    def user(username: str, full: str) -> Any:
        first, _, last = full.rpartition(" ")
        return User(username=username, password=hashed, first_name=last, last_name=first,
                    email=f"{username}@bench.cchc.invalid")

    with transaction.atomic():
        st = unit("94", "Tỉnh Sóc Trăng", "province", None)
        st_units = [unit(f"94.H{n + 1:03d}", name, "district", st)
                    for n, name in enumerate(_names(("Huyện", "Thị xã", "Thành phố"), 150))]
        ht = unit("42", "Tỉnh Hà Tĩnh", "province", None)
        ht_units: list[OrgUnit] = []
        commune_names = iter(_names(("Xã", "Phường", "Thị trấn"), 140))
        for d, dname in enumerate(_names(("Huyện", "Thị xã"), 10)):
            district = unit(f"42.H{d + 1:02d}", dname, "district", ht)
            ht_units.append(district)
            ht_units += [unit(f"42.H{d + 1:02d}.X{c + 1:02d}", next(commune_names), "commune",
                              district) for c in range(14)]
        # the district whose "Tổng hợp" is under load: 30 communes, its own reviewers
        agg_root = unit("42T", "Tỉnh Hà Tĩnh (tổng hợp)", "province", None)
        agg_district = unit("42T.H01", "Huyện Tổng Hợp", "district", agg_root)
        agg_units = [unit(f"42T.H01.X{c + 1:02d}", name, "commune", agg_district)
                     for c, name in enumerate(_names(("Xã", "Thị trấn"), AGGREGATE_COMMUNES))]
        reporters = User.objects.bulk_create(
            [user(f"bc.st.{n + 1:03d}", f"Nguyễn Văn Báo Cáo {n + 1:03d}") for n in range(150)]
            + [user(f"bc.ht.{n + 1:03d}", f"Trần Thị Báo Cáo {n + 1:03d}") for n in range(150)])
        reviewers = User.objects.bulk_create(
            [user(f"xd.ht.{n + 1:02d}", f"Lê Văn Xét Duyệt {n + 1:02d}") for n in range(USERS)])
        agg_reporters = User.objects.bulk_create(
            [user(f"bc.th.{n + 1:02d}", f"Phạm Văn Báo Cáo {n + 1:02d}")
             for n in range(AGGREGATE_COMMUNES)])
        agg_reviewers = User.objects.bulk_create(
            [user(f"xd.th.{n + 1:02d}", f"Hoàng Thị Tổng Hợp {n + 1:02d}")
             for n in range(USERS)])
        Membership.objects.bulk_create(
            [Membership(user=u, unit=x, role="reporter")
             for u, x in zip(reporters, st_units + ht_units, strict=True)]
            + [Membership(user=u, unit=ht, role="reviewer") for u in reviewers]
            + [Membership(user=u, unit=x, role="reporter")
               for u, x in zip(agg_reporters, agg_units, strict=True)]
            + [Membership(user=u, unit=agg_district, role="reviewer") for u in agg_reviewers])

    def filled(units: list[OrgUnit], writers: list[Any], seed: str) -> list[Submission]:
        """A submission per unit; the first imported from the seed file through the upload
        path, the others copies of its values, narrative and document number."""
        the_form = form_for(units[0], period)
        assert the_form is not None
        first = workflow.open_draft(units[0].pk, period.pk, the_form.id, writers[0],
                                    via="import")
        # the seed names its own unit, not ours: acknowledged, as `--accept-mismatch` does
        uploads.import_file(sample_dir() / seed, first, writers[0], acknowledged=True)
        extra = bigform.extra_items([i.id for i in the_form.items])
        if extra:
            editing.save(first.pk, writers[0], [Change("value", item, "", str(12 + 7 * n))
                                                for n, item in enumerate(extra)])
        first.refresh_from_db()
        entries = list(first.entries.all())
        narratives = list(first.narratives.all())
        with transaction.atomic():
            copies = Submission.objects.bulk_create(
                Submission(unit=u, period=period, form_id=the_form.id,
                           doc_number=first.doc_number, doc_date=first.doc_date)
                for u in units[1:])
            Entry.objects.bulk_create(
                Entry(submission=s, item_id=e.item_id, raw=e.raw, value=e.value,
                      comment=e.comment, updated_by=w)
                for s, w in zip(copies, writers[1:], strict=True) for e in entries)
            Narrative.objects.bulk_create(
                Narrative(submission=s, section=n.section, text=n.text, updated_by=w)
                for s, w in zip(copies, writers[1:], strict=True) for n in narratives)
            AuditEvent.objects.bulk_create(
                AuditEvent(submission=s, user=w, action="create", field="status", new="draft",
                           via="import")
                for s, w in zip(copies, writers[1:], strict=True))
        subs = [first, *copies]
        for s in Submission.objects.filter(pk__in=[x.pk for x in subs]).select_related(
                "unit", "period"):
            checking.store(s, checking.check(s))
        return subs

    st_subs = filled(st_units, reporters[:150], "003_ef872df5074eaa33.txt")
    ht_subs = filled(ht_units, reporters[150:], "000_1d532f9d1e3624b0.txt")
    agg_subs = filled(agg_units, agg_reporters, "000_1d532f9d1e3624b0.txt")

    # The Hà Tĩnh queue: a realistic mix of states, with their audit rows and notices.
    base_day = dt.datetime(2022, 12, 1, 9, 0, tzinfo=dt.UTC)
    audit: list[AuditEvent] = []
    notices: list[Notice] = []
    with transaction.atomic():
        for n, s in enumerate(ht_subs):
            state = ("submitted" if n % 5 < 3 else "approved" if n % 5 == 3 else
                     "returned" if n % 10 == 4 else "draft")
            if state == "draft":
                continue
            sent = base_day + dt.timedelta(days=n % 20, hours=n % 7)
            writer = reporters[150 + n]
            audit.append(AuditEvent(submission=s, user=writer, action="status",
                                    field="status", old="draft", new="submitted"))
            fields: dict[str, Any] = {"status": state, "submitted_at": sent}
            if state in ("approved", "returned"):
                fields["decided_at"] = sent + dt.timedelta(days=2)
                audit.append(AuditEvent(submission=s, user=reviewers[n % USERS],
                                        action="status", field="status", old="submitted",
                                        new=state, comment="Đề nghị bổ sung số liệu."
                                        if state == "returned" else ""))
            Submission.objects.filter(pk=s.pk).update(**fields)
            notices += [Notice(user=r, submission=s, sender=writer,
                               text=f"{s.unit.name} đã gửi báo cáo {period.label}.",
                               read_at=timezone.now() if n % 3 else None)
                        for r in reviewers[n % 5::25]]
        # the aggregate district: every commune's report sent and approved
        for n, s in enumerate(agg_subs):
            sent = base_day + dt.timedelta(days=n % 20, hours=n % 7)
            audit += [AuditEvent(submission=s, user=agg_reporters[n], action="status",
                                 field="status", old="draft", new="submitted"),
                      AuditEvent(submission=s, user=agg_reviewers[n % USERS],
                                 action="status", field="status", old="submitted",
                                 new="approved")]
            Submission.objects.filter(pk=s.pk).update(
                status="approved", submitted_at=sent, decided_at=sent + dt.timedelta(days=2))
        AuditEvent.objects.bulk_create(audit)
        Notice.objects.bulk_create(notices)

    st_form = st_subs[0].form_id
    the_form = form_for(st_units[0], period)
    shipped = load_catalog(CATALOG_DIR).form(st_form)
    assert the_form is not None and shipped is not None
    result = {
        "password": PASSWORD,
        "reporters": [{"username": u.username, "submission": s.pk}
                      for u, s in zip(reporters[:USERS], st_subs[:USERS], strict=True)],
        "reviewers": [u.username for u in reviewers],
        "form_id": st_form,
        "form_rows": len(the_form.items),
        "form_rows_shipped": len(shipped.items),
        "form_values": sum(1 for i in the_form.items if i.type != "section"),
        "mutable_items": mutable_items(st_form),
        "queue_rows": len(ht_subs),
        "queue_province": ht.name,
        "aggregate_reviewers": [u.username for u in agg_reviewers],
        "aggregate_path": (f"/tong-hop/?don-vi={agg_district.code}&ky={period.pk}"
                           "&trang-thai=approved"),
        "aggregate_unit": agg_district.name,
        "aggregate_form": agg_subs[0].form_id,
        "aggregate_communes": len(agg_subs),
        "aggregate_rows": len(agg_subs[0].entries.all()),
        "units": OrgUnit.objects.count(),
        "submissions": Submission.objects.count(),
        "entries": Entry.objects.count(),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    build(Path(sys.argv[1]))
