"""Writing the audit trail. Called by other capabilities' services inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction

from jcm.audit.context import current_request_id
from jcm.audit.core.snapshot import jsonable
from jcm.audit.models import AuditEvent

# Attribute paths, tried in order, that lead from an object to the partner country of its pair.
_PAIR_PATHS = (
    ("partner_code",),
    ("pair", "partner", "code"),
    ("project", "pair", "partner", "code"),
    ("methodology", "pair", "partner", "code"),
    ("report", "project", "pair", "partner", "code"),
)
# Registry objects are deliberately not scoped to a pair here: a registry belongs to one
# government, its actions are public record in the hash-chained journal, and the PostgreSQL
# fast path writes its audit rows in SQL with the column's database default ("").


def pair_of(target: Any) -> str:
    """The partner country code of the country pair ``target`` belongs to, or "" if none is known.

    Walks plain attributes only (this layer imports no capability): objects of every capability
    expose their pair as ``pair``, ``project.pair``, ``methodology.pair`` or ``partner_code``.
    """
    for path in _PAIR_PATHS:
        value: Any = target
        for name in path:
            value = getattr(value, name, None)
            if value is None:
                break
        if isinstance(value, str) and len(value) == 2 and value.isalpha():
            return value.upper()
    return ""


class NoTransactionError(RuntimeError):
    """An audit event was recorded outside a transaction: the change and its record could diverge."""


def record_event(
    *,
    action: str,
    target: models.Model | tuple[str, str],
    at: datetime,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    label: str = "",
    request_id: str | None = None,
    partner_code: str | None = None,
    using: str = "default",
) -> AuditEvent:
    """Append one audit event for a regulatory action.

    ``target`` is a saved model instance or a ``(type, id)`` pair, e.g. ``("registry.block", "42")``.
    ``actor`` is a user instance, or None for the system (CLI loads, background tasks).
    ``partner_code`` names the country pair the object belongs to (who may read the trail depends
    on it); by default it is found on the target (see :func:`pair_of`).

    Raises NoTransactionError when called outside ``transaction.atomic`` (the event must commit or
    roll back together with the change it describes), and ValueError for a naive ``at``.
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise NoTransactionError("record_event must be called inside the transaction of the change")
    if at.tzinfo is None:
        raise ValueError("'at' must be timezone-aware")
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        label = label or str(target)
        if partner_code is None:
            partner_code = pair_of(target)
    else:
        target_type, target_id = target
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.using(using).create(
        at=at,
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system"),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:300],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        request_id=request_id if request_id is not None else current_request_id.get(),
        partner_code=(partner_code or "").upper(),
    )
