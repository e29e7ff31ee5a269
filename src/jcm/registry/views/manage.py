"""The registry manager's pages (signed in, registry manager of THAT registry; 403 for anyone else):
the registry's accounts (open one; each account's page carries the operations on it), corresponding
adjustments by the registry's Party, the journal head and latest checkpoint, and "create checkpoint"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jcm.audit.core.clock import system_now
from jcm.registry import services, web_queries
from jcm.registry.forms import AdjustmentForm, OpenAccountForm
from jcm.registry.models import Registry
from jcm.registry.permissions import manages
from jcm.registry.views.common import LABELS, failed_status, ranges_text, run


@login_required
def index(request: HttpRequest) -> HttpResponse:
    managed = web_queries.managed_registries(request.user)
    if not managed:
        raise PermissionDenied(_("only a registry manager may see this page"))
    if len(managed) == 1:
        return redirect("registry:manage", code=managed[0]["code"])
    return render(request, "registry/manage_index.html", {"managed": managed})


def _registry(request: HttpRequest, code: str) -> Registry:
    reg = web_queries.registry_of(code)
    if reg is None:
        raise Http404(code)
    if not manages(request.user, reg):
        raise PermissionDenied(_("only the registry manager of %(code)s may do this") % {"code": reg.code})
    return reg


def _page(request: HttpRequest, reg: Registry, *, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    bound = bound or {}
    view = web_queries.manager_view(reg.code)
    assert view is not None
    context: dict[str, Any] = {
        "r": view,
        "open_form": bound.get("open") or OpenAccountForm(prefix="open", organisations=web_queries.organisations()),
        "adjustment_form": bound.get("adjustment") or AdjustmentForm(prefix="adj"),
        **LABELS,
    }
    return render(request, "registry/manage.html", context, status=failed_status(request) if bound else 200)


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _registry(request, code))


@login_required
@require_POST
def open_account(request: HttpRequest, code: str) -> HttpResponse:
    reg = _registry(request, code)
    form = OpenAccountForm(request.POST, prefix="open", organisations=web_queries.organisations())
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.open_account, registry=reg.code, number=d["number"], kind=d["kind"],
            holder_id=d["holder_id"], holder_name=d["holder_name"].strip(),
        )
        if result is not None:
            messages.success(request, _("Account %(n)s opened.") % {"n": d["number"]})
            return redirect("registry:manage", code=reg.code)
    return _page(request, reg, bound={"open": form})


@login_required
@require_POST
def adjustment(request: HttpRequest, code: str) -> HttpResponse:
    reg = _registry(request, code)
    form = AdjustmentForm(request.POST, prefix="adj")
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.record_corresponding_adjustment, ranges=d["serials"], party=reg.party,
            year=d["year"],
        )
        if result is not None:
            messages.success(
                request,
                _("Corresponding adjustment by %(p)s for %(y)s recorded on %(q)s credits (serials %(r)s).")
                % {"p": reg.party, "y": d["year"], "q": result.quantity, "r": ranges_text(result.ranges)},
            )
            return redirect("registry:manage", code=reg.code)
    return _page(request, reg, bound={"adjustment": form})


@login_required
@require_POST
def checkpoint(request: HttpRequest, code: str) -> HttpResponse:
    from jcm.registry.core.errors import LedgerError
    from jcm.registry.messages import render as render_reason

    reg = _registry(request, code)
    try:
        cp = services.create_checkpoint(actor=request.user, now=system_now())
    except LedgerError as exc:  # e.g. an empty journal: nothing to checkpoint yet
        messages.error(request, _("No checkpoint published: %(reason)s") % {"reason": render_reason(exc.message)})
        return redirect("registry:manage", code=reg.code)
    messages.success(request, _("Checkpoint published at journal entry %(s)s.") % {"s": cp.sequence})
    return redirect("registry:manage", code=reg.code)
