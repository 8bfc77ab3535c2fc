"""Login throttling (cchc_web.throttle): per (user name, address) with doubling locks, per
address, site-wide; the client's address behind a trusted proxy; no race in a parallel
burst; the admin's login is the same throttled login; bounded input and keys."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import F
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from cchc_web import throttle
from cchc_web.models import LoginFailure
from cchc_web.views import auth
from tests.web.conftest import PASSWORDS

OFFICER = "xa.camhung"
RIGHT = PASSWORDS[OFFICER]
RETRY = re.compile(r"Hãy thử lại sau (\d+) phút \(lúc \d\d:\d\d\)\.")


@pytest.fixture(autouse=True)
def _rule(settings: Any) -> None:
    """The documented defaults, whatever the environment of the test run says."""
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_LOCK_SECONDS = 60
    settings.LOGIN_LOCK_MAX_SECONDS = 3600
    settings.LOGIN_ADDRESS_MAX_FAILURES = 30
    settings.LOGIN_ADDRESS_WINDOW_SECONDS = 3600
    settings.LOGIN_SITE_MAX_FAILURES_PER_MINUTE = 60
    settings.TRUSTED_PROXIES = []


def _post(username: str, password: str, address: str = "127.0.0.1",
          client: Client | None = None, url: str | None = None, **extra: str) -> Any:
    return (client or Client()).post(url or reverse("login"),
                                     {"username": username, "password": password},
                                     REMOTE_ADDR=address, **extra)


def _text(response: Any) -> str:
    return str(response.content.decode())


def _wrong(response: Any) -> bool:
    return response.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng." in _text(
        response)


def _retry_minutes(response: Any) -> int:
    found = RETRY.search(_text(response))
    assert found, _text(response)
    return int(found.group(1))


def _later(seconds: int) -> None:
    """As if `seconds` had passed: every record is that much older."""
    LoginFailure.objects.update(at=F("at") - dt.timedelta(seconds=seconds))


def test_a_pair_gets_five_free_failures_then_a_lock_that_doubles(tree: object) -> None:
    for _ in range(5):
        assert _wrong(_post(OFFICER, "sai"))
    blocked = _post(OFFICER, RIGHT)  # the right password is not even checked now
    assert "Đã nhập sai mật khẩu 5 lần cho tài khoản này." in _text(blocked)
    assert _retry_minutes(blocked) == 1 and "_auth_user_id" not in blocked.client.session
    _later(61)
    assert _wrong(_post(OFFICER, "sai"))  # the 6th failure: locked for 2 minutes
    assert _retry_minutes(_post(OFFICER, RIGHT)) == 2
    _later(61)
    assert _retry_minutes(_post(OFFICER, RIGHT)) == 1
    _later(60)
    assert _post(OFFICER, RIGHT).status_code == 302
    assert not LoginFailure.objects.filter(key__startswith="p:").exists()  # success resets


def test_the_lock_stops_growing_at_its_cap(tree: object) -> None:
    pair = throttle.pair_key("127.0.0.1", OFFICER)
    LoginFailure.objects.bulk_create(LoginFailure(key=pair) for _ in range(40))
    assert _retry_minutes(_post(OFFICER, RIGHT)) == 60


def test_guessing_elsewhere_does_not_lock_the_officer_out(tree: object) -> None:
    """Failures for a predictable user name from an attacker's address lock that pair only."""
    for _ in range(12):
        _post(OFFICER, "doan-mo", address="198.51.100.66")
    assert _post(OFFICER, RIGHT, address="198.51.100.66").status_code == 200  # locked
    assert _post(OFFICER, RIGHT, address="192.0.2.7").status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_mistakes(tree: object) -> None:
    for n in range(10):
        assert _wrong(_post(f"can.bo{n}", "nham", address="192.0.2.10"))
    assert _post(OFFICER, RIGHT, address="192.0.2.10").status_code == 302


def test_spraying_many_user_names_from_one_address_is_stopped(
        tree: object, settings: Any) -> None:
    settings.LOGIN_ADDRESS_MAX_FAILURES = 8
    for n in range(8):
        assert _wrong(_post(f"ten{n}", "123456", address="198.51.100.20"))
    refused = _post("ten8", "123456", address="198.51.100.20")
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng của bạn." in _text(refused)
    assert _retry_minutes(refused) == 60
    assert _post(OFFICER, RIGHT, address="198.51.100.21").status_code == 302
    _later(3601)
    assert _wrong(_post("ten8", "123456", address="198.51.100.20"))


