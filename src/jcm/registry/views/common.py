"""What the signed-in registry pages share: labels, running one service call from a form, statuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jcm.audit.core.clock import system_now
from jcm.registry.core import errors
from jcm.registry.forms import show_refusal
from jcm.registry.models import ACCOUNT_KIND_LABELS, ACCOUNT_STATUS_LABELS, BLOCK_STATUS_LABELS, PURPOSE_LABELS
from jcm.registry.services import Result

TX_KIND_LABELS = {
    "issuance": gettext_lazy("issuance"),
    "transfer": gettext_lazy("transfer"),
    "international_transfer": gettext_lazy("international transfer"),
    "cancellation": gettext_lazy("cancellation"),
    "retirement": gettext_lazy("retirement"),
}
ARTICLE6_PURPOSE_LABELS = {
    "ndc": gettext_lazy("NDC use"),
    "oimp": gettext_lazy("other international mitigation purposes"),
    "other": gettext_lazy("other purposes"),
}
# What counts as a block's first transfer (its authorisation says).
ARTICLE6_TRIGGER_LABELS = {
    "international_transfer": gettext_lazy("the first international transfer"),
    "authorisation": gettext_lazy("the authorisation itself"),
    "use": gettext_lazy("use (retirement or cancellation)"),
}
# The rows of the annual transactions summary (queries.ANNUAL_KINDS).
ANNUAL_KIND_LABELS = {
    "issuance": gettext_lazy("issuance"),
    "transfer": gettext_lazy("transfer within the registry"),
    "international_transfer_out": gettext_lazy("international transfer out"),
    "acquisition": gettext_lazy("acquisition (international transfer in)"),
    "authorisation": gettext_lazy("Article 6 authorisation"),
    "first_transfer": gettext_lazy("Article 6 first transfer"),
    "corresponding_adjustment": gettext_lazy("corresponding adjustment"),
    "cancellation": gettext_lazy("cancellation"),
    "retirement": gettext_lazy("retirement"),
}

# What each step of a serial's history is (queries.serial_lookup): its movements and Article 6 actions.
STEP_KIND_LABELS = {
    **TX_KIND_LABELS,
    "authorisation": gettext_lazy("Article 6 authorisation"),
    "corresponding_adjustment": gettext_lazy("corresponding adjustment"),
}

LABELS = {
    "kinds": {k.value: v for k, v in ACCOUNT_KIND_LABELS.items()},
    "account_statuses": {k.value: v for k, v in ACCOUNT_STATUS_LABELS.items()},
    "statuses": {k.value: v for k, v in BLOCK_STATUS_LABELS.items()},
    "purposes": {k.value: v for k, v in PURPOSE_LABELS.items()},
    "tx_kinds": TX_KIND_LABELS,
    "a6_purposes": ARTICLE6_PURPOSE_LABELS,
    "a6_triggers": ARTICLE6_TRIGGER_LABELS,
    "annual_kinds": ANNUAL_KIND_LABELS,
    "step_kinds": STEP_KIND_LABELS,
}


def step_details(step: Any) -> str:
    """What a step of a serial's history did beyond moving it, in the active language: the
    authorisation (id, the Party's date, purposes), the corresponding adjustment (Party, year, date
    recorded), and whether it was the serial's Article 6 first transfer ("" for a plain movement)."""
    parts = []
    if step.kind == "authorisation":
        purposes = ", ".join(str(ARTICLE6_PURPOSE_LABELS.get(p, p)) for p in step.purposes)
        parts.append(
            _("authorisation %(id)s of %(date)s for %(purposes)s")
            % {"id": step.authorisation_id, "date": step.date, "purposes": purposes}
        )
    elif step.kind == "corresponding_adjustment":
        values = {"party": step.party, "year": step.year, "date": step.date}
        if step.date:
            parts.append(_("adjusted by %(party)s for %(year)s (recorded on %(date)s)") % values)
        else:  # entries written before the registry kept the date
            parts.append(_("adjusted by %(party)s for %(year)s") % values)
    if step.first_transfer:
        parts.append(str(ANNUAL_KIND_LABELS["first_transfer"]))
    return "; ".join(parts)


def history_rows(history: list[Any]) -> list[dict[str, Any]]:
    """The steps of a serial's history as the page and the API show them: each with its kind's label
    and its details in the active language."""
    return [
        {**s.__dict__, "label": str(STEP_KIND_LABELS.get(s.kind, s.kind)), "details": step_details(s)}
        for s in history
    ]


def service_key(request: HttpRequest, form_key: str) -> str:
    """The idempotency key the service sees: the form's key, scoped to the signed-in user so that
    one person's form can never replay another's operation."""
    return f"web-u{request.user.pk}-{form_key}"


def failed_status(request: HttpRequest) -> int:
    """422 for a refused or invalid submission (htmx only swaps 2xx answers, so 200 for it)."""
    return 200 if request.headers.get("HX-Request") else 422


def run(
    request: HttpRequest, form: forms.Form, call: Callable[..., Result], **kwargs: Any
) -> Result | None:
    """Call one service with the form's idempotency key; a refusal goes on the form (returns None)."""
    try:
        result = call(
            idempotency_key=service_key(request, form.cleaned_data["idempotency_key"]),
            actor=request.user,
            now=system_now(),
            **kwargs,
        )
    except errors.LedgerError as exc:
        show_refusal(form, exc)
        return None
    if result.replayed:
        messages.info(request, _("This form had already been submitted; it was not carried out a second time."))
    return result


def ranges_text(ranges: list[list[int]]) -> str:
    return ", ".join(f"{s}–{e}" if s != e else str(s) for s, e in ranges)
