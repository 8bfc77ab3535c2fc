"""The aggregate's charts: downloads as PNG and SVG from the Tổng hợp page, with the page's
permissions; and the same pictures inside the aggregate's .docx, which still reads back."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cchc.api import read
from cchc.render import chartdata
from cchc_web import demo, reporting
from cchc_web.models import OrgUnit, Period

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def built(db: None) -> None:
    demo.build(SEEDS, generated=True)


def _client(username: str) -> Client:
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _query() -> dict[str, object]:
    period = Period.objects.get(kind="half_year", year=2022)
    return {"don-vi": "42.H01", "ky": period.pk, "trang-thai": "approved"}


def _chart(client: Client, name: str, fmt: str, query: dict[str, object] | None = None
           ):  # type: ignore[no-untyped-def]
    return client.get(reverse("aggregate-chart", args=[name, fmt]),
                      _query() if query is None else query)


def _svg_texts(data: bytes) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", data.decode("utf-8"))


def test_every_chart_downloads_as_png_and_svg(built: None) -> None:
    client = _client("huyen.camxuyen")
    for name in chartdata.NAMES:
        png = _chart(client, name, "png")
        assert png.status_code == 200, (name, png.content[:300])
        assert png["Content-Type"] == "image/png"
        assert png.content.startswith(PNG)
        assert "attachment" in png["Content-Disposition"]
        assert f'filename="bieu-do-{name}-huyen-cam-xuyen-6-thang-dau-nam-2022.png"' in \
            png["Content-Disposition"]
        svg = _chart(client, name, "svg")
        assert svg.status_code == 200
        assert svg["Content-Type"] == "image/svg+xml"
        assert svg.content.lstrip().startswith(b"<?xml")
        assert svg["X-Content-Type-Options"] == "nosniff"


def test_the_svg_charts_speak_vietnamese(built: None) -> None:
    client = _client("huyen.camxuyen")
    on_time = _svg_texts(_chart(client, "ty-le-dung-han", "svg").content)
    assert chartdata.ON_TIME_TITLE in on_time
    assert {"Xã Cẩm Thịnh", "Xã Cẩm Hà", "Thị trấn Cẩm Xuyên"} <= set(on_time)
    assert any(t.startswith("Toàn huyện: ") and t.endswith("%") for t in on_time)
    levels = _svg_texts(_chart(client, "ho-so-theo-cap", "svg").content)
    assert {"Cấp xã", "Tiếp nhận", "Đã giải quyết", "Trễ hạn"} <= set(levels)
    result = reporting.aggregate(OrgUnit.objects.get(code="42.H01"),
                                 Period.objects.get(kind="half_year", year=2022), "approved")
    resolved = result.concepts["dossiers.commune.resolved"].value
    assert resolved is not None and resolved >= 1000
    assert f"{int(resolved):,}".replace(",", ".") in levels  # "2.149"
    coverage = _svg_texts(_chart(client, "tinh-hinh-bao-cao", "svg").content)
    assert any(t.startswith("Tình hình báo cáo: ") for t in coverage)


def test_unknown_charts_and_formats_are_404(built: None) -> None:
    client = _client("huyen.camxuyen")
    assert _chart(client, "khac", "png").status_code == 404
    assert _chart(client, "ty-le-dung-han", "pdf").status_code == 404
    assert _chart(client, "ty-le-dung-han", "PNG").status_code == 404


def test_chart_downloads_keep_the_page_s_permissions(built: None) -> None:
    stranger = _client("xa.kyxuan")  # a commune of another district
    assert _chart(stranger, "ty-le-dung-han", "png").status_code in (403, 404)
    assert _chart(_client("xa.camhung"), "ho-so-theo-cap", "svg").status_code in (403, 404)
    other = _client("huyen.kesach")  # a district of another province
    assert _chart(other, "tinh-hinh-bao-cao", "png").status_code in (403, 404)
    anonymous = _chart(Client(), "ty-le-dung-han", "png")
    assert anonymous.status_code == 302
    province = _client("tinh.hatinh")  # the province above may open the district
    assert _chart(province, "ty-le-dung-han", "png").status_code == 200


def test_the_page_links_each_chart_in_both_formats(built: None) -> None:
    page = _client("huyen.camxuyen").get(reverse("aggregate"), _query())
    assert page.status_code == 200
    html = page.content.decode()
    block = html[html.index('data-testid="chart-downloads"'):]
    block = block[:block.index("</p>")]
    assert "Tỷ lệ đúng hạn theo đơn vị" in block
    for name in chartdata.NAMES:
        for fmt in ("png", "svg"):
            assert reverse("aggregate-chart", args=[name, fmt]) in block
    assert html.index('data-testid="downloads"') < html.index('data-testid="chart-downloads"')


def test_the_aggregate_docx_carries_the_charts_and_still_reads_back(built: None,
                                                                    tmp_path: Path) -> None:
    client = _client("huyen.camxuyen")
    response = client.get(reverse("aggregate-document", args=["docx"]), _query())
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        media = sorted(n for n in z.namelist() if re.match(r"word/media/.*\.png$", n))
        assert len(media) == 3
        pictures = [z.read(n) for n in media]
        xml = z.read("word/document.xml").decode("utf-8")
    assert all(p.startswith(PNG) for p in pictures)
    # the same picture as the download
    assert _chart(client, "ty-le-dung-han", "png").content in pictures
    assert "Biểu đồ 1. " + chartdata.ON_TIME_TITLE in re.sub(r"<[^>]+>", "", xml)
    path = tmp_path / "tong-hop.docx"
    path.write_bytes(response.content)
    back = read(path)
    result = reporting.aggregate(OrgUnit.objects.get(code="42.H01"),
                                 Period.objects.get(kind="half_year", year=2022), "approved")
    expected = {r.item: r.value for r in result.rows if r.value is not None and not r.counts}
    assert back.form_id == result.form_id
    assert {r.item: r.value.value for r in back.rows if r.item in expected} == expected
    xlsx = client.get(reverse("aggregate-document", args=["xlsx"]), _query())
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/media/")]) == 3
