"""Checkpoints of the journal: ``(sequence, hash)`` of the journal head, published so that anyone
who records one can later check that the registry never rewrote what came before it.

* :func:`create_checkpoint` publishes the head on request (a registry manager's button, or
  ``jcm ledger checkpoint``); it refuses an empty journal.
* :func:`publish_checkpoint` is the periodic publisher (``jcm ledger checkpoint --every SECONDS``,
  ``jcm.registry.tasks.publish_checkpoint_task``): it publishes only when the journal has grown
  since the latest checkpoint, and does nothing (no error, no empty duplicate) otherwise.

Each publication is one transaction with one audit event (``registry.checkpoint``) naming the actor
(the user, or "system" for the CLI and scheduled runs). When ``JCM_CHECKPOINT_SIGNING_KEY`` names a
key (``jcm.registry.signing``), each new checkpoint is signed with it (``core.signing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from jcm.registry import locks, signing
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.signing import fingerprint, sign_checkpoint
from jcm.registry.models import Checkpoint, JournalEntry
from jcm.registry.services._common import _audit


@dataclass(frozen=True)
class CheckpointRun:
    """What one run of the periodic publisher did.

    ``created`` is True when a new checkpoint was published; otherwise ``sequence``/``hash`` name
    the latest existing checkpoint (0 and "" when there is none) and ``reason`` says why nothing
    was published: ``"empty"`` (the journal has no entry) or ``"unchanged"`` (no entry since the
    latest checkpoint).
    """

    created: bool
    sequence: int
    hash: str
    reason: str = ""
    signature: str = ""  # of the checkpoint named, hex; "" when unsigned


def create_checkpoint(*, actor: Any = None, now: datetime) -> Checkpoint:
    """Publish ``(sequence, hash)`` of the journal head; idempotent per sequence (when the head is
    already checkpointed the existing checkpoint is returned and nothing is written).

    Raises ``InvalidInput`` when the journal is empty (a checkpoint names an entry; there is none
    yet), when ``now`` is naive, when the head row disagrees with the stored journal, or when the
    signing key is configured but unusable.
    """
    cp, _created, reason = _publish(actor=actor, now=now)
    if cp is None:
        assert reason == "empty"
        raise InvalidInput(Message(N_("the journal has no entries yet; a checkpoint needs at least one entry")))
    return cp


def publish_checkpoint(*, actor: Any = None, now: datetime) -> CheckpointRun:
    """Publish a checkpoint of the journal head if the journal has grown since the latest one.

    Safe to run as often as wanted and concurrently with manual checkpoints: an empty journal or an
    unchanged head publishes nothing. Raises ``InvalidInput`` for a naive ``now``, a head row that
    disagrees with the stored journal, or a configured but unusable signing key.
    """
    cp, created, reason = _publish(actor=actor, now=now)
    if cp is None:
        return CheckpointRun(created=False, sequence=0, hash="", reason=reason)
    return CheckpointRun(
        created=created, sequence=cp.sequence, hash=cp.hash, reason=reason, signature=cp.signature or ""
    )


def _publish(*, actor: Any, now: datetime) -> tuple[Checkpoint | None, bool, str]:
    """(checkpoint of the head or None, created?, reason when not created)."""
    if now.tzinfo is None:
        raise InvalidInput(N_("now must be timezone-aware"))
    key = signing.signing_key()  # before any lock: a misconfigured key refuses at once
    with transaction.atomic():
        head = locks.lock_head()
        latest = Checkpoint.objects.order_by("-sequence").first()
        if head.sequence == 0:
            if JournalEntry.objects.exists():
                raise _head_mismatch(head.sequence)
            return None, False, "empty"
        stored = JournalEntry.objects.filter(sequence=head.sequence).values_list("hash", flat=True).first()
        if stored != head.hash:
            raise _head_mismatch(head.sequence)
        if latest is not None and latest.sequence >= head.sequence:
            if latest.sequence > head.sequence:
                raise InvalidInput(
                    Message(
                        N_("the latest checkpoint (entry %(checkpoint)s) lies beyond the journal head "
                           "(entry %(head)s); run jcm ledger verify"),
                        checkpoint=latest.sequence,
                        head=head.sequence,
                    )
                )
            return latest, False, "unchanged"
        cp = Checkpoint.objects.create(
            sequence=head.sequence,
            hash=head.hash,
            created_at=now,
            signature=sign_checkpoint(key, head.sequence, head.hash) if key is not None else "",
        )
        after: dict[str, Any] = {
            "sequence": cp.sequence,
            "hash": cp.hash,
            "previous_sequence": latest.sequence if latest is not None else 0,
        }
        if key is not None:
            after["signed_by"] = fingerprint(key.public_key())
        _audit("checkpoint", cp, now=now, actor=actor, after=after)
        return cp, True, ""


def _head_mismatch(sequence: int) -> InvalidInput:
    return InvalidInput(
        Message(
            N_("the journal head (entry %(sequence)s) does not match the stored journal; run jcm ledger verify"),
            sequence=sequence,
        )
    )
