"""The `cchc` command: the core's file verbs (read, check, samples, catalog, findings) plus
the verbs that run the web system (demo, serve, migrate, import, import-units, web).

Django is imported only inside the web verbs, so `cchc --help` and the file verbs stay fast
(and so are subprocess and shutil, which only `serve` and `demo --reset` need).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from cchc.cli import main, sample_dir


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_web.settings")
    import django
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Chỉ tạo dữ liệu mẫu / build the demo only.")
@click.option("--reset", is_flag=True, help="Xóa dữ liệu mẫu cũ / start from scratch.")
def demo(host: str, port: int, no_serve: bool, reset: bool) -> None:
    """Chạy hệ thống với dữ liệu mẫu / run the web system with a demo database."""
    os.environ.setdefault("CCHC_DATA_DIR", str(Path.cwd() / "var" / "demo"))
    data_dir = Path(os.environ["CCHC_DATA_DIR"])
    if reset and data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # The demo always runs on its own SQLite file, never on a configured production database.
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'cchc.sqlite3'}"
    # People try the demo as they will use the system: Vietnamese error pages, not Django's
    # debug pages (WhiteNoise still serves the static files with DEBUG off).
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if host not in ("0.0.0.0", "::"):
        os.environ.setdefault("DJANGO_ALLOWED_HOSTS", f"127.0.0.1,localhost,{host}")
    _django()
    from cchc_web import demo as demo_data

    click.echo("Tạo cơ sở dữ liệu SQLite và nạp dữ liệu mẫu …")
    _migrate()
    for line in demo_data.build(sample_dir()):
        click.echo(f"  {line}")
    click.echo("\nTài khoản mẫu (tên đăng nhập / mật khẩu):")
    for p in demo_data.PERSONAS:
        click.echo(f"  {p.username:<16} {p.password:<22} {p.what}")
    if no_serve:
        return
    click.echo(f"\nMở http://{host}:{port}/ trong trình duyệt. Nhấn Ctrl+C để dừng.\n")
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False)


# Worker settings: a worker is recycled after this many requests (so that memory a large
# upload made the worker keep is given back), and killed when one request runs longer than
# the timeout; reading a file is bounded well inside it (CCHC_READ_SECONDS, docs/deploy.md).
MAX_REQUESTS = 500
MAX_REQUESTS_JITTER = 50
WORKER_TIMEOUT = 60


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=3, show_default=True)
@click.option("--timeout", default=WORKER_TIMEOUT, show_default=True,
              help="Giây tối đa cho một yêu cầu / seconds a request may take.")
def serve(host: str, port: int, workers: int, timeout: int) -> None:
    """Chạy máy chủ web (gunicorn) / serve the web system with gunicorn."""
    _django()
    _migrate()
    import subprocess

    gunicorn = Path(sys.executable).with_name("gunicorn")
    sys.exit(subprocess.call(gunicorn_command(str(gunicorn), host, port, workers, timeout)))


def gunicorn_command(gunicorn: str, host: str, port: int, workers: int,
                     timeout: int = WORKER_TIMEOUT) -> list[str]:
    return [gunicorn, "cchc_web.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--timeout", str(timeout),
            "--max-requests", str(MAX_REQUESTS),
            "--max-requests-jitter", str(MAX_REQUESTS_JITTER),
            # request line and headers bounded; bodies are bounded by the application
            "--limit-request-line", "8190", "--limit-request-fields", "100"]


@main.command()
def migrate() -> None:
    """Tạo/cập nhật cơ sở dữ liệu / create or update the database schema."""
    _django()
    _migrate(verbosity=1)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị / unit code.")
@click.option("--period", "period_text", required=True,
              help="Kỳ: year:2022, half_year:2022, nine_months:2022, quarter:2022:3, "
                   "month:2022:5.")
@click.option("--user", "username", required=True, help="Người nhập / who imports.")
@click.option("--accept-mismatch", is_flag=True,
              help="Vẫn nhập khi tệp ghi đơn vị/kỳ khác / import even when the file names "
                   "another unit or period (audited).")
def import_report(file: Path, unit_code: str, period_text: str, username: str,
                  accept_mismatch: bool) -> None:
    """Nhập một tệp báo cáo vào hệ thống / import a report file as a draft."""
    _django()
    from django.contrib.auth import get_user_model

    from cchc_web import periods, uploads, workflow
    from cchc_web.catalog import form_for
    from cchc_web.models import OrgUnit

    period = periods.ensure(*_period(period_text))
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise click.BadParameter(f"không có đơn vị mã “{unit_code}”", param_hint="--unit")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.BadParameter(f"không có tài khoản “{username}”", param_hint="--user")
    the_form = form_for(unit, period)
    if the_form is None:
        click.echo(f"Không có biểu mẫu cho {unit.name}, {period.label}.", err=True)
        sys.exit(2)
    submission = workflow.open_draft(unit.pk, period.pk, the_form.id, user, via="import")
    try:
        written = uploads.import_file(file, submission, user, acknowledged=accept_mismatch)
    except uploads.NeedsAcknowledgement as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except uploads.UploadError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    click.echo(f"Đã nhập vào báo cáo {unit.name}, {period.label}: {written.words()}.")
    for problem in written.invalid:
        click.echo(f"  {problem}", err=True)


def _period(text: str) -> tuple[str, int, int | None]:
    """`--period KIND:YEAR[:N]`, as `cchc import` and `cchc aggregate` take it."""
    from cchc.periods import PeriodError, parse_spec

    try:
        return parse_spec(text)
    except PeriodError:
        raise click.BadParameter(f"kỳ báo cáo “{text}” không hợp lệ (ví dụ year:2022, "
                                 "half_year:2022, quarter:2022:3)", param_hint="--period"
                                 ) from None


def _stored(unit_code: str, period_text: str) -> tuple[Any, Any]:
    """The stored unit and period the options name (a usage error when there is none)."""
    from cchc_web.models import OrgUnit, Period

    kind, year, number = _period(period_text)
    period = Period.objects.filter(kind=kind, year=year, number=number).first()
    if period is None:
        raise click.BadParameter(f"chưa có kỳ báo cáo “{period_text}” trong hệ thống",
                                 param_hint="--period")
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise click.BadParameter(f"không có đơn vị mã “{unit_code}”", param_hint="--unit")
    return unit, period


@main.command("aggregate")
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị / unit code.")
@click.option("--period", "period_text", required=True,
              help="Kỳ: year:2022, half_year:2022, quarter:2022:3, …")
@click.option("--status", "rule", type=click.Choice(["approved", "submitted", "all"]),
              default="approved", show_default=True,
              help="Báo cáo được tính / which reports count.")
@click.option("--json", "as_json", is_flag=True, help="JSON (docs/json.md).")
def aggregate_command(unit_code: str, period_text: str, rule: str, as_json: bool) -> None:
    """Tổng hợp số liệu của đơn vị từ cấp dưới / aggregate a unit's subtree."""
    _django()
    import json

    from cchc.console import print_aggregate
    from cchc_web import reporting

    unit, period = _stored(unit_code, period_text)
    # the JSON lists each unit's figure (the drill-down); the table needs only the totals
    result = reporting.aggregate(unit, period, rule, detail=True if as_json else None)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_aggregate(result)


