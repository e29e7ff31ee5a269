"""/api/v1/registry/journal/checkpoints and /journal/public-key: the published checkpoints of the
journal, with their signatures, and the key that signs them; for anyone.

Mounted next to ``jcm.registry.api.router`` (same ``/registry`` prefix, see ``jcm.site.api``); the
journal export and head stay there (``/journal/export``, ``/journal/head``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jcm.registry import journal_queries, signing

router = Router(tags=["registry"])


class CheckpointOut(Schema):
    sequence: int
    hash: str
    created_at: str
    signature: str | None  # Ed25519, hex; null when unsigned


class PublicKeyOut(Schema):
    algorithm: str
    public_key: str  # PEM (SubjectPublicKeyInfo)
    fingerprint: str  # SHA-256 of the raw public key, hex
    message_format: str  # what is signed


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
            CheckpointOut(
                sequence=c.sequence, hash=c.hash, created_at=c.created_at.isoformat(), signature=c.signature or None
            )
            for c in listing.checkpoints
        ],
        next_before=listing.next_before,
    )


@router.get("/journal/public-key", response=PublicKeyOut)
def public_key(request: HttpRequest) -> PublicKeyOut:
    """The Ed25519 public key that signs the checkpoints (404 when they are not signed). Check a
    signature offline with ``jcm ledger verify --export FILE --public-key KEY.pem``."""
    info = signing.public_key_or_none()
    if info is None:
        raise HttpError(404, _("public_key: this registry does not sign its checkpoints"))
    return PublicKeyOut(
        algorithm=info.algorithm, public_key=info.pem, fingerprint=info.fingerprint, message_format=info.message_format
    )
