"""Throttling of password checks: the login page, the admin's login (the same view) and the
old password at "Đổi mật khẩu". One rule, three limits (defaults; settings in brackets, their
environment variables in .env.example):

1. Per (user name, address) pair. The first 5 failures [LOGIN_MAX_FAILURES] are free; from
   the 5th on, the pair is locked for 60 s [LOGIN_LOCK_SECONDS] after its latest failure,
   doubling with each further failure (1, 2, 4, 8 … minutes) up to 1 hour
   [LOGIN_LOCK_MAX_SECONDS]. A pair's failures are forgotten 24 hours after they happened
   or at its first success. Someone guessing elsewhere locks only their own pairs, never the
   officer's own login from the officer's own machine.
2. Per address: at most 30 failures [LOGIN_ADDRESS_MAX_FAILURES] across all user names in
   any hour [LOGIN_ADDRESS_WINDOW_SECONDS]; beyond that the address waits until its oldest
   failure in the hour is an hour old. Enough for an office behind one NAT address making a
   few mistakes, too few for spraying passwords over many user names. A success does not
   reset it (otherwise an attacker's own account would).
3. Site-wide: while more than 60 failures [LOGIN_SITE_MAX_FAILURES_PER_MINUTE] happened in
   the last minute, an address that failed within the last minute waits until that failure
   is a minute old: every failing address is slowed to one attempt a minute, while an
   address without recent failures (an officer typing the right password) gets in at once.

The address is REMOTE_ADDR, except when REMOTE_ADDR is one of the trusted proxies
[TRUSTED_PROXIES, CCHC_TRUSTED_PROXIES]: then it is the right-most address of
X-Forwarded-For that is not itself a trusted proxy. Without a trusted proxy the header is
ignored, so a client cannot choose the address it is counted under. An IPv6 address counts
as its /64 network (what one subscriber gets).

No race: an attempt is recorded in its own committed transaction *before* the password is
checked, and only then are the records counted, so each of N concurrent attempts sees at
least as many records as its commit rank and no burst gets more checks than the limit. A
refused attempt removes its own records (it checked nothing); a successful one removes its
own and its pair's. Records are `LoginFailure` rows: `p:<address>:<hash of the user name>`,
`a:<address>` and `s` (site), always far below the column's 255 characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cchc_web.models import LoginFailure

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FORGET = dt.timedelta(hours=24)
MINUTE = dt.timedelta(minutes=1)
SITE_KEY = "s"


class Throttled(Exception):
    """Too many failures: nothing was checked. `message` is for the officer."""

    def __init__(self, reason: str, retry_at: dt.datetime, failures: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at
        self.failures = failures

    @property
    def message(self) -> str:
        why = {
            "pair": f"Đã nhập sai mật khẩu {self.failures} lần cho tài khoản này.",
            "address": "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng của bạn.",
            "site": "Hệ thống đang nhận quá nhiều lần đăng nhập sai.",
        }[self.reason]
        minutes = max(1, math.ceil((self.retry_at - timezone.now()).total_seconds() / 60))
        # The clock time rounded up, so that trying again at the minute shown works.
        at = self.retry_at.replace(second=0, microsecond=0)
        if at < self.retry_at:
            at += MINUTE
        return (f"{why} Hãy thử lại sau {minutes} phút "
                f"(lúc {timezone.localtime(at):%H:%M}).")


@dataclass
class Attempt:
    """A recorded attempt whose password may now be checked once."""

    pair_key: str
    ids: list[int]

    def succeeded(self) -> None:
        LoginFailure.objects.filter(Q(key=self.pair_key) | Q(pk__in=self.ids)).delete()


def begin(request: HttpRequest, username: str) -> Attempt:
    """Record an attempt to check `username`'s password from this request's address, or
    raise Throttled. Call `succeeded()` on the result when the password was right; a wrong
    one needs nothing more (the record stays as a failure)."""
    address = client_address(request)
    pair, own_address = pair_key(address, username), f"a:{address}"
    window = dt.timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    start = timezone.now()
    LoginFailure.objects.filter(Q(at__lt=start - FORGET) | Q(key=SITE_KEY, at__lt=start - MINUTE)
                                | Q(key=own_address, at__lt=start - window)).delete()
    with transaction.atomic():
        ids = [LoginFailure.objects.create(key=k).pk for k in (pair, own_address, SITE_KEY)]
    try:
        _check(pair, own_address, set(ids), timezone.now())
    except Throttled:
        LoginFailure.objects.filter(pk__in=ids).delete()
        raise
    return Attempt(pair, ids)


def _check(pair: str, own_address: str, own: set[int], now: dt.datetime) -> None:
    """Raise Throttled when the records other than `own` forbid one more check."""
    limit = settings.LOGIN_MAX_FAILURES
    pair_times = sorted(at for pk, at in LoginFailure.objects.filter(
        key=pair, at__gte=now - FORGET).values_list("pk", "at") if pk not in own)
    if len(pair_times) >= limit:
        doublings = min(len(pair_times) - limit, 30)
        lock = min(settings.LOGIN_LOCK_SECONDS * 2 ** doublings, settings.LOGIN_LOCK_MAX_SECONDS)
        until = pair_times[-1] + dt.timedelta(seconds=lock)
        if until > now:
            raise Throttled("pair", until, len(pair_times))

    window = dt.timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    address_times = sorted(at for pk, at in LoginFailure.objects.filter(
        key=own_address, at__gte=now - window).values_list("pk", "at") if pk not in own)
    most = settings.LOGIN_ADDRESS_MAX_FAILURES
    if len(address_times) >= most:
        raise Throttled("address", address_times[len(address_times) - most] + window)

    site = LoginFailure.objects.filter(key=SITE_KEY, at__gte=now - MINUTE).count()
    if site > settings.LOGIN_SITE_MAX_FAILURES_PER_MINUTE:
        recent = [at for at in address_times if at >= now - MINUTE]
        if recent:
            raise Throttled("site", recent[-1] + MINUTE)


def pair_key(address: str, username: str) -> str:
    """Bounded whatever the user name: its hash, not the name (which may be any length)."""
    digest = hashlib.sha256(username.strip().casefold().encode("utf-8", "replace"))
    return f"p:{address}:{digest.hexdigest()[:32]}"


def client_address(request: HttpRequest) -> str:
    """The address a request is counted under (see the module docstring)."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    address = remote
    if _trusted(remote, proxies):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            ip = _parse(hop)
            if ip is None:
                break  # not written by a trusted proxy: keep the last hop that was
            address = ip
            if not _trusted(ip, proxies):
                break
    return _bucket(address)


@functools.lru_cache(maxsize=8)
def _networks(words: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(w, strict=False) for w in words)


def _trusted(ip: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(ip.version == net.version and ip in net for net in proxies)


def _parse(text: str) -> IPAddress | None:
    """An address as proxies write it: "203.0.113.7", "2001:db8::1", "[2001:db8::1]:443",
    "203.0.113.7:443"; None for anything else."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _bucket(ip: IPAddress) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
