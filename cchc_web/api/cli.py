"""`cchc token create | list | revoke`: personal API tokens from the command line, for the
administrator (a service account's token, or one for an officer without a browser).

`create` prints the token alone on standard output (once: only its hash is kept), its
description on standard error, so that `TOKEN=$(cchc token create --user …)` works.
Exit codes: 0 done, 2 usage (an unknown user or prefix).
"""

from __future__ import annotations

import sys

import click
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from cchc_web.api import keys
from cchc_web.models import ApiToken

STATE_WORDS = {"active": "còn hiệu lực", "expired": "đã hết hạn", "revoked": "đã thu hồi"}


def _user(username: str) -> AbstractBaseUser:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.BadParameter(f"không có tài khoản “{username}”", param_hint="--user")
    return user


def _when(moment: object) -> str:
    import datetime as dt

    if not isinstance(moment, dt.datetime):
        return "—"
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


@click.group()
def token() -> None:
    """Khóa truy cập API / personal API tokens."""


@token.command()
@click.option("--user", "username", required=True, help="Tài khoản / user name.")
@click.option("--read-only", is_flag=True, help="Chỉ đọc / refuse every write.")
@click.option("--days", type=click.IntRange(1, keys.MAX_DAYS),
              help="Số ngày hiệu lực; bỏ trống: đến khi thu hồi / days until it expires.")
@click.option("--name", default="Khóa tạo bằng dòng lệnh", show_default=True,
              help="Tên khóa / a name to recognise it by.")
def create(username: str, read_only: bool, days: int | None, name: str) -> None:
    """Tạo khóa và in ra một lần / make a token and print it once."""
    user = _user(username)
    issued = keys.issue(user, name, days, read_only)
    t = issued.token
    until = f"hết hạn lúc {_when(t.expires_at)}" if t.expires_at else "không hết hạn"
    click.echo(f"Khóa “{t.name}” ({t.prefix}) cho tài khoản {username}: "
               f"{'chỉ đọc' if t.read_only else 'đọc và ghi'}, {until}. Khóa chỉ in ra lần "
               "này; hệ thống không lưu và không thể in lại.", err=True)
    click.echo(issued.secret)


@token.command("list")
@click.option("--user", "username", required=True, help="Tài khoản / user name.")
def list_tokens(username: str) -> None:
    """Liệt kê khóa của một tài khoản / list a user's tokens."""
    user = _user(username)
    now = timezone.now()
    found = list(ApiToken.objects.filter(user=user))
    if not found:
        click.echo(f"Tài khoản {username} chưa có khóa nào.")
        return
    click.echo(f"{'Mã':<12} {'Trạng thái':<14} {'Quyền':<11} {'Tạo lúc':<17} "
               f"{'Hết hạn':<17} {'Dùng lần cuối':<17} Tên")
    for t in found:
        click.echo(f"{t.prefix:<12} {STATE_WORDS[t.state(now)]:<14} "
                   f"{'chỉ đọc' if t.read_only else 'đọc và ghi':<11} {_when(t.created_at):<17} "
                   f"{_when(t.expires_at) if t.expires_at else 'không':<17} "
                   f"{_when(t.last_used_at) if t.last_used_at else 'chưa dùng':<17} {t.name}")


@token.command()
@click.argument("prefix")
def revoke(prefix: str) -> None:
    """Thu hồi một khóa theo mã nhận diện / revoke a token by its prefix."""
    found = ApiToken.objects.select_related("user").filter(
        prefix=prefix.strip().removeprefix("cchc_").split("_")[0][:16]).first()
    if found is None:
        click.echo(f"Không có khóa mã “{prefix}”.", err=True)
        sys.exit(2)
    if keys.revoke(found):
        click.echo(f"Đã thu hồi khóa “{found.name}” ({found.prefix}) của tài khoản "
                   f"{found.user.get_username()}.")
    else:
        click.echo(f"Khóa {found.prefix} đã bị thu hồi từ trước.")