def test_a_success_resets_its_pair_but_not_its_address(tree: object) -> None:
    for _ in range(4):
        _post(OFFICER, "sai", address="192.0.2.30")
    _post("khac", "sai", address="192.0.2.30")
    assert _post(OFFICER, RIGHT, address="192.0.2.30").status_code == 302
    assert LoginFailure.objects.filter(key=throttle.pair_key("192.0.2.30", OFFICER)).count() == 0
    assert LoginFailure.objects.filter(key="a:192.0.2.30").count() == 5


def test_a_site_wide_storm_slows_failing_addresses_but_not_a_right_password(
        tree: object, settings: Any) -> None:
    settings.LOGIN_SITE_MAX_FAILURES_PER_MINUTE = 4
    for n in range(5):
        assert _wrong(_post(f"nguoi{n}", "sai", address=f"198.51.100.{n + 1}"))
    again = _post("nguoi9", "sai", address="198.51.100.1")  # failed within the minute
    assert "Hệ thống đang nhận quá nhiều lần đăng nhập sai." in _text(again)
    assert _retry_minutes(again) == 1
    # Another officer elsewhere, with no recent failure: checked at once.
    assert _post(OFFICER, RIGHT, address="203.0.113.50").status_code == 302
    assert _wrong(_post("nguoi10", "sai", address="203.0.113.51"))  # one try, then waits
    assert "quá nhiều" in _text(_post("nguoi10", "sai", address="203.0.113.51"))
    _later(61)
    assert _wrong(_post("nguoi9", "sai", address="198.51.100.1"))


