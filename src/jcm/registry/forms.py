"""Forms of the signed-in registry pages. They check the shape of the input; the registry services
decide, and their refusal is put on the field it concerns (``show_refusal``).

Every operation form carries an idempotency key in a hidden field, generated when the form is first
rendered: submitting the same form twice is a replay of one operation, never a second one.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jcm.registry.core import errors
from jcm.registry.core.checks import refusal_field as refusal_field_of_core
from jcm.registry.core.serials import SerialRange
from jcm.registry.messages import render

_KEY = re.compile(r"^[0-9a-f]{32}$")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–~〜]\s*(\d+))?\s*$")

PURPOSES = [
    ("voluntary", gettext_lazy("voluntary cancellation")),
    ("ndc", gettext_lazy("use towards an NDC")),
    ("omge", gettext_lazy("overall mitigation in global emissions")),
]
ARTICLE6_PURPOSES = [
    ("ndc", gettext_lazy("use towards NDCs")),
    ("oimp", gettext_lazy("other international mitigation purposes")),
    ("other", gettext_lazy("other purposes")),
]
TRIGGERS = [
    ("international_transfer", gettext_lazy("the first international transfer")),
    ("authorisation", gettext_lazy("the authorisation itself")),
    ("use", gettext_lazy("use (retirement or cancellation)")),
]
KINDS = [
    ("entity_holding", gettext_lazy("entity holding account")),
    ("government_holding", gettext_lazy("government holding account")),
    ("cancellation", gettext_lazy("cancellation account")),
    ("retirement", gettext_lazy("retirement account")),
]

# A headline in the reader's language for each refusal; the service's own message follows it.
REFUSALS = {
    errors.InsufficientHoldings.code: gettext_lazy("Not enough credits"),
    errors.SerialsNotHeld.code: gettext_lazy("Serials not held"),
    errors.AccountNotOpen.code: gettext_lazy("Account not open"),
    errors.WrongRegistry.code: gettext_lazy("Wrong registry"),
    errors.WrongAccountKind.code: gettext_lazy("Wrong type of account"),
    errors.UnknownObject.code: gettext_lazy("Unknown"),
    errors.UnauthorisedInternationalTransfer.code: gettext_lazy("Not authorised under Article 6"),
    errors.Article6Error.code: pgettext_lazy("refusal headline", "Article 6"),
    errors.IdempotencyConflict.code: gettext_lazy("Already submitted"),
    errors.InvalidInput.code: gettext_lazy("Refused"),
}


def new_key() -> str:
    return uuid.uuid4().hex


def parse_ranges(text: str) -> list[SerialRange]:
    """``"101-150, 160"`` -> [101-150, 160-160]; raises ValidationError naming the bad part."""
    out = []
    text = re.sub(r"\s*([-–~〜])\s*", "-", (text or "").strip())
    for part in re.split(r"[,、\s]+", text):
        if not part.strip():
            continue
        m = _RANGE.match(part)
        if not m:
            raise forms.ValidationError(
                _("%(part)s is not a serial range; write e.g. 101-150, 160") % {"part": part}
            )
        start = int(m[1])
        end = int(m[2]) if m[2] else start
        if start < 1 or end < start:
            raise forms.ValidationError(
                _("%(part)s: the first serial must be 1 or more and not after the last") % {"part": part}
            )
        out.append(SerialRange(start, end))
    return out


class OperationForm(forms.Form):
    """Base of every registry write form: the hidden idempotency key."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_key())

    def clean_idempotency_key(self) -> str:
        value = self.cleaned_data["idempotency_key"]
        if not _KEY.match(value):
            raise forms.ValidationError(_("the form is damaged; reload the page and try again"))
        return str(value)

    def visible(self) -> list[Any]:
        return [f for f in self if not f.is_hidden]


class SerialsForm(OperationForm):
    """Which credits: a quantity (oldest vintage first) or serial ranges, exactly one of the two."""

    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity (tCO2)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("taken oldest vintage first, from as few blocks as possible"),
    )
    serials = forms.CharField(
        label=gettext_lazy("or serial ranges"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("e.g. 101-150, 160"),
    )

    def clean_serials(self) -> list[SerialRange] | None:
        text = self.cleaned_data.get("serials", "")
        return parse_ranges(text) or None if text.strip() else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        q, r = data.get("quantity"), data.get("serials")
        if "quantity" in self.errors or "serials" in self.errors:
            return data
        if q is None and not r:
            self.add_error("quantity", _("give a quantity or serial ranges"))
        elif q is not None and r:
            self.add_error("serials", _("give a quantity or serial ranges, not both"))
        return data


class TransferForm(SerialsForm):
    to_account = forms.CharField(
        label=gettext_lazy("To account"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "destinations", "autocomplete": "off"}),
    )
    field_order = ["to_account", "quantity", "serials"]


