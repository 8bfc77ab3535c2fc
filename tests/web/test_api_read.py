"""The JSON API's read endpoints say what the pages, the queue and `cchc aggregate --json`
say; every failure is JSON with a documented code (never an HTML page, never a 500 for bad
input); the OpenAPI document lists every endpoint and its docs page loads offline."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from cchc.render.document import RenderError
from cchc_web import checking, documents, periods, reporting
from cchc_web.api import errors, keys
from cchc_web.cli import main
from cchc_web.models import Narrative, OrgUnit, Submission

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


class Api:
    def __init__(self, username: str) -> None:
        user = User.objects.get(username=username)
        self.user = user
        self.headers = {"Authorization": f"Bearer {keys.issue(user, 'đọc').secret}"}

    def get(self, url: str, **params: Any) -> Any:
        return Client().get(url, params, headers=self.headers)

    def json(self, url: str, **params: Any) -> Any:
        response = self.get(url, **params)
        assert response.status_code == 200, response.content[:500]
        return response.json()


def _code(response: Any) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return str(response.json()["error"]["code"])


def test_units_carry_kind_parent_validity_and_lineage_both_ways(
        tree: dict[str, OrgUnit]) -> None:
    api = Api("tinh.hatinh")
    units = {u["code"]: u for u in api.json("/api/v1/units")}
    old = units["42.H01.X01"]
    assert (old["name"], old["kind"], old["parent"]) == ("Xã Cẩm Hưng", "commune", "42.H01")
    assert (old["valid_from"], old["valid_to"]) == (None, "2025-06-30")
    assert old["successors"] == [{"code": "42.X101", "name": "Xã Cẩm Hưng", "kind": "merged",
                                  "date": "2025-07-01"}]
    new = units["42.X101"]
    assert new["valid_from"] == "2025-07-01" and new["parent"] == "42"
    assert {p["code"] for p in new["predecessors"]} == {"42.H01.X01", "42.H01.X02",
                                                        "42.H01.X03"}
    assert api.json("/api/v1/units/42.X101") == new
    assert list(units) == sorted(units)


def test_units_filter_by_the_day_they_are_valid_on_and_by_kind(
        tree: dict[str, OrgUnit]) -> None:
    api = Api("tinh.hatinh")
    after = {u["code"] for u in api.json("/api/v1/units", valid_on="2025-07-01")}
    before = {u["code"] for u in api.json("/api/v1/units", valid_on="2025-06-30")}
    assert "42.X101" in after and "42.H01.X01" not in after and "42" in after
    assert "42.H01.X01" in before and "42.X101" not in before
    communes = api.json("/api/v1/units", kind="commune", valid_on="2025-07-01")
    assert {u["code"] for u in communes} == {"42.X101", "42.X102", "42.X103"}


def test_periods_have_their_windows_and_deadlines_by_level(tree: dict[str, OrgUnit]) -> None:
    api = Api("xa.camhung")
    found = api.json("/api/v1/periods")
    stored = periods.ensure("half_year", 2022)
    half = next(p for p in found if p["id"] == stored.pk)
    assert half["label"] == stored.label == "6 tháng đầu năm 2022"
    assert (half["kind"], half["year"], half["number"]) == ("half_year", 2022, None)
    assert half["start"] == stored.start.isoformat() and half["end"] == stored.end.isoformat()
    assert half["data_from"] == stored.data_from.isoformat()
    assert half["deadlines"] == {d.level: d.due.isoformat() for d in stored.deadlines.all()}
    assert half["deadlines"]
    ends = [p["end"] for p in found]
    assert ends == sorted(ends, reverse=True)
    assert {p["kind"] for p in api.json("/api/v1/periods", kind="quarter")} == {"quarter"}
    assert {p["year"] for p in api.json("/api/v1/periods", year="2022")} == {2022}


def test_forms_come_from_the_catalog_with_their_items(tree: dict[str, OrgUnit]) -> None:
    from cchc_web.catalog import catalog

    api = Api("xa.camhung")
    listed = api.json("/api/v1/forms")
    assert [f["id"] for f in listed] == [f.id for f in catalog().forms]
    the_form = catalog().form("ha-tinh-phu-luc-1b-2022")
    assert the_form is not None
    one = api.json(f"/api/v1/forms/{the_form.id}")
    assert one["levels"] == ["district", "commune"] and one["province"] == "Hà Tĩnh"
    assert len(one["items"]) == len(the_form.items) == next(
        f["items"] for f in listed if f["id"] == the_form.id)
    rate = next(i for i in one["items"] if i["id"] == "1.2")
    assert rate == {"id": "1.2", "code": "1.2", "label": the_form.items[2].label, "unit": "%",
                    "type": "rate", "concept": "plan.completion_rate",
                    "levels": ["district", "commune"], "parent": "1", "options": []}
    coded = next(i for i in the_form.items if i.options)
    shown = next(i for i in one["items"] if i["id"] == coded.id)
    assert shown["options"] == [{"code": c, "label": t} for c, t in coded.options]
    assert _code(api.get("/api/v1/forms/khong-co")) == "not-found"


def test_the_list_of_submissions_is_the_queues_paginated(
        drafts: dict[str, Submission]) -> None:
    api = Api("tinh.hatinh")
    lines = reporting.submission_lines(api.user)
    page = api.json("/api/v1/submissions", limit="1", offset="1")
    assert (page["total"], page["limit"], page["offset"]) == (len(lines), 1, 1) == (2, 1, 1)
    assert [i["id"] for i in page["items"]] == [lines[1].pk]
    first = api.json("/api/v1/submissions")["items"][0]
    line = lines[0]
    assert first == {
        "id": line.pk, "unit": {"code": line.unit_code, "name": line.unit},
        "period": {"id": line.period.pk, "kind": "half_year", "year": 2022, "number": None,
                   "label": "6 tháng đầu năm 2022"},
        "status": "draft", "errors": line.errors, "explained": line.explained,
        "warnings": line.warnings, "submitted": None,
        "due": line.due.isoformat() if line.due else None, "late": False,
        "overdue": line.overdue, "url": f"/api/v1/submissions/{line.pk}"}
    assert api.json("/api/v1/submissions", offset="5")["items"] == []


def test_submissions_filter_by_unit_subtree_period_and_status(
        drafts: dict[str, Submission]) -> None:
    api = Api("tinh.hatinh")
    s = drafts["42.H01.X01"]
    by_unit = api.json("/api/v1/submissions", unit="42.H01")
    assert [i["id"] for i in by_unit["items"]] == [s.pk]
    for text in (str(s.period.pk), "half_year:2022"):
        assert api.json("/api/v1/submissions", period=text)["total"] == 2
    assert api.json("/api/v1/submissions", period="year:2022")["total"] == 0
    Submission.objects.filter(pk=s.pk).update(status="submitted")
    sent = api.json("/api/v1/submissions", status="submitted")
    assert [i["id"] for i in sent["items"]] == [s.pk]
    assert _code(api.get("/api/v1/submissions", period="year:2030")) == "not-found"


def test_a_submission_reads_whole(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    Narrative.objects.create(submission=s, section="II", text="Kết quả thực hiện.")
    api = Api("huyen.camxuyen")
    body = api.json(f"/api/v1/submissions/{s.pk}")
    assert body["unit"] == {"code": "42.H01.X01", "name": "Xã Cẩm Hưng"}
    assert (body["form"], body["status"]) == (s.form_id, "draft")
    values = {v["item"]: v for v in body["values"]}
    assert values["1.2.1"]["raw"] == "25" and values["1.2.1"]["value"] == 25.0
    assert values["1.2.2"]["code"] == "1.2.2" and values["1.2.2"]["label"]
    assert [n["section"] for n in body["narrative"]] == ["I", "II", "III", "IV", "V"]
    assert body["narrative"][1]["text"] == "Kết quả thực hiện."
    s.refresh_from_db()
    assert body["findings"] == s.findings and body["findings"]
    assert body["findings"] == checking.as_json(checking.check(s))
    assert body["counts"] == {"errors": s.error_count, "explained": s.explained_count,
                              "warnings": s.warning_count}
    [kept] = body["files"]
    assert kept["name"] == "42.H01.X01.txt" and kept["size"] == 10
    download = api.get(kept["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "báo cáo gốc của Xã Cẩm Hưng"
    assert set(body["documents"]) == {"docx", "xlsx", "pdf"}
    missing = api.get(f"/api/v1/submissions/{s.pk}/files/{kept['id'] + 999}")
    assert _code(missing) == "not-found"


def test_the_aggregate_is_the_command_lines_json(drafts: dict[str, Submission]) -> None:
    api = Api("tinh.hatinh")
    for unit, rule in (("42.H01", "all"), ("42", "approved")):
        done = CliRunner().invoke(main, ["aggregate", "--unit", unit, "--period",
                                         "half_year:2022", "--status", rule, "--json"])
        assert done.exit_code == 0, done.output
        got = api.json("/api/v1/aggregates", unit=unit, period="half_year:2022", status=rule)
        assert got == json.loads(done.output)
    detailed = api.json("/api/v1/aggregates", unit="42.H01", period="half_year:2022",
                        status="all")
    assert any(c["units"] for c in detailed["concepts"])  # the drill-down is in
    assert _code(api.get("/api/v1/aggregates", unit="42.H01", period="half_year:2022",
                         status="nhap")) == "invalid-input"
    assert _code(api.get("/api/v1/aggregates", unit="42.H01")) == "invalid-input"


def test_completeness_is_the_pages_rows(drafts: dict[str, Submission]) -> None:
    from django.utils import timezone

    api = Api("huyen.camxuyen")
    period = drafts["42.H01.X01"].period
    body = api.json("/api/v1/completeness", period=str(period.pk))
    rows = reporting.completeness_rows(api.user, period, timezone.localdate())
    assert [(u["unit"]["code"], u["state"], u["submission"]) for u in body["units"]] == [
        (r.unit.code, r.state, r.submission.pk if r.submission else None) for r in rows]
    assert body["period"]["label"] == period.label
    camhung = next(u for u in body["units"] if u["unit"]["code"] == "42.H01.X01")
    assert camhung["status"] == "draft" and camhung["kind"] == "commune"
    assert body["counts"] == {k: sum(1 for r in rows if r.state == k)
                              for k in ("on_time", "late", "not_yet", "overdue")}


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_documents_download_as_office_files(drafts: dict[str, Submission], fmt: str) -> None:
    api = Api("tinh.hatinh")
    s = drafts["42.H01.X01"]
    for url, params in ((f"/api/v1/submissions/{s.pk}/document.{fmt}", {}),
                        (f"/api/v1/aggregates/document.{fmt}",
                         {"unit": "42.H01", "period": "half_year:2022", "status": "all"})):
        response = api.get(url, **params)
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == documents.CONTENT_TYPES[fmt]
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
        assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert _code(api.get(f"/api/v1/submissions/{s.pk}/document.exe")) == "invalid-input"


def test_a_document_that_cannot_be_made_says_why(
        drafts: dict[str, Submission], monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(*_: object, **__: object) -> bytes:
        raise RenderError("pdf-missing", "Máy chủ chưa cài LibreOffice nên chưa tạo được "
                                         "tệp PDF.")

    monkeypatch.setattr(documents, "render", absent)
    response = Api("xa.camhung").get(
        f"/api/v1/submissions/{drafts['42.H01.X01'].pk}/document.pdf")
    assert response.status_code == 503
    assert _code(response) == "render-failed"
    assert "LibreOffice" in response.json()["error"]["message"]
    assert response.json()["error"]["details"] == {"reason": "pdf-missing"}


BAD = [  # (path and query, status, code)
    ("/api/v1/units?kind=%00", 400, "bad-input"),
    ("/api/v1/units/42%00", 400, "bad-input"),
    ("/api/v1/submissions?unit=" + "4" * 300, 400, "bad-input"),
    ("/api/v1/submissions?" + "&".join(f"p{n}=1" for n in range(40)), 400, "bad-input"),
    ("/api/v1/submissions?limit=1000000", 422, "invalid-input"),
    ("/api/v1/submissions?limit=abc", 422, "invalid-input"),
    ("/api/v1/submissions?offset=-1", 422, "invalid-input"),
    ("/api/v1/submissions?status=nhap", 422, "invalid-input"),
    ("/api/v1/submissions?period=half_year:99999", 422, "invalid-input"),
    ("/api/v1/submissions?period=quarter:2022:7", 422, "invalid-input"),
    ("/api/v1/submissions?period=" + "9" * 40, 404, "not-found"),
    ("/api/v1/submissions?unit=khong-co", 404, "not-found"),
    ("/api/v1/submissions/" + "9" * 30, 404, "not-found"),
    ("/api/v1/submissions/abc", 404, "not-found"),
    ("/api/v1/units?valid_on=2025-13-01", 422, "invalid-input"),
    ("/api/v1/units?valid_on=hôm-nay", 422, "invalid-input"),
    ("/api/v1/periods?year=1e9", 422, "invalid-input"),
    ("/api/v1/aggregates?unit=42&period=%00", 400, "bad-input"),
    ("/api/v1/units/khong-co", 404, "not-found"),
    ("/api/v1/khong-co", 404, "not-found"),
    ("/api/", 404, "not-found"),
    ("/api/v2/units", 404, "not-found"),
]


@pytest.mark.parametrize(("url", "status", "code"), BAD)
def test_bad_input_is_a_4xx_in_json_never_a_500(
        tree: dict[str, OrgUnit], url: str, status: int, code: str) -> None:
    response = Api("tinh.hatinh").get(url)
    assert response.status_code == status, response.content[:300]
    assert _code(response) == code
    body = response.json()["error"]
    assert body["message"] and not body["message"].isascii()  # Vietnamese words


def test_a_validation_error_names_the_parameter_and_the_rule(tree: dict[str, OrgUnit]) -> None:
    response = Api("tinh.hatinh").get("/api/v1/submissions", limit="501")
    body = response.json()["error"]
    assert body["message"] == "Tham số “limit” phải nhỏ hơn hoặc bằng 500."
    assert body["details"] == [{"loc": ["query", "limit"], "type": "less_than_equal",
                                "message": "phải nhỏ hơn hoặc bằng 500"}]


def test_an_unexpected_failure_is_a_json_500_not_an_html_page(
        tree: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc_web.api import catalog as api_catalog

    def broken() -> None:
        raise RuntimeError("catalog unreadable")

    monkeypatch.setattr(api_catalog, "catalog", broken)
    response = Api("tinh.hatinh").get("/api/v1/forms")
    assert response.status_code == 500
    assert _code(response) == "internal-error"
    assert "catalog unreadable" not in response.content.decode()


def test_every_error_code_is_documented(tree: dict[str, OrgUnit]) -> None:
    table = set(re.findall(r"^\| `([a-z-]+)` \|", DOC, re.M))
    assert table == set(errors.MESSAGES)


def test_the_openapi_document_lists_every_endpoint(tree: dict[str, OrgUnit]) -> None:
    from cchc_web.api import api

    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    routes = {f"/api/{p.pattern}".replace("<int:", "{").replace("<", "{").replace(">", "}")
              for p in api.urls[0] if p.name not in ("openapi-json", "openapi-view", "api-root")}
    assert set(schema["paths"]) == routes
    assert len(routes) == 12
    for where, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert method == "get", where
            assert {"401", "404"} <= set(operation["responses"]), where
            assert operation["summary"] and not operation["summary"].isascii(), where
    assert {s["type"] for s in schema["components"]["securitySchemes"].values()} == {
        "http", "apiKey"}
    assert Client().post("/api/openapi.json").status_code == 405


def test_the_docs_page_loads_only_files_of_this_site(tree: dict[str, OrgUnit]) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(links) >= 4 and all(link.startswith("/static/ninja/") for link in links)
    for link in links:
        assert Client().get(link).status_code == 200, link
    assert '"url": "/api/openapi.json"' in page and '"validatorUrl": null' in page


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="Debian's Chromium is not installed")
def test_the_docs_page_draws_every_endpoint_offline_in_a_browser(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    base = str(live_server)
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{base}/api/docs")
            page.wait_for_selector(".opblock", timeout=10_000)
            assert page.locator(".opblock").count() == 12
        finally:
            browser.close()
    assert requested and all(u.startswith(base) for u in requested), requested
    assert problems == []


def _example(language: str) -> str:
    found = re.search(rf"## Example: a script outside the project.*?```{language}\n(.*?)```",
                      DOC, re.S)
    assert found, language
    return found.group(1)


def test_the_documented_scripts_work_from_outside_the_project(
        live_server: Any, drafts: dict[str, Submission], tmp_path: Path) -> None:
    """docs/api.md's examples, run as written (only the address changed) by a Python without
    the project (`-I`, another folder) and by curl."""
    import shutil
    import subprocess
    import sys

    user = User.objects.get(username="huyen.camxuyen")
    token = keys.issue(user, "tập lệnh", read_only=True).secret
    base = f"{live_server.url}/api/v1"
    script = _example("python").replace("https://cchc.example.gov.vn/api/v1", base)
    assert script != _example("python")
    env = {"CCHC_TOKEN": token, "PATH": os.environ.get("PATH", ""), "ID": str(
        drafts["42.H01.X01"].pk)}
    done = subprocess.run([sys.executable, "-I", "-c", script], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 báo cáo\nXã Cẩm Hưng draft")
    assert "'expected': 4" in done.stdout
    if shutil.which("curl") is None:
        return
    shell = _example("sh").replace("https://cchc.example.gov.vn/api/v1", base)
    done = subprocess.run(["sh", "-e", "-c", shell], env=env, cwd=tmp_path,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert zipfile.ZipFile(tmp_path / "tong-hop.docx").namelist()
