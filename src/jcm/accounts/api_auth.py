"""API authentication: ``Authorization: Bearer <token>`` (tokens from ``jcm users token``), or the session.

Only the SHA-256 of a token is stored. A revoked or unknown token is refused (401).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from jcm.audit.core.clock import system_now

TOKEN_PREFIX = "jcm_"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, user: Any, name: str, now: datetime) -> str:
    """Create a token for ``user`` and return it (the only time it is seen in clear)."""
    from django.db import transaction

    from jcm.accounts.errors import AccountsError
    from jcm.accounts.models import ApiToken
    from jcm.audit.services import record_event

    if not name.strip():
        raise AccountsError("name", "must not be empty")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, name=name.strip(), prefix=token[:10], digest=digest_of(token),
                                      created_at=now)
        record_event(action="accounts.api_token.create", target=row, at=now, actor=user,
                     after={"name": row.name, "prefix": row.prefix})
    return token


def revoke_tokens(*, user: Any, now: datetime, prefix: str = "") -> list[str]:
    """Revoke the user's active tokens (only the one whose prefix starts with ``prefix``, when given).

    Returns the prefixes revoked; a revoked token is refused from then on (401). One audit event each."""
    from django.db import transaction

    from jcm.accounts.models import ApiToken
    from jcm.audit.services import record_event

    with transaction.atomic():
        rows = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).order_by("pk")
        if prefix.strip():
            rows = rows.filter(prefix__startswith=prefix.strip()[:10])
        revoked = []
        for row in rows:
            row.revoked_at = now
            row.save(update_fields=["revoked_at"])
            record_event(action="accounts.api_token.revoke", target=row, at=now, actor=user,
                         after={"name": row.name, "prefix": row.prefix})
            revoked.append(row.prefix)
    return revoked


def user_for_token(token: str, *, now: datetime | None = None) -> Any:
    """The active user a token belongs to, or None."""
    from jcm.accounts.models import ApiToken

    row = (ApiToken.objects.select_related("user").filter(digest=digest_of(token.strip()), revoked_at__isnull=True)
           .first())
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=now or system_now())
    return row.user


class ApiTokenAuth(HttpBearer):
    """Bearer-token authentication for django-ninja; sets ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


token_auth = ApiTokenAuth()
# A token, or a signed-in browser session (with its CSRF check on writes).
token_or_session = [token_auth, django_auth]
