"""Checkpoints of the journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from jcm.registry import locks
from jcm.registry.models import (
    Checkpoint,
)
from jcm.registry.services._common import (
    _audit,
)

# --------------------------------------------------------------------------------------------------
# Checkpoints


def create_checkpoint(*, actor: Any = None, now: datetime) -> Checkpoint:
    """Publish ``(sequence, hash)`` of the journal head (idempotent per sequence)."""
    with transaction.atomic():
        head = locks.lock_head()
        cp, created = Checkpoint.objects.get_or_create(
            sequence=head.sequence, defaults={"hash": head.hash, "created_at": now}
        )
        if created:
            _audit("checkpoint", cp, now=now, actor=actor, after={"sequence": cp.sequence, "hash": cp.hash})
        return cp
