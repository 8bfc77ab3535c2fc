"""Personal API tokens: made, checked, revoked. The page "Khóa truy cập API", the command
`cchc token` and the API's authentication all go through here.

A token reads `cchc_<prefix>_<secret>`: the prefix (10 hex digits) names the token in lists
and finds its row; the secret (`secrets.token_urlsafe(32)`, 256 random bits) is shown once
and kept only as its SHA-256 hash, compared in constant time. A slow password hash would buy
nothing against 256 random bits and would cost every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc_web.models import ApiToken

PATTERN = re.compile(r"^cchc_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$")
LAST_USE_EVERY = dt.timedelta(minutes=1)  # last use is written at most this often
MAX_DAYS = 3650
MAX_ACTIVE = 20  # active tokens a user may hold at once
NAME_LENGTH = 100


class TokenRefused(Exception):
    """The token cannot be used; `code` says why (token-invalid, token-expired,
    token-revoked, account-disabled)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # the whole token, to show once; never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def issue(user: AbstractBaseUser, name: str, days: int | None = None,
          read_only: bool = False) -> Issued:
    """A new token of `user`, valid `days` days (None: until revoked)."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1..{MAX_DAYS}")
    expires = timezone.now() + dt.timedelta(days=days) if days is not None else None
    name = " ".join(name.split())[:NAME_LENGTH] or "Khóa API"
    for _ in range(5):  # a prefix drawn twice (1 in 10^12) is drawn again
        prefix, secret = secrets.token_hex(5), secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=user, name=name, prefix=prefix,
                                                key_hash=digest(secret), expires_at=expires,
                                                read_only=read_only)
        except IntegrityError:
            continue
        return Issued(token, f"cchc_{prefix}_{secret}")
    raise RuntimeError("no free token prefix")


def active_count(user: AbstractBaseUser) -> int:
    from django.db.models import Q

    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)).count()


def revoke(token: ApiToken) -> bool:
    """Revoke `token`; False when it already was."""
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    return bool(done)


def check(text: str) -> ApiToken:
    """The token `text` names, usable now (its user loaded), or TokenRefused."""
    found = PATTERN.match(text.strip())
    if found is None:
        raise TokenRefused("token-invalid")
    prefix, secret = found.groups()
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    # the hash is compared even when no row matched, so that timing tells nothing
    stored = token.key_hash if token is not None else "0" * 64
    if not hmac.compare_digest(digest(secret), stored) or token is None:
        raise TokenRefused("token-invalid")
    now = timezone.now()
    state = token.state(now)
    if state != "active":
        raise TokenRefused(f"token-{state}")
    if not token.user.is_active:
        raise TokenRefused("account-disabled")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
