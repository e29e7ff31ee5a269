"""The public checkpoints page (no login): the journal head, the published checkpoints newest first
(a page at a time) with their signatures, the registry's public key, the journal export, and how to
verify it yourself; and the public key as a PEM file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jcm.registry import journal_queries, signing


def checkpoints(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("before", "").strip()
    before: int | None = None
    if raw:
        if not raw.isdigit():
            raise Http404("before")
        before = int(raw)
    listing = journal_queries.checkpoint_list(before=before, limit=journal_queries.PAGE_SIZE)
    context = {
        "listing": listing,
        "latest": journal_queries.latest_checkpoint(),
        "paged": before is not None,
        "key": signing.public_key_or_none(),
    }
    return render(request, "registry/checkpoints.html", context)


def public_key(request: HttpRequest) -> HttpResponse:
    """The checkpoint signing key's public half (PEM), for ``jcm ledger verify --public-key``."""
    info = signing.public_key_or_none()
    if info is None:
        raise Http404("unsigned")
    response = HttpResponse(info.pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="jcm-checkpoints-public-key.pem"'
    return response
