"""Test helpers: issuance the way the project cycle does it (record the JC's notification, then
issue against it)."""

from __future__ import annotations

from typing import Any

from jcm.registry import services


def notify_and_issue(
    *, idempotency_key: str, registry: str, reference: str, decision: str = "", now: Any, actor: Any = None,
    **notified: Any,
) -> services.Result:
    """Record the notification ``N-<reference>`` (decision ``D-<reference>`` unless given) and issue it."""
    services.record_jc_notification(
        idempotency_key=f"{idempotency_key}-notice", registry=registry, reference=f"N-{reference}",
        decision=decision or f"D-{reference}", actor=actor, now=now, **notified,
    )
    return services.issue(idempotency_key=idempotency_key, registry=registry, notification=f"N-{reference}",
                          reference=reference, actor=actor, now=now)
