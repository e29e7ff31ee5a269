"""The public checkpoints page (no login): the journal head, the published checkpoints newest first
(a page at a time), the journal export, and how to verify it yourself."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jcm.registry import journal_queries


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
    }
    return render(request, "registry/checkpoints.html", context)
