"""Request limits of the API, counted in Django's cache per minute (a fixed window):

- each token, or each logged-in user on the session, may make CCHC_API_REQUESTS_PER_MINUTE
  requests a minute (default 600);
- an address whose tokens failed CCHC_API_FAILURES_PER_MINUTE times in the current minute
  (default 30) has no token checked until the minute is over.

The address is the one login throttling counts (cchc_web.throttle.client_address: trusted
proxies only). The counts live in the default cache: with the default local-memory cache
each worker process counts its own requests, so the limits hold per worker.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from cchc_web import env
from cchc_web.api.errors import MESSAGES, ApiError

WINDOW = 60
clock = time.time  # the tests move it


def requests_per_minute() -> int:
    return env.integer("CCHC_API_REQUESTS_PER_MINUTE", 600, minimum=1)


def failures_per_minute() -> int:
    return env.integer("CCHC_API_FAILURES_PER_MINUTE", 30, minimum=1)


def _key(kind: str, who: str) -> tuple[str, int]:
    """The cache key of `who`'s count in the current window, and the seconds left in it."""
    now = clock()
    return f"cchc-api:{kind}:{who}:{int(now // WINDOW)}", WINDOW - int(now % WINDOW)


def _add(key: str) -> int:
    if cache.add(key, 1, timeout=2 * WINDOW):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * WINDOW)
        return 1


def _refuse(seconds: int) -> ApiError:
    seconds = max(1, seconds)
    return ApiError(429, "throttled", MESSAGES["throttled"].format(seconds=seconds),
                    {"retry_after": seconds}, {"Retry-After": str(seconds)})


def count_request(who: str) -> None:
    """Count one request of `who` ("t:<token id>", "u:<user id>"); 429 past the limit."""
    key, left = _key("r", who)
    if _add(key) > requests_per_minute():
        raise _refuse(left)


def refuse_if_failing(address: str) -> None:
    """429 when `address` has had too many token failures this minute."""
    key, left = _key("f", address)
    if int(cache.get(key, 0)) >= failures_per_minute():
        raise _refuse(left)


def count_failure(address: str) -> None:
    _add(_key("f", address)[0])