@main.command("import-units")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_units_command(file: Path) -> None:
    """Nhập cây đơn vị từ CSV / import the org-unit tree from CSV."""
    _django()
    from cchc_web.units_csv import import_units

    result = import_units(file.read_bytes())
    if result.problems:
        click.echo(f"Chưa nhập: có {len(result.problems)} lỗi.", err=True)
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"Đã nhập: {result.created} đơn vị mới, {result.updated} đơn vị cập nhật, "
               f"{result.lineages} quan hệ sáp nhập.")


RENDER_FORMATS = ("docx", "pdf", "xlsx")  # cchc.render.files.FORMATS, without importing it


@main.command("render")
@click.argument("report_file", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(RENDER_FORMATS), default="docx",
              show_default=True, help="Định dạng văn bản / output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True,
                                                path_type=Path),
              help="Tệp kết quả, '-' để in ra / output file, '-' for stdout.")
@click.option("--unit", "unit_code", help="Từ cơ sở dữ liệu: mã đơn vị / a stored unit.")
@click.option("--period", "period_text", help="Kỳ: year:2022, half_year:2022, quarter:2022:3")
@click.option("--aggregate", "aggregated", is_flag=True,
              help="Báo cáo tổng hợp từ cấp dưới / the unit's aggregate.")
@click.option("--status", "rule", type=click.Choice(["approved", "submitted", "all"]),
              default="approved", show_default=True,
              help="Báo cáo được tính / which reports count.")