class RetireForm(SerialsForm):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=PURPOSES)
    ndc_party = forms.CharField(
        label=gettext_lazy("Towards the NDC of (country code)"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("ISO 3166 alpha-2, e.g. JP; only for use towards an NDC"),
    )
    beneficiary = forms.CharField(label=gettext_lazy("Beneficiary"), max_length=200)
    field_order = ["purpose", "ndc_party", "beneficiary", "quantity", "serials"]

    def clean_ndc_party(self) -> str:
        return str(self.cleaned_data.get("ndc_party", "")).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("purpose") == "ndc" and not data.get("ndc_party"):
            self.add_error("ndc_party", _("say whose NDC the credits are used towards"))
        if data.get("purpose") != "ndc" and data.get("ndc_party"):
            self.add_error("ndc_party", _("only for use towards an NDC"))
        if data.get("ndc_party") and not re.fullmatch(r"[A-Z]{2}", data["ndc_party"]):
            self.add_error("ndc_party", _("a two-letter country code, e.g. JP"))
        return data


class InternationalTransferForm(SerialsForm):
    to_registry = forms.ChoiceField(label=gettext_lazy("To registry"))
    to_account = forms.CharField(label=gettext_lazy("To account"), max_length=40)
    field_order = ["to_registry", "to_account", "quantity", "serials"]

    def __init__(self, *args: Any, registries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_registry"].choices = registries


class CancelForm(SerialsForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "quantity", "serials"]


class AuthoriseForm(OperationForm):
    serials = forms.CharField(label=gettext_lazy("Serial ranges"), max_length=2000,
                              help_text=gettext_lazy("e.g. 101-150, 160"))
    authorisation_id = forms.CharField(label=gettext_lazy("Authorisation ID"), max_length=80)
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("Authorised for"), choices=ARTICLE6_PURPOSES, widget=forms.CheckboxSelectMultiple
    )
    first_transfer_trigger = forms.ChoiceField(
        label=gettext_lazy("The first transfer is"), choices=TRIGGERS, initial="international_transfer"
    )
    # A plain text field: the registry service reads the date and refuses an unreadable or future one
    # on this field (the same check as the API and the CLI).
    authorisation_date = forms.CharField(
        label=gettext_lazy("Authorisation date"),
        required=False,
        max_length=10,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("the date of the Party's authorisation (YYYY-MM-DD); empty for today"),
    )

    def clean_serials(self) -> list[SerialRange]:
        rs = parse_ranges(self.cleaned_data.get("serials", ""))
        if not rs:
            raise forms.ValidationError(_("give at least one serial range"))
        return rs

    def clean_authorisation_date(self) -> str | None:
        return str(self.cleaned_data.get("authorisation_date") or "").strip() or None


class AdjustmentForm(OperationForm):
    serials = forms.CharField(label=gettext_lazy("Serial ranges"), max_length=2000,
                              help_text=gettext_lazy("first-transferred serials, e.g. 101-150"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def clean_serials(self) -> list[SerialRange]:
        rs = parse_ranges(self.cleaned_data.get("serials", ""))
        if not rs:
            raise forms.ValidationError(_("give at least one serial range"))
        return rs


class OpenAccountForm(OperationForm):
    number = forms.CharField(label=gettext_lazy("Account number"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=KINDS)
    holder = forms.ChoiceField(label=gettext_lazy("Holder organisation"), required=False)
    holder_name = forms.CharField(label=gettext_lazy("Holder name (as published)"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = [("", "—"), *[(str(i), n) for i, n in organisations]]
        self._names = {str(i): n for i, n in organisations}

    def clean_number(self) -> str:
        value = str(self.cleaned_data["number"]).strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]*", value):
            raise forms.ValidationError(_("capital letters, digits, - and _ only, e.g. JP-ACME"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        holder = data.get("holder") or ""
        data["holder_id"] = int(holder) if holder else None
        if holder and not data.get("holder_name"):
            data["holder_name"] = self._names.get(holder, "")
        return data


class StatusForm(OperationForm):
    status = forms.ChoiceField(
        choices=[("open", gettext_lazy("reopen")), ("suspended", gettext_lazy("suspend")),
                 ("closed", gettext_lazy("close"))],
        widget=forms.HiddenInput,
    )


# The form field of each service input (``LedgerError.field``); others are spelled alike.
_FORM_FIELDS = {"ranges": "serials"}


def refusal_field(form: forms.Form, exc: errors.LedgerError) -> str | None:
    """The field a service refusal concerns, or None for the form as a whole: the one the core names
    (``core.checks.refusal_field``) if the form has it, else what the message says."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    named = refusal_field_of_core(exc)
    if named in ("ranges", "quantity") and "quantity" in form.fields:
        return "serials" if data.get("serials") else "quantity"
    named = _FORM_FIELDS.get(named, named)
    if named and named in form.fields and not form.fields[named].widget.is_hidden:
        return named
    message = exc.message
    to = str(data.get("to_account") or "")
    if "to_account" in form.fields and (
        (to and to in message) or "destination" in message or exc.code == errors.WrongRegistry.code
    ):
        return "to_account"
    if "to_registry" in form.fields and "registry" in message and exc.code == errors.UnknownObject.code:
        return "to_registry"
    if "quantity" in form.fields and exc.code in (errors.InsufficientHoldings.code, errors.SerialsNotHeld.code,
                                                   errors.UnauthorisedInternationalTransfer.code):
        return "serials" if data.get("serials") else "quantity"
    if exc.code in (errors.SerialsNotHeld.code, errors.Article6Error.code,
                    errors.UnauthorisedInternationalTransfer.code) and "serials" in form.fields:
        return "serials"
    if "number" in form.fields and "account" in message and "already exists" in message:
        return "number"
    return None


def show_refusal(form: forms.Form, exc: errors.LedgerError) -> None:
    """Put the service's refusal (translated headline + its own message) on the field it concerns."""
    headline = REFUSALS.get(exc.code, REFUSALS[errors.InvalidInput.code])
    form.add_error(refusal_field(form, exc), f"{headline}: {render(exc.message)}")
