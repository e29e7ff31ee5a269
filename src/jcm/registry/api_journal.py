"""/api/v1/registry/journal/checkpoints: the published checkpoints of the journal, for anyone.

Mounted next to ``jcm.registry.api.router`` (same ``/registry`` prefix, see ``jcm.site.api``); the
journal export and head stay there (``/journal/export``, ``/journal/head``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jcm.registry import journal_queries

router = Router(tags=["registry"])


class CheckpointOut(Schema):
    sequence: int
    hash: str
    created_at: str


class HeadOut(Schema):
    sequence: int
    hash: str


class CheckpointsOut(Schema):
    head: HeadOut
    total: int
    checkpoints: list[CheckpointOut]
    next_before: int | None


@router.get("/journal/checkpoints", response=CheckpointsOut)
def list_checkpoints(
    request: HttpRequest, before: int | None = None, limit: int = journal_queries.PAGE_SIZE
) -> CheckpointsOut:
    """The journal head and the published checkpoints, newest first. Page on with ``before`` set to
    the previous answer's ``next_before`` (null on the last page). Record one and check a later
    export against it: ``jcm ledger verify --export FILE --checkpoint SEQUENCE:HASH``."""
    if before is not None and before < 1:
        raise HttpError(422, _("before: must be a journal entry number (1 or more)"))
    if not 1 <= limit <= journal_queries.MAX_PAGE_SIZE:
        raise HttpError(
            422, _("limit: must be between 1 and %(max)s") % {"max": journal_queries.MAX_PAGE_SIZE}
        )
    listing = journal_queries.checkpoint_list(before=before, limit=limit)
    return CheckpointsOut(
        head=HeadOut(sequence=listing.head_sequence, hash=listing.head_hash),
        total=listing.total,
        checkpoints=[
            CheckpointOut(sequence=c.sequence, hash=c.hash, created_at=c.created_at.isoformat())
            for c in listing.checkpoints
        ],
        next_before=listing.next_before,
    )
