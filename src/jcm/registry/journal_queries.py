"""Reads of the journal's public proof: the head and the published checkpoints, newest first, a page
at a time (keyset: ``before`` a sequence), with their signatures; the export with them. Plain
dataclasses; the public page, the API and the CLI share them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jcm.registry import queries
from jcm.registry.models import Checkpoint

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class CheckpointRow:
    sequence: int
    hash: str
    created_at: datetime
    signature: str = ""  # hex; "" when unsigned

    @property
    def pair(self) -> str:
        """``SEQ:HASH`` (``SEQ:HASH:SIGNATURE`` when signed), as ``jcm ledger verify --checkpoint`` takes it."""
        return f"{self.sequence}:{self.hash}" + (f":{self.signature}" if self.signature else "")


@dataclass(frozen=True)
class CheckpointList:
    head_sequence: int
    head_hash: str
    total: int  # published checkpoints (of a non-empty journal)
    checkpoints: list[CheckpointRow] = field(default_factory=list)  # newest first
    next_before: int | None = None  # pass as ``before`` for the next (older) page; None: no more


def checkpoint_list(*, before: int | None = None, limit: int = PAGE_SIZE) -> CheckpointList:
    """The journal head and up to ``limit`` checkpoints with a sequence below ``before`` (all when
    None), newest first. A checkpoint at entry 0 (the empty journal, stored by older versions) names
    no entry and is left out. ``limit`` is clamped to 1..MAX_PAGE_SIZE."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    seq, digest = queries.journal_head()
    published = Checkpoint.objects.filter(sequence__gt=0)
    qs = published.filter(sequence__lt=before) if before is not None else published
    rows = [_row(c) for c in qs.order_by("-sequence")[: limit + 1]]
    more = len(rows) > limit
    rows = rows[:limit]
    return CheckpointList(
        head_sequence=seq,
        head_hash=digest,
        total=published.count(),
        checkpoints=rows,
        next_before=rows[-1].sequence if more else None,
    )


def latest_checkpoint() -> CheckpointRow | None:
    c = Checkpoint.objects.filter(sequence__gt=0).order_by("-sequence").first()
    return _row(c) if c else None


def _row(c: Checkpoint) -> CheckpointRow:
    return CheckpointRow(c.sequence, c.hash, c.created_at, c.signature or "")


# The verifier's and the export's readers live in ``queries`` (one definition each).
checkpoints = queries.checkpoints
export_lines = queries.export_lines
