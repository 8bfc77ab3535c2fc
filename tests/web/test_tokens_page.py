"""The page "Khóa truy cập API": a user makes a token (shown once, stored hashed), sees its
own tokens with their last use, revokes them; nobody sees or revokes another's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cchc_web.api import keys
from cchc_web.models import ApiToken, OrgUnit

Login = Callable[[str], Client]
PAGE = "/khoa-truy-cap-api/"
SECRET = re.compile(r'data-testid="token-secret">(cchc_[^<]+)</code>')


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _make(client: Client, **fields: str) -> tuple[int, str]:
    response = client.post(PAGE, {"name": "Bảng điều khiển", "days": "30", **fields})
    return response.status_code, response.content.decode()


def _api(secret: str, method: str = "get") -> int:
    response = getattr(Client(), method)("/api/v1/units",
                                         headers={"Authorization": f"Bearer {secret}"})
    return int(response.status_code)


def test_the_page_is_for_logged_in_users_and_linked_from_every_page(
        tree: dict[str, OrgUnit], login: Login) -> None:
    assert Client().get(PAGE).status_code == 302
    home = login("xa.camhung").get(reverse("home")).content.decode()
    assert f'href="{PAGE}"' in home and "Khóa truy cập API" in home
    page = login("xa.camhung").get(PAGE)
    assert page.status_code == 200
    assert "Bạn chưa có khóa nào." in page.content.decode()


def test_a_token_made_on_the_page_is_shown_once_and_works(
        tree: dict[str, OrgUnit], login: Login) -> None:
    client = login("xa.camhung")
    status, html = _make(client, read_only="on")
    assert status == 200
    found = SECRET.search(html)
    assert found, html
    secret = found.group(1)
    assert keys.PATTERN.match(secret)
    assert "chỉ hiện <b>một lần</b>" in html
    stored = ApiToken.objects.get()
    assert stored.user.username == "xa.camhung" and stored.read_only
    assert stored.key_hash == keys.digest(secret.split("_", 2)[2])
    assert _api(secret) == 200
    again = client.get(PAGE).content.decode()
    assert secret not in again and secret.split("_", 2)[2] not in again
    assert stored.prefix in again and "Chỉ đọc" in again


def test_lifetime_and_rights_are_as_chosen(tree: dict[str, OrgUnit], login: Login) -> None:
    client = login("xa.camhung")
    _make(client, days="")
    forever = ApiToken.objects.get()
    assert forever.expires_at is None and not forever.read_only
    _make(client, days="365", name="Một năm")
    year = ApiToken.objects.get(name="Một năm")
    assert year.expires_at is not None
    assert abs(year.expires_at - year.created_at - dt.timedelta(days=365)) < dt.timedelta(seconds=5)


@pytest.mark.parametrize(("fields", "words"), [
    ({"name": ""}, "Hãy đặt tên cho khóa"),
    ({"name": "x" * 101}, "Tên khóa dài tối đa 100 ký tự."),
    ({"days": "7"}, "Thời hạn không hợp lệ."),
    ({"name": "Khóa\x00"}, "Tên khóa chứa ký tự không hợp lệ (NUL)."),
])
def test_a_bad_form_makes_no_token_and_says_why(
        tree: dict[str, OrgUnit], login: Login, fields: dict[str, str], words: str) -> None:
    status, html = _make(login("xa.camhung"), **fields)
    assert status == 422
    assert words in html
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(tree: dict[str, OrgUnit], login: Login) -> None:
    client = login("xa.camhung")
    secret = SECRET.search(_make(client)[1]).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    response = client.post(PAGE, {"revoke": str(token.pk)}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    html = response.content.decode()
    assert "Đã thu hồi khóa “Bảng điều khiển”" in html and "Đã thu hồi lúc" in html
    assert _api(secret) == 401


def test_nobody_sees_or_revokes_another_users_token(
        tree: dict[str, OrgUnit], login: Login) -> None:
    secret = SECRET.search(_make(login("xa.camhung"))[1]).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    other = login("xa.kyxuan")
    assert token.prefix not in other.get(PAGE).content.decode()
    assert other.post(PAGE, {"revoke": str(token.pk)}).status_code == 404
    assert other.post(PAGE, {"revoke": "abc"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _api(secret) == 200


def test_a_user_holds_at_most_the_limit_of_active_tokens(
        tree: dict[str, OrgUnit], login: Login, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MAX_ACTIVE", 2)
    client = login("xa.camhung")
    assert [_make(client)[0] for _ in range(2)] == [200, 200]
    status, html = _make(client)
    assert status == 422 and "Bạn đã có 2 khóa còn hiệu lực" in html
    client.post(PAGE, {"revoke": str(ApiToken.objects.first().pk)})  # type: ignore[union-attr]
    assert _make(client)[0] == 200
    assert ApiToken.objects.count() == 3
