"""Account pages (signed in): "My accounts" for the organisations the user acts for, and one account's
page with its holdings, transactions and the operations the user may carry out on it.

The holder (a member of the holding organisation) transfers within the registry and retires; the
registry manager of the account's registry also transfers abroad, authorises under Article 6, cancels
and suspends, reopens or closes it. Anyone else gets 403. Each form posts to one service with the
idempotency key it was rendered with; a refusal is shown on the field it concerns and nothing moves.
"""

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

from jcm.registry import services, web_queries
from jcm.registry.forms import (
    AuthoriseForm,
    CancelForm,
    InternationalTransferForm,
    RetireForm,
    StatusForm,
    TransferForm,
)
from jcm.registry.models import Account
from jcm.registry.permissions import holds, manages
from jcm.registry.views.common import LABELS, failed_status, ranges_text, run


@login_required
def my_accounts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/my_accounts.html",
        {
            "accounts": web_queries.my_accounts(request.user),
            "managed": web_queries.managed_registries(request.user),
            **LABELS,
        },
    )


def _account(request: HttpRequest, number: str) -> tuple[Account, bool, bool]:
    acct = web_queries.account_of(number)
    if acct is None:
        raise Http404(number)
    is_manager, is_holder = manages(request.user, acct.registry), holds(request.user, acct)
    if not (is_manager or is_holder):
        raise PermissionDenied(_("only the account holder or the registry manager may see this account"))
    return acct, is_manager, is_holder


def _registries(acct: Account) -> list[tuple[str, str]]:
    return [(r["code"], f"{r['code']} — {r['name']}") for r in web_queries.other_registries(acct)]


def _page(
    request: HttpRequest, acct: Account, is_manager: bool, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    view = web_queries.account_view(acct.number)
    assert view is not None
    context: dict[str, Any] = {
        "a": view.holdings,
        "registry_name": view.registry_name,
        "transactions": view.transactions,
        "is_manager": is_manager,
        "destinations": web_queries.suggested_destinations(acct),
        "transfer_form": bound.get("transfer") or TransferForm(prefix="transfer"),
        "retire_form": bound.get("retire") or RetireForm(prefix="retire"),
        "holding": acct.kind in ("government_holding", "entity_holding"),
        **LABELS,
    }
    if is_manager:
        context |= {
            "international_form": bound.get("international")
            or InternationalTransferForm(prefix="intl", registries=_registries(acct)),
            "authorise_form": bound.get("authorise") or AuthoriseForm(prefix="auth"),
            "cancel_form": bound.get("cancel") or CancelForm(prefix="cancel"),
            "status_forms": [
                (s, label, StatusForm(prefix="status", initial={"status": s}))
                for s, label in (("open", _("Reopen the account")), ("suspended", _("Suspend the account")),
                                  ("closed", _("Close the account")))
                if s != acct.status and acct.status != "closed"
            ],
        }
    status = failed_status(request) if bound else 200
    return render(request, "registry/account.html", context, status=status)


@login_required
def account(request: HttpRequest, number: str) -> HttpResponse:
    acct, is_manager, _holder = _account(request, number)
    return _page(request, acct, is_manager)


def _done(request: HttpRequest, number: str, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("registry:account", number=number)


@login_required
@require_POST
def transfer(request: HttpRequest, number: str) -> HttpResponse:
    acct, is_manager, _holder = _account(request, number)
    form = TransferForm(request.POST, prefix="transfer")
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.transfer, from_account=number, to_account=d["to_account"].strip(),
            ranges=d["serials"], quantity=d["quantity"],
        )
        if result is not None:
            return _done(request, number, _("Transferred %(q)s credits (serials %(r)s) to %(to)s.") % {
                "q": result.quantity, "r": ranges_text(result.ranges), "to": d["to_account"].strip()})
    return _page(request, acct, is_manager, bound={"transfer": form})


@login_required
@require_POST
def retire(request: HttpRequest, number: str) -> HttpResponse:
    acct, is_manager, _holder = _account(request, number)
    form = RetireForm(request.POST, prefix="retire")
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.retire, from_account=number, purpose=d["purpose"],
            beneficiary=d["beneficiary"].strip(), ndc_party=d["ndc_party"], ranges=d["serials"],
            quantity=d["quantity"],
        )
        if result is not None:
            retirement = result.details.get("retirement", "")
            messages.success(request, _("Retired %(q)s credits (serials %(r)s): retirement %(n)s.") % {
                "q": result.quantity, "r": ranges_text(result.ranges), "n": retirement})
            return redirect("registry:retirement", number=retirement)
    return _page(request, acct, is_manager, bound={"retire": form})


def _manager_only(request: HttpRequest, number: str) -> Account:
    acct, is_manager, _holder = _account(request, number)
    if not is_manager:
        raise PermissionDenied(_("only the registry manager of %(code)s may do this") % {"code": acct.registry.code})
    return acct


@login_required
@require_POST
def international_transfer(request: HttpRequest, number: str) -> HttpResponse:
    acct = _manager_only(request, number)
    form = InternationalTransferForm(request.POST, prefix="intl", registries=_registries(acct))
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.international_transfer, from_account=number, to_registry=d["to_registry"],
            to_account=d["to_account"].strip(), ranges=d["serials"], quantity=d["quantity"],
        )
        if result is not None:
            return _done(request, number, _("Transferred %(q)s credits (serials %(r)s) to %(to)s in registry %(reg)s.")
                         % {"q": result.quantity, "r": ranges_text(result.ranges), "to": d["to_account"].strip(),
                            "reg": d["to_registry"]})
    return _page(request, acct, True, bound={"international": form})


@login_required
@require_POST
def authorise(request: HttpRequest, number: str) -> HttpResponse:
    acct = _manager_only(request, number)
    form = AuthoriseForm(request.POST, prefix="auth")
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.authorise, account=number, ranges=d["serials"],
            authorisation_id=d["authorisation_id"].strip(), purposes=d["purposes"],
            first_transfer_trigger=d["first_transfer_trigger"], authorisation_date=d["authorisation_date"],
        )
        if result is not None:
            return _done(request, number, _("Authorised %(q)s credits (serials %(r)s) under Article 6.") % {
                "q": result.quantity, "r": ranges_text(result.ranges)})
    return _page(request, acct, True, bound={"authorise": form})


@login_required
@require_POST
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    acct = _manager_only(request, number)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        d = form.cleaned_data
        result = run(
            request, form, services.cancel, from_account=number, reason=d["reason"].strip(),
            ranges=d["serials"], quantity=d["quantity"],
        )
        if result is not None:
            return _done(request, number, _("Cancelled %(q)s credits (serials %(r)s).") % {
                "q": result.quantity, "r": ranges_text(result.ranges)})
    return _page(request, acct, True, bound={"cancel": form})


@login_required
@require_POST
def set_status(request: HttpRequest, number: str) -> HttpResponse:
    _manager_only(request, number)
    form = StatusForm(request.POST, prefix="status")
    if form.is_valid():
        result = run(request, form, services.set_account_status, account=number, status=form.cleaned_data["status"])
        if result is not None:
            return _done(request, number, _("Account %(n)s is now %(s)s.") % {
                "n": number, "s": LABELS["account_statuses"].get(form.cleaned_data["status"], "")})
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect("registry:account", number=number)
