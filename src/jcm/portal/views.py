"""The public home page, the per-pair page, the TPE list, the signed-in workspace and the audit-trail page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jcm.accounts.queries import audit_scope, roles_of
from jcm.audit.queries import recent, trail_for
from jcm.portal import queries
from jcm.reference import queries as reference

# Object types whose audit trail is public: the reference data is public record.
PUBLIC_TRAIL_PREFIXES = ("reference.",)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {
        "figures": reference.headline_figures(),
        "countries": reference.list_partner_countries(),
        "load": reference.latest_load(),
    })


def country(request: HttpRequest, code: str) -> HttpResponse:
    """One partner country and its pair: reference data, TPEs with the designations recorded here."""
    detail = queries.country_detail(code, on=timezone.localdate())
    if detail is None:
        raise Http404(code)
    return render(request, "portal/country.html", {"c": detail})


def tpes(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/tpes.html", {"tpes": queries.list_tpes(on=timezone.localdate())})


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    can_see_trail = request.user.has_perm("accounts.view_audit_trail")
    return render(request, "portal/workspace.html", {
        "roles": roles_of(request.user),
        "recent_events": recent(pairs=audit_scope(request.user), limit=20) if can_see_trail else [],
        "can_see_trail": can_see_trail,
    })


def audit_trail(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    public = target_type.startswith(PUBLIC_TRAIL_PREFIXES)
    if not public and not request.user.has_perm("accounts.view_audit_trail"):
        raise PermissionDenied
    # JC members and the secretariat read the trails of their own pairs' objects only.
    pairs = None if public else audit_scope(request.user)
    events = trail_for(target_type=target_type, target_id=target_id, pairs=pairs)
    if pairs is not None and not events and trail_for(target_type=target_type, target_id=target_id, limit=1):
        raise PermissionDenied
    return render(request, "portal/audit_trail.html", {
        "target_type": target_type,
        "target_id": target_id,
        "events": events,
    })
