"""Reading the audit trail as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jcm.audit.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: Any
    after: Any
    request_id: str


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        at=event.at,
        actor=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
    )


def trail_for(
    *, target_type: str, target_id: str, pairs: set[str] | None = None, limit: int = 200,
) -> list[AuditEntry]:
    """The audit trail of one object, oldest first.

    ``pairs`` limits it to events of objects of those country pairs (partner codes); None = all.
    """
    events = AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
    if pairs is not None:
        events = events.filter(partner_code__in=sorted(pairs))
    return [_entry(e) for e in events.order_by("at", "id")[:limit]]


def recent(*, pairs: set[str] | None = None, limit: int = 50) -> list[AuditEntry]:
    """The most recent events across the platform (or of ``pairs``), newest first."""
    events = AuditEvent.objects.all()
    if pairs is not None:
        events = events.filter(partner_code__in=sorted(pairs))
    return [_entry(e) for e in events.order_by("-at", "-id")[:limit]]
