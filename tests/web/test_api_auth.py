"""Authentication of the JSON API: a token's life (made by the command line, used, expired,
revoked, of a disabled account), read-only tokens and CSRF refusing writes, throttling,
last use recorded at most once a minute.

The API has no write endpoint yet, so writes are probed on a small API of this module that
uses the real authentication and error handlers (`probe/`): any write endpoint added later
is refused the same way, because the refusal happens in authentication."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from ninja import NinjaAPI

from cchc_web.api import auth, errors, keys, limits
from cchc_web.cli import main
from cchc_web.models import ApiToken, OrgUnit

probe = NinjaAPI(auth=auth.AUTH, urls_namespace="probe", docs_url=None, openapi_url=None)
errors.install(probe)


@probe.post("/write")
def write(request: HttpRequest) -> dict[str, str]:
    return {"user": request.auth.get_username()}  # type: ignore[attr-defined]


@probe.get("/read")
def read(request: HttpRequest) -> dict[str, str]:
    return {"user": request.auth.get_username()}  # type: ignore[attr-defined]


urlpatterns = [path("probe/", probe.urls), path("", include("cchc_web.urls"))]
UNITS = "/api/v1/units"


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _token(username: str, **kwargs: Any) -> str:
    return keys.issue(User.objects.get(username=username), "kiểm thử", **kwargs).secret


def _get(url: str, token: str | None = None, client: Client | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return (client or Client()).get(url, headers=headers)


def _error(response: Any) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    return str(body["error"]["code"])


def test_a_token_made_on_the_command_line_reads_as_its_user(
        tree: dict[str, OrgUnit]) -> None:
    done = CliRunner().invoke(main, [
        "token", "create", "--user", "huyen.camxuyen", "--days", "5", "--name",
        "Bảng điều khiển"])
    assert done.exit_code == 0, done.output
    secret = done.stdout.strip()
    assert keys.PATTERN.match(secret), secret
    assert "chỉ in ra lần này" in done.stderr and secret not in done.stderr
    stored = ApiToken.objects.get()
    assert stored.name == "Bảng điều khiển" and not stored.read_only
    assert stored.key_hash == keys.digest(secret.split("_", 2)[2])
    assert secret.split("_", 2)[2] not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.expires_at is not None
    left = stored.expires_at - timezone.now()
    assert dt.timedelta(days=4, hours=23) < left <= dt.timedelta(days=5)
    response = _get(UNITS, secret)
    assert response.status_code == 200
    codes = {u["code"] for u in response.json()}
    assert "42.H01.X01" in codes and "42.H02.X01" not in codes


def test_the_command_line_lists_and_revokes_tokens(tree: dict[str, OrgUnit]) -> None:
    secret = _token("xa.camhung", read_only=True)
    prefix = secret.split("_")[1]
    runner = CliRunner()
    listed = runner.invoke(main, ["token", "list", "--user", "xa.camhung"])
    assert listed.exit_code == 0
    assert prefix in listed.stdout and "còn hiệu lực" in listed.stdout
    assert "chỉ đọc" in listed.stdout and secret not in listed.stdout
    assert runner.invoke(main, ["token", "revoke", prefix]).exit_code == 0
    assert _error(_get(UNITS, secret)) == "token-revoked"
    again = runner.invoke(main, ["token", "revoke", secret])  # the whole token names it too
    assert again.exit_code == 0 and "từ trước" in again.stdout
    listed = runner.invoke(main, ["token", "list", "--user", "xa.camhung"])
    assert "đã thu hồi" in listed.stdout
    assert runner.invoke(main, ["token", "revoke", "0000000000"]).exit_code == 2


def test_the_command_line_refuses_an_unknown_user_or_a_bad_lifetime(
        tree: dict[str, OrgUnit]) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["token", "create", "--user", "khong-co"]).exit_code == 2
    bad = runner.invoke(main, ["token", "create", "--user", "xa.camhung", "--days", "0"])
    assert bad.exit_code == 2
    assert not ApiToken.objects.exists()
    forever = runner.invoke(main, ["token", "create", "--user", "xa.camhung", "--read-only"])
    assert forever.exit_code == 0
    assert ApiToken.objects.get().expires_at is None and ApiToken.objects.get().read_only


def test_without_credentials_the_answer_is_401_in_json(tree: dict[str, OrgUnit]) -> None:
    response = _get(UNITS)
    assert response.status_code == 401
    assert _error(response) == "not-authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
    other_scheme = Client().get(UNITS, headers={"Authorization": "Basic eHg6eXk="})
    assert other_scheme.status_code == 401


@pytest.mark.parametrize("text", ["", "junk", "cchc_0123456789_" + "A" * 43,
                                  "cchc_0123456789_" + "A" * 44, "x" * 5000])
def test_a_malformed_or_unknown_token_is_invalid(tree: dict[str, OrgUnit], text: str) -> None:
    _token("xa.camhung")
    response = _get(UNITS, text)
    assert response.status_code == 401
    assert _error(response) == "token-invalid"


def test_a_token_with_a_wrong_secret_is_invalid(tree: dict[str, OrgUnit]) -> None:
    secret = _token("xa.camhung")
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert _error(_get(UNITS, wrong)) == "token-invalid"
    assert _get(UNITS, secret).status_code == 200


def test_an_expired_token_is_refused_with_its_reason(tree: dict[str, OrgUnit]) -> None:
    secret = _token("xa.camhung", days=1)
    assert _get(UNITS, secret).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _get(UNITS, secret)
    assert response.status_code == 401
    assert _error(response) == "token-expired"


def test_the_token_of_a_disabled_account_is_refused(tree: dict[str, OrgUnit]) -> None:
    secret = _token("xa.camhung")
    User.objects.filter(username="xa.camhung").update(is_active=False)
    assert _error(_get(UNITS, secret)) == "account-disabled"


def test_a_bad_token_never_falls_back_to_the_session(
        tree: dict[str, OrgUnit], login: Callable[[str], Client]) -> None:
    client = login("xa.camhung")
    assert client.get(UNITS).status_code == 200  # the session alone
    assert _error(_get(UNITS, "junk", client)) == "token-invalid"


def test_last_use_is_written_at_most_once_a_minute(tree: dict[str, OrgUnit]) -> None:
    secret = _token("xa.camhung")
    assert ApiToken.objects.get().last_used_at is None
    _get(UNITS, secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    _get(UNITS, secret)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    _get(UNITS, secret)
    assert ApiToken.objects.get().last_used_at > first  # type: ignore[operator]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_method_on_a_read_endpoint_is_405_in_json(
        tree: dict[str, OrgUnit], method: str) -> None:
    secret = _token("xa.camhung", read_only=True)
    response = getattr(Client(), method)(UNITS, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 405
    assert _error(response) == "method-not-allowed"
    assert response["Allow"] == "GET"


@pytest.mark.urls(__name__)
def test_a_read_only_token_is_refused_on_any_write(tree: dict[str, OrgUnit]) -> None:
    read_only = _token("xa.camhung", read_only=True)
    writer = _token("xa.camhung")
    headers = {"Authorization": f"Bearer {read_only}"}
    refused = Client().post("/probe/write", headers=headers)
    assert refused.status_code == 403
    assert _error(refused) == "token-read-only"
    assert Client().get("/probe/read", headers=headers).status_code == 200
    done = Client().post("/probe/write", headers={"Authorization": f"Bearer {writer}"})
    assert done.status_code == 200 and done.json() == {"user": "xa.camhung"}


@pytest.mark.urls(__name__)
def test_a_session_write_needs_the_csrf_token(
        tree: dict[str, OrgUnit], login: Callable[[str], Client]) -> None:
    client = login("xa.camhung")
    client.handler.enforce_csrf_checks = True
    refused = client.post("/probe/write")
    assert refused.status_code == 403
    assert _error(refused) == "csrf-failed"
    client.get("/")  # a page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    done = client.post("/probe/write", headers={"X-CSRFToken": csrf})
    assert done.status_code == 200 and done.json() == {"user": "xa.camhung"}
    assert Client(enforce_csrf_checks=True).post("/probe/write").status_code == 401


def test_requests_past_the_limit_get_429_with_retry_after(
        tree: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_API_REQUESTS_PER_MINUTE", "3")
    now = [1_000_000 * 60 + 10.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    secret, other = _token("xa.camhung"), _token("xa.kyxuan")
    assert [_get(UNITS, secret).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(UNITS, secret)
    assert refused.status_code == 429
    assert _error(refused) == "throttled"
    assert refused["Retry-After"] == "50"
    assert refused.json()["error"]["details"] == {"retry_after": 50}
    assert _get(UNITS, other).status_code == 200  # each token counts on its own
    now[0] += 50
    assert _get(UNITS, secret).status_code == 200


def test_the_session_is_limited_too(tree: dict[str, OrgUnit], login: Callable[[str], Client],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_API_REQUESTS_PER_MINUTE", "2")
    monkeypatch.setattr(limits, "clock", lambda: 60.0 * 5000)
    client = login("xa.camhung")
    assert [client.get(UNITS).status_code for _ in range(3)] == [200, 200, 429]


def test_an_address_failing_too_often_has_no_token_checked_until_the_minute_ends(
        tree: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_API_FAILURES_PER_MINUTE", "2")
    now = [60.0 * 7000]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    secret = _token("xa.camhung")
    assert [_error(_get(UNITS, "junk")) for _ in range(2)] == ["token-invalid"] * 2
    refused = _get(UNITS, secret)
    assert refused.status_code == 429 and _error(refused) == "throttled"
    assert ApiToken.objects.get().last_used_at is None  # refused before it was checked
    other = Client(REMOTE_ADDR="203.0.113.9").get(
        UNITS, headers={"Authorization": f"Bearer {secret}"})
    assert other.status_code == 200  # another address is not locked
    now[0] += 60
    assert _get(UNITS, secret).status_code == 200
