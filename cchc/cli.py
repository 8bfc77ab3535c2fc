"""The `cchc` command. Thin: parse arguments, call a library verb, print.

Exit status: 0 every document valid (warnings allowed), 1 a document has errors,
2 usage error or unreadable input. Heavy modules are imported inside the commands so that
`cchc --help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cchc.model import Report

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc", message="cchc %(version)s")
def main() -> None:
    """cchc — đọc, kiểm tra và tổng hợp báo cáo cải cách hành chính (CCHC).

    cchc — read, check and aggregate Vietnamese administrative-reform reports.
    """


def _process(files: tuple[str, ...], checked: bool) -> Iterator[tuple[str, Report | None,
                                                                      tuple[str, str] | None]]:
    from cchc.api import check, read
    from cchc.catalog import load_catalog
    from cchc.errors import ReadError
    from cchc.messages import read_error_message

    catalog = load_catalog()
    progress = None
    if len(files) > 3 and sys.stderr.isatty():
        from rich.progress import Progress

        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("Đang đọc", total=len(files))
    try:
        for path in files:
            try:
                report = check(path, catalog) if checked else read(path, catalog)
                yield path, report, None
            except ReadError as exc:
                yield path, None, (exc.code, read_error_message(exc))
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()


def _run(files: tuple[str, ...], as_json: bool, checked: bool) -> int:
    from cchc.jsonout import document_json, error_json

    docs: list[dict[str, Any]] = []
    status = EXIT_OK
    printer = None if as_json else _printer()
    for path, report, error in _process(files, checked):
        if error is not None:
            status = EXIT_UNREADABLE
            if as_json:
                docs.append(error_json(path, *error))
            else:
                click.echo(f"Lỗi đọc tệp: {error[1]}", err=True)
            continue
        assert report is not None
        if checked and report.status() == "invalid" and status == EXIT_OK:
            status = EXIT_INVALID
        if as_json:
            docs.append(document_json(report, checked))
        elif printer is not None:
            printer(report, checked)
    if as_json:
        import json

        click.echo(json.dumps({"documents": docs}, ensure_ascii=False, indent=2))
    return status


def _printer() -> Any:
    from cchc.console import print_report

    return print_report


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / print JSON.")
def read(files: tuple[str, ...], as_json: bool) -> None:
    """Đọc báo cáo thành dữ liệu có cấu trúc / read reports into structured data."""
    sys.exit(_run(files, as_json, checked=False))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / print JSON.")
def check(files: tuple[str, ...], as_json: bool) -> None:
    """Đọc và kiểm tra báo cáo / read and check reports."""
    sys.exit(_run(files, as_json, checked=True))


@main.command()
def samples() -> None:
    """Đọc và kiểm tra các báo cáo mẫu / read and check the bundled sample reports."""
    samples = sorted(str(p) for p in sample_dir().glob("*.txt"))
    if not samples:
        click.echo(f"Không tìm thấy báo cáo mẫu trong {sample_dir()}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"Đọc và kiểm tra {len(samples)} báo cáo mẫu trong {sample_dir()}\n")
    code = _run(tuple(samples), as_json=False, checked=True)
    sys.exit(EXIT_OK if code == EXIT_INVALID else code)


def sample_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds"


@main.group()
def catalog() -> None:
    """Danh mục biểu mẫu và khái niệm / the catalog of forms and concepts."""


@catalog.command("list")
def catalog_list() -> None:
    """Liệt kê các biểu mẫu / list the forms."""
    from cchc.catalog import load_catalog

    cat = load_catalog()
    for form in cat.forms:
        levels = ", ".join(form.levels)
        click.echo(f"{form.id}\t{len(form.items)} chỉ tiêu\t{form.province}\t{levels}\t"
                   f"{form.title}")
    click.echo(f"{len(cat.concepts)} khái niệm dùng chung")


@catalog.command("show")
@click.argument("form_id")
def catalog_show(form_id: str) -> None:
    """Xem các chỉ tiêu của một biểu mẫu / show a form's items."""
    from cchc.catalog import load_catalog

    form = load_catalog().form(form_id)
    if form is None:
        click.echo(f"Không có biểu mẫu '{form_id}' (xem: cchc catalog list)", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"{form.id} — {form.title} ({form.issuer})")
    for item in form.items:
        extra = []
        if item.concept:
            extra.append(f"khái niệm={item.concept}")
        if item.rate:
            extra.append(f"tỷ lệ={item.rate[0]}/{item.rate[1]}")
        if item.sum_of:
            extra.append("tổng=" + "+".join(item.sum_of))
        if item.part_of:
            extra.append("≤" + ",".join(item.part_of))
        click.echo(f"{item.id:<12} {item.code:<9} {item.label} [{item.unit}] "
                   + " ".join(extra))


@catalog.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def catalog_check(paths: tuple[str, ...]) -> None:
    """Kiểm tra tệp biểu mẫu / validate form files (default: the catalog in use)."""
    from cchc.catalog import catalog_dir, check_catalog, load_concepts, load_form

    if not paths:
        cat, problems = check_catalog()
        names = [f.id for f in cat.forms]
    else:
        concepts, problems = load_concepts(catalog_dir() / "concepts.yaml")
        names = []
        for p in paths:
            form, more = load_form(Path(p), concepts)
            problems.extend(more)
            if form is not None:
                names.append(form.id)
    for problem in problems:
        click.echo(problem.message(), err=True)
    if problems:
        click.echo(f"{len(problems)} lỗi trong danh mục.", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"Danh mục hợp lệ: {len(names)} biểu mẫu ({', '.join(names)}).")


@main.command()
@click.option("--markdown", is_flag=True, help="In trang tài liệu / print the reference page.")
def findings(markdown: bool) -> None:
    """Danh sách mã phát hiện / list finding codes."""
    from cchc.findings import KINDS
    from cchc.findings import markdown as md

    if markdown:
        click.echo(md())
        return
    for kind in KINDS.values():
        click.echo(f"{kind.code:<26} {kind.severity:<8} {kind.title}")


if __name__ == "__main__":  # pragma: no cover
    main()