def render_command(report_file: Path | None, fmt: str, output: Path | None,
                   unit_code: str | None, period_text: str | None, aggregated: bool,
                   rule: str) -> None:
    """Viết lại báo cáo theo thể thức Nghị định 30 / write a report as .docx, .pdf, .xlsx.

    Một tệp báo cáo (không cần cơ sở dữ liệu), hoặc báo cáo đã lưu của một đơn vị
    (--unit, --period; --aggregate: báo cáo tổng hợp từ cấp dưới)."""
    from cchc.errors import ReadError
    from cchc.messages import read_error_message
    from cchc.render.document import RenderError

    problem = ("tệp báo cáo." if report_file is None and unit_code is None else
               "tệp kết quả (-o TỆP)." if output is None else
               "--period (kỳ báo cáo của đơn vị)." if unit_code and not period_text else "")
    problem = f"Thiếu {problem}" if problem else ""
    if report_file is not None and unit_code is not None:
        problem = "Chỉ dùng một trong hai: tệp báo cáo, hoặc --unit và --period."
    if problem:
        click.echo(f"{problem} Ví dụ: cchc render bao-cao.txt --format docx -o "
                   "bao-cao.docx; cchc render --unit 42.H01 --period half_year:2022 "
                   "--aggregate --format xlsx -o tong-hop.xlsx", err=True)
        sys.exit(2)
    assert output is not None
    try:
        if report_file is not None:
            from cchc.render.files import render_file

            data = render_file(report_file, fmt)
        else:
            data = _render_stored(unit_code or "", period_text or "", aggregated, rule, fmt)
    except ReadError as error:
        click.echo(f"Lỗi đọc tệp: {read_error_message(error)}", err=True)
        sys.exit(2)
    except RenderError as error:
        click.echo(f"Không tạo được văn bản: {error.message}", err=True)
        sys.exit(2)
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        click.echo(f"Không ghi được tệp {output}: {error.strerror}", err=True)
        sys.exit(2)
    size = f"{len(data):,}".replace(",", ".")  # Vietnamese grouping: 37.862
    click.echo(f"Đã ghi {output} ({size} byte).")


def _render_stored(unit_code: str, period_text: str, aggregated: bool, rule: str,
                   fmt: str) -> bytes:
    """The stored report of a unit (the one that counts under the status rule), or its
    aggregate, as `fmt`."""
    _django()
    from cchc.aggregate import RANK, STATUS_RULES
    from cchc_web import documents
    from cchc_web.models import Submission

    unit, period = _stored(unit_code, period_text)
    if aggregated:
        return documents.render(documents.aggregate_document(unit, period, rule), fmt)
    found = [s for s in Submission.objects.filter(unit=unit, period=period)
             if s.status in STATUS_RULES[rule]]
    if not found:
        click.echo(f"{unit.name} chưa có báo cáo {period.label} ({rule}); dùng --status all "
                   "để tính cả bản nháp, hoặc --aggregate cho báo cáo tổng hợp.", err=True)
        sys.exit(1)
    best = max(found, key=lambda s: RANK.get(s.status, -1))
    return documents.render(documents.submission_document(best), fmt)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def web(args: tuple[str, ...]) -> None:
    """Lệnh quản trị Django / Django management commands (createsuperuser, …)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc web", *args])


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def token(args: tuple[str, ...]) -> None:
    """Khóa truy cập API: create, list, revoke / personal API tokens (cchc_web/api/cli.py)."""
    _django()  # the group needs Django: loaded only when `token` runs, as `web` does
    from cchc_web.api.cli import token as group

    group.main(list(args), prog_name="cchc token")


if __name__ == "__main__":  # pragma: no cover
    main()