def test_the_forwarded_header_is_ignored_without_a_trusted_proxy(tree: object) -> None:
    for n in range(5):
        _post(OFFICER, "sai", address="198.51.100.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    blocked = _post(OFFICER, RIGHT, address="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert "Hãy thử lại sau" in _text(blocked)


def test_behind_a_trusted_proxy_each_client_is_counted_apart(
        tree: object, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = "10.0.0.2"
    for _ in range(5):
        _post(OFFICER, "sai", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # The attacker cannot escape by writing another address left of its own …
    spoofed = _post(OFFICER, RIGHT, address=proxy,
                    HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert "Hãy thử lại sau" in _text(spoofed)
    # … while the officer, behind the same proxy, logs in.
    assert _post(OFFICER, RIGHT, address=proxy,
                 HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302


@pytest.mark.parametrize(("remote", "forwarded", "trusted", "counted"), [
    ("198.51.100.7", "", [], "198.51.100.7"),
    ("198.51.100.7", "203.0.113.1", [], "198.51.100.7"),             # header not believed
    ("10.0.0.2", "203.0.113.1", ["10.0.0.2"], "203.0.113.1"),
    ("10.0.0.2", "1.2.3.4, 203.0.113.1", ["10.0.0.0/24"], "203.0.113.1"),  # right-most
    ("10.0.0.2", "203.0.113.1, 10.0.1.5", ["10.0.0.0/16"], "203.0.113.1"),  # proxy chain
    ("10.0.0.2", "", ["10.0.0.2"], "10.0.0.2"),
    ("10.0.0.2", "10.0.0.3", ["10.0.0.0/24"], "10.0.0.3"),           # only proxies
    ("10.0.0.2", "203.0.113.1, rác", ["10.0.0.2"], "10.0.0.2"),      # garbage: the proxy
    ("10.0.0.2", "203.0.113.1:51234", ["10.0.0.2"], "203.0.113.1"),
    ("10.0.0.2", "[2001:db8:1:2::7]:443", ["10.0.0.2"], "2001:db8:1:2::/64"),
    ("2001:db8:aa:bb:1::9", "", [], "2001:db8:aa:bb::/64"),          # IPv6: per /64
    ("::ffff:198.51.100.7", "", [], "198.51.100.7"),
    ("", "203.0.113.1", [], "unknown"),
])
def test_the_client_address(remote: str, forwarded: str, trusted: list[str], counted: str,
                            settings: Any) -> None:
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().post("/dang-nhap/", REMOTE_ADDR=remote,
                                    HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_address(request) == counted


class CountingBackend(ModelBackend):
    """Counts password checks; slow, so that a racy throttle would let a burst through."""

    calls = 0
    lock = threading.Lock()

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        with CountingBackend.lock:
            CountingBackend.calls += 1
        threading.Event().wait(0.05)
        return super().authenticate(request, username=username, password=password, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_no_more_checks_than_the_limit(
        tree: object, settings: Any) -> None:
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.CountingBackend"]
    CountingBackend.calls = 0
    barrier = threading.Barrier(20)
    answers: list[str] = []
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            client = Client()
            barrier.wait()
            answers.append(_text(_post(OFFICER, "sai", client=client)))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and len(answers) == 20
    checked = sum("không đúng" in a for a in answers)
    assert 1 <= CountingBackend.calls <= 5 and checked == CountingBackend.calls
    assert sum("Hãy thử lại sau" in a for a in answers) == 20 - checked
    # Refused attempts left no record; each checked one is a failure of the pair.
    pair = throttle.pair_key("127.0.0.1", OFFICER)
    assert LoginFailure.objects.filter(key=pair).count() == checked


@pytest.mark.parametrize(("username", "password", "message"), [
    ("a" * 300, "sai", "Tên đăng nhập: Dài quá 150 ký tự."),
    ("xa.camhung\x00", "sai", "Tên đăng nhập: Không được chứa ký tự NUL."),
    (OFFICER, "sai\x00", "Mật khẩu: Không được chứa ký tự NUL."),
    (OFFICER, "x" * 1025, "Mật khẩu: Dài quá 1024 ký tự."),
])
def test_overlong_or_nul_input_is_refused_before_any_query(
        tree: object, username: str, password: str, message: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = _post(username, password)
    assert response.status_code == 200 and message in _text(response)
    touched = [q["sql"] for q in queries.captured_queries
               if "auth_user" in q["sql"] or "loginfailure" in q["sql"].lower()]
    assert touched == []
    assert not LoginFailure.objects.exists()


def test_throttle_keys_fit_the_column_whatever_the_user_name() -> None:
    longest = "ffff:ffff:ffff:ffff::/64"
    for name in ("a" * 100_000, "ü" * 5000, "\x00", ""):
        assert len(throttle.pair_key(longest, name)) < 255
    assert throttle.pair_key("192.0.2.1", "Xa.CamHung ") == throttle.pair_key(
        "192.0.2.1", "xa.camhung")


def test_the_admin_login_is_the_sites_throttled_login(tree: object) -> None:
    admin_login = reverse("admin:login")
    assert resolve(admin_login).func.view_class is auth.AdminLogin  # type: ignore[attr-defined]
    for _ in range(5):
        assert _wrong(_post("quantri", "doan", url=admin_login))
    # Locked on both pages: one lock, one code path.
    assert "Hãy thử lại sau" in _text(_post("quantri", PASSWORDS["quantri"], url=admin_login))
    assert "Hãy thử lại sau" in _text(_post("quantri", PASSWORDS["quantri"]))
    _later(61)
    client = Client()
    first = client.get(reverse("admin:index"))
    assert first.status_code == 302 and first["Location"] == f"{admin_login}?next=/quan-tri/"
    page = client.get(first["Location"])
    assert 'name="next" value="/quan-tri/"' in _text(page)
    done = client.post(admin_login, {"username": "quantri", "password": PASSWORDS["quantri"],
                                     "next": "/quan-tri/"})
    assert done.status_code == 302 and done["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200
    assert client.get(admin_login)["Location"] == "/quan-tri/"  # staff already logged in


def test_an_officer_without_admin_rights_is_told_not_looped(tree: object) -> None:
    client = Client()
    assert _post(OFFICER, RIGHT, client=client, url=reverse("admin:login")).status_code == 302
    first = client.get("/quan-tri/")
    assert first.status_code == 302
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert f"Tài khoản {OFFICER} không có quyền vào trang quản trị." in _text(page)


def test_the_admins_password_change_is_the_sites(tree: object) -> None:
    response = Client().get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("password-change")
