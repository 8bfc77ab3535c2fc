"""Write a `ReportDocument` as the official .docx (Nghị định 30/2020/NĐ-CP).

The layout lives in a Word template filled by docxtpl (Jinja inside the document): the
shipped `cchc/data/templates/bao-cao.docx`, built by `cchc.render.make_template`, or an
office's own copy named by the environment variable CCHC_TEMPLATE. The variables the
template sees are listed in docs/documents.md (`context` builds them). Every text is written
as the document model holds it: values are never reformatted.

A template that cannot be used (missing, not a .docx, a Jinja error, a variable that does
not exist) raises `TemplateError`, whose message says what is wrong in Vietnamese.
"""

from __future__ import annotations

import copy
import os
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from cchc.render.document import Chart, Line, RenderError, ReportDocument

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "templates" / "bao-cao.docx"
TEMPLATE_ENV = "CCHC_TEMPLATE"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SECT_PR = f"{{{W_NS}}}sectPr"
_P_PR = f"{{{W_NS}}}pPr"
# Fields of an appendix line the template's cells show.
CELLS = ("code", "label", "unit", "coverage", "value", "note")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# A chart is 15 cm wide, and at most 13.5 cm high (narrower then), so that with its caption
# it fits on one landscape page of the appendix (17 cm between the margins).
CHART_WIDTH_CM, CHART_HEIGHT_CM = 15.0, 13.5
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


class TemplateError(RenderError):
    """The Word template cannot be used; the message names the file and the problem."""


def template_path() -> Path:
    """The template in use: the file CCHC_TEMPLATE names, else the shipped one. A name
    that does not lead to a file is an error, not a silent fallback."""
    chosen = os.environ.get(TEMPLATE_ENV, "").strip()
    if not chosen:
        return TEMPLATE
    path = Path(chosen).expanduser()
    if not path.is_file():
        raise TemplateError("template-missing",
                            f"Không tìm thấy tệp mẫu báo cáo “{chosen}” (biến môi trường "
                            f"{TEMPLATE_ENV}); hãy sửa đường dẫn hoặc bỏ biến này để dùng "
                            "mẫu có sẵn.")
    return path


def write_docx(doc: ReportDocument, template: Path | None = None) -> bytes:
    """The document as .docx bytes, from `template` (default: `template_path()`)."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment, StrictUndefined
    from jinja2 import TemplateError as JinjaError
    from lxml import etree

    path = template or template_path()
    name = path.name
    try:
        source = path.read_bytes()
    except OSError:
        raise TemplateError("template-missing",
                            f"Không đọc được tệp mẫu báo cáo “{path}”.") from None
    try:
        tpl = DocxTemplate(BytesIO(source))
        body = tpl.get_docx().element.body
    except (zipfile.BadZipFile, KeyError, ValueError, etree.Error):
        raise TemplateError("template-invalid",
                            f"Tệp mẫu báo cáo “{name}” không phải tệp Word .docx hợp lệ."
                            ) from None
    first_section = _first_section(body)
    env = Environment(undefined=StrictUndefined, autoescape=True)
    try:
        tpl.render(context(doc, tpl), jinja_env=env)
    except JinjaError as exc:
        raise TemplateError(*_jinja_problem(name, exc)) from None
    except (etree.Error, ValueError, KeyError):
        raise TemplateError("template-invalid",
                            f"Mẫu báo cáo “{name}” sinh ra nội dung Word không hợp lệ; hãy "
                            "kiểm tra lại các thẻ {%p …%}, {%tr …%} trong mẫu.") from None
    rendered = tpl.docx.element.body
    _number_drawings(rendered)
    if doc.appendix is None and first_section is not None \
            and _first_section(rendered) is None:
        _set_last_section(rendered, first_section)
    out = BytesIO()
    tpl.save(out)
    return stable_zip(out.getvalue())


def context(doc: ReportDocument, tpl: Any = None) -> dict[str, Any]:
    """What the template sees (docs/documents.md): plain strings, lists and dicts; with
    `tpl` (the DocxTemplate being filled) each chart's picture as a docxtpl InlineImage,
    without it ""."""
    head = doc.letterhead
    appendix = doc.appendix
    return {
        "letterhead": {
            "governing": head.governing, "issuer": list(head.issuer),
            "number": head.number, "suffix": head.suffix, "place": head.place,
            "number_line": head.number_line, "date_line": head.date_line,
        },
        "subject": doc.subject,
        "intro": list(doc.intro),
        "sections": [{"number": s.number, "heading": s.heading,
                      "paragraphs": list(s.paragraphs)} for s in doc.sections],
        "recipients": list(doc.recipients),
        "signature": {"authority": doc.signature.authority, "title": doc.signature.title,
                      "name": doc.signature.name},
        "appendix": None if appendix is None else {
            "title": appendix.title, "reference": appendix.reference,
            "form_id": appendix.form_id or "", "last_column": appendix.last_column,
            "aggregated": appendix.aggregated,
            "lines": [_line(line) for line in appendix.lines],
        },
        "charts": [_chart(n, chart, tpl) for n, chart in enumerate(doc.charts, start=1)],
        "unit": doc.unit,
        "period_label": doc.period_label,
    }


def _chart(number: int, chart: Chart, tpl: Any) -> dict[str, Any]:
    return {"number": number, "title": chart.title, "caption": chart.caption,
            "image": _image(chart.png, tpl) if tpl is not None else ""}


def _image(png: bytes, tpl: Any) -> Any:
    """The picture at CHART_WIDTH_CM wide, or CHART_HEIGHT_CM high when that is less."""
    from docx.shared import Cm
    from docxtpl import InlineImage

    width, height = png_size(png)
    if width and height and CHART_WIDTH_CM * height / width > CHART_HEIGHT_CM:
        return InlineImage(tpl, BytesIO(png), height=Cm(CHART_HEIGHT_CM))
    return InlineImage(tpl, BytesIO(png), width=Cm(CHART_WIDTH_CM))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header; (0, 0) when it is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _number_drawings(body: Any) -> None:
    """docxtpl gives every picture of one filling the same drawing id; Word wants each
    id once (a repeated one may make it report the file as damaged)."""
    for n, doc_pr in enumerate(body.iter(f"{{{WP_NS}}}docPr"), start=1):
        doc_pr.set("id", str(1000 + n))
        doc_pr.set("name", f"Picture {n}")


def _line(line: Line) -> dict[str, Any]:
    from docxtpl import RichText

    bold = line.kind == "section"
    texts = {name: getattr(line, name) for name in CELLS}
    return {
        **texts, "kind": line.kind, "depth": line.depth, "item": line.item or "",
        "bold": bold,
        "rich": {name: RichText(text, bold=bold) for name, text in texts.items()},
    }


def _jinja_problem(name: str, exc: Exception) -> tuple[str, str]:
    from jinja2 import TemplateSyntaxError, UndefinedError

    text = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, UndefinedError):
        m = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", text)
        variable = (m.group(1) or m.group(2)) if m else text
        return ("template-variable",
                f"Mẫu báo cáo “{name}” dùng biến “{variable}” không có trong dữ liệu báo "
                "cáo (danh sách biến: docs/documents.md).")
    if isinstance(exc, TemplateSyntaxError):
        near = " ".join(" ".join(getattr(exc, "docx_context", ())).split())[:120]
        where = f" (gần: “{near}”)" if near else ""
        return ("template-syntax",
                f"Mẫu báo cáo “{name}” có thẻ Jinja viết sai: {text}{where}.")
    return "template-invalid", f"Mẫu báo cáo “{name}” không dùng được: {text}."


def _first_section(body: Any) -> Any:
    """The page settings that end the first section (a paragraph's w:sectPr), if any."""
    for p_pr in body.iter(_P_PR):
        sect_pr = p_pr.find(_SECT_PR)
        if sect_pr is not None:
            return copy.deepcopy(sect_pr)
    return None


def _set_last_section(body: Any, sect_pr: Any) -> None:
    """Without the appendix, the document is the first section alone: its page settings
    (portrait, first page without a number) become those of the last section."""
    last = body.find(_SECT_PR)
    if last is None:
        body.append(sect_pr)
    else:
        body.replace(last, sect_pr)


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates, so that equal content gives equal bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
