"""Forms of the cycle's workspace and public comment form. They check the shape of the input (field by
field, in the reader's language); the services decide whether the step may be taken."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jcm.cycle.errors import CycleError
from jcm.cycle.web_queries import ActionSpec

MODES = [("meeting", gettext_lazy("meeting")), ("electronic", gettext_lazy("electronic decision"))]
SIDES = [("japan", gettext_lazy("Japan")), ("partner", gettext_lazy("partner country"))]
FUNCTIONS = [("validation", gettext_lazy("validation")), ("verification", gettext_lazy("verification"))]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _scopes(text: str) -> list[int]:
    out = []
    for part in (text or "").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise forms.ValidationError(_("give sectoral scope numbers separated by commas, e.g. 1, 3"))
        out.append(int(part))
    if not out:
        raise forms.ValidationError(_("give at least one sectoral scope number"))
    return out


def show_error(form: forms.Form, exc: CycleError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the field it names (or on the form as a whole)."""
    name = (aliases or {}).get(exc.field, exc.field)
    if name in form.fields:
        form.add_error(name, exc.reason)
    else:
        form.add_error(None, f"{exc.field}: {exc.reason}")


class ActionForm(forms.Form):
    """One step of a state machine: the reason, the JC decision record and the values it needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    role = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=gettext_lazy("JC decision number"), required=False, max_length=60)
    decision_date = forms.DateField(label=gettext_lazy("Decided on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    decision_mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=MODES, required=False)
    decision_title = forms.CharField(label=gettext_lazy("Title of the decision"), required=False, max_length=300)
    verified = forms.IntegerField(label=gettext_lazy("Verified amount (tCO2e)"), required=False, min_value=0)
    findings = forms.CharField(label=gettext_lazy("Findings (one per line)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    requested = forms.IntegerField(label=gettext_lazy("Requested amount (tCO2e)"), required=False, min_value=1)
    total = forms.IntegerField(label=gettext_lazy("Total to notify (tCO2e; default: the requested amount)"),
                               required=False, min_value=0)
    mrv_methodology_id = forms.CharField(label=gettext_lazy("Executable MRV methodology"), required=False,
                                         max_length=40)

    def __init__(self, *args: Any, spec: ActionSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        keep = {"action", "role"}
        if spec.needs_reason or spec.decision or spec.action in ("withdraw", "return_for_correction"):
            keep.add("reason")
        if spec.decision:
            keep |= {"decision_number", "decision_date", "decision_mode", "decision_title"}
        keep |= set(spec.extras)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if spec.needs_reason:
            self.fields["reason"].required = True
        if spec.decision:
            for name in ("decision_number", "decision_date", "decision_mode"):
                self.fields[name].required = True
            self.fields["decision_mode"].initial = "electronic"
        if "verified" in self.fields:
            self.fields["verified"].required = True
        if "requested" in self.fields:
            self.fields["requested"].required = True

    def visible(self) -> list[Any]:
        return [f for f in self if not f.is_hidden]


class CommentForm(forms.Form):
    author_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail (not published)"), required=False)
    text = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 5}))


class ProposeMethodologyForm(forms.Form):
    partner = forms.ChoiceField(label=gettext_lazy("Country pair"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    scopes = forms.CharField(label=gettext_lazy("Sectoral scopes"), help_text=gettext_lazy("numbers, e.g. 1, 3"))
    mrv_methodology_id = forms.ChoiceField(label=gettext_lazy("Executable MRV methodology"), required=False)

    def __init__(self, *args: Any, pairs: list[tuple[str, str]], mrv: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = pairs
        self.fields["mrv_methodology_id"].choices = [("", "—"), *mrv]

    def clean_scopes(self) -> list[int]:
        return _scopes(self.cleaned_data["scopes"])


def _sites(text: str) -> list[tuple[Decimal, Decimal, str]]:
    out = []
    for n, line in enumerate(_lines(text), 1):
        parts = [p.strip() for p in line.split(",", 2)]
        try:
            lat, lon = Decimal(parts[0]), Decimal(parts[1])
        except (IndexError, InvalidOperation) as exc:
            raise forms.ValidationError(
                _("line %(n)s: write latitude, longitude[, label], e.g. 47.92, 106.92, Darkhan") % {"n": n}
            ) from exc
        out.append((lat, lon, parts[2] if len(parts) > 2 else ""))
    return out


class ProjectForm(forms.Form):
    partner = forms.ChoiceField(label=gettext_lazy("Country pair"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    scopes = forms.CharField(label=gettext_lazy("Sectoral scopes"), help_text=gettext_lazy("numbers, e.g. 1, 3"))
    methodology_version = forms.TypedChoiceField(label=gettext_lazy("Approved methodology"), required=False,
                                                 coerce=int, empty_value=None)
    mrv_methodology_id = forms.ChoiceField(label=gettext_lazy("Executable MRV methodology"), required=False)
    japan_participants = forms.TypedMultipleChoiceField(label=gettext_lazy("Other participants on the Japanese side"),
                                                        required=False, coerce=int)
    partner_participants = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Other participants on the partner side"), required=False, coerce=int)
    focal_point = forms.TypedChoiceField(label=gettext_lazy("Focal point"), required=False, coerce=int,
                                         empty_value=None, help_text=gettext_lazy("default: your organisation"))
    operation_started_on = forms.DateField(label=gettext_lazy("Start of operation"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    crediting_start = forms.DateField(label=gettext_lazy("Crediting period start"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    crediting_end = forms.DateField(label=gettext_lazy("Crediting period end (exclusive)"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    sites = forms.CharField(label=gettext_lazy("Sites"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=gettext_lazy("one per line: latitude, longitude, label"))
    equipment = forms.CharField(label=gettext_lazy("Equipment identifiers"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}), help_text=gettext_lazy("one per line"))

    def __init__(self, *args: Any, pairs: list[tuple[str, str]], orgs: list[tuple[int, str]],
                 versions: list[tuple[int, str]], mrv: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = pairs
        self.fields["methodology_version"].choices = [("", "—"), *versions]
        self.fields["mrv_methodology_id"].choices = [("", "—"), *mrv]
        self.fields["japan_participants"].choices = orgs
        self.fields["partner_participants"].choices = orgs
        self.fields["focal_point"].choices = [("", "—"), *orgs]

    def clean_scopes(self) -> list[int]:
        return _scopes(self.cleaned_data["scopes"])

    def clean_sites(self) -> list[tuple[Decimal, Decimal, str]]:
        return _sites(self.cleaned_data["sites"])

    def clean_equipment(self) -> list[str]:
        return _lines(self.cleaned_data["equipment"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("crediting_start"), data.get("crediting_end")
        if (start is None) != (end is None):
            self.add_error("crediting_end", _("give both the start and the end, or neither"))
        elif start and end and end <= start:
            self.add_error("crediting_end", _("the end must be after the start (the end is exclusive)"))
        return data


class DocumentForm(forms.Form):
    form_code = forms.ChoiceField(label=gettext_lazy("Form"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    public_file = forms.FileField(label=gettext_lazy("Public (redacted) version"))
    confidential_file = forms.FileField(label=gettext_lazy("Confidential version"), required=False,
                                        help_text=gettext_lazy("seen only by the assigned TPE, the JC and the "
                                                               "secretariat"))
    language = forms.CharField(label=gettext_lazy("Language of the document"), max_length=8, initial="en")
    translation_language = forms.CharField(label=gettext_lazy("Translation: language"), max_length=8,
                                           required=False)
    translation_file = forms.FileField(label=gettext_lazy("Translation: file"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_code"].choices = codes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("translation_language")) != bool(data.get("translation_file")):
            self.add_error("translation_file", _("give both the language and the file of the translation"))
        return data


class TpeForm(forms.Form):
    tpe_id = forms.ChoiceField(label=gettext_lazy("TPE"))
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=FUNCTIONS)

    def __init__(self, *args: Any, tpes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tpe_id"].choices = tpes


class MocForm(forms.Form):
    focal_point = forms.TypedChoiceField(label=gettext_lazy("Focal point"), coerce=int)
    signatories = forms.CharField(label=gettext_lazy("Authorised signatories"), widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=gettext_lazy("one per line: name, title"))

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focal_point"].choices = orgs

    def clean_signatories(self) -> list[dict[str, str]]:
        out = []
        for line in _lines(self.cleaned_data["signatories"]):
            name, _sep, title = line.partition(",")
            out.append({"name": name.strip(), "title": title.strip()})
        if not out:
            raise forms.ValidationError(_("name at least one authorised signatory"))
        return out


class AllocationForm(forms.Form):
    shares = forms.CharField(
        label=gettext_lazy("Percentage of credit allocation"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("one party per line: organisation; japan or partner; percent; registry account"))

    def clean_shares(self) -> list[dict[str, Any]]:
        from jcm.accounts.models import Organisation

        out = []
        for n, line in enumerate(_lines(self.cleaned_data["shares"]), 1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 4:
                raise forms.ValidationError(_("line %(n)s: write organisation; side; percent; account") % {"n": n})
            org = Organisation.objects.filter(name=parts[0]).first()
            if org is None:
                raise forms.ValidationError(_("line %(n)s: no organisation named %(name)s") % {"n": n,
                                                                                             "name": parts[0]})
            if parts[1] not in ("japan", "partner"):
                raise forms.ValidationError(_("line %(n)s: the side is japan or partner") % {"n": n})
            try:
                bp = Decimal(parts[2].rstrip("%")) * 100
            except InvalidOperation as exc:
                raise forms.ValidationError(_("line %(n)s: the percent is a number") % {"n": n}) from exc
            if bp != bp.to_integral_value() or bp < 0:
                raise forms.ValidationError(_("line %(n)s: at most two decimals, not negative") % {"n": n})
            out.append({"organisation": org.pk, "side": parts[1], "basis_points": int(bp), "account": parts[3]})
        if not out:
            raise forms.ValidationError(_("give at least one share"))
        return out


class MonitoringReportForm(forms.Form):
    period_start = forms.DateField(label=gettext_lazy("Monitoring period start"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("Monitoring period end (exclusive)"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    meter_file = forms.FileField(label=gettext_lazy("Meter data (CSV or Parquet, long format)"), required=False)
    parameters_file = forms.FileField(label=gettext_lazy("Parameters file (YAML or JSON)"), required=False)
    workbook = forms.FileField(label=gettext_lazy("Or: the monitoring spreadsheet (xlsx)"), required=False)
    claimed = forms.IntegerField(label=gettext_lazy("Claimed amount (tCO2e; default: the computed ER)"),
                                 required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end <= start:
            self.add_error("period_end", _("the end must be after the start (the end is exclusive)"))
        if not data.get("workbook") and not data.get("meter_file") and not data.get("parameters_file"):
            self.add_error("meter_file", _("upload meter data and a parameters file, or the monitoring spreadsheet"))
        return data


class ExplainHitForm(forms.Form):
    other = forms.CharField(widget=forms.HiddenInput)
    kind = forms.CharField(widget=forms.HiddenInput)
    finding = forms.CharField(widget=forms.HiddenInput)
    explanation = forms.CharField(label=gettext_lazy("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))


CHANGE_KINDS = [("post_registration_change", gettext_lazy("post-registration change (F_PRC_Req)")),
                ("moc_change", gettext_lazy("change of the Modalities of Communication")),
                ("renewal", gettext_lazy("renewal of the crediting period (F_Ren_Req)"))]


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What changes"), choices=CHANGE_KINDS)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    new_crediting_start = forms.DateField(label=gettext_lazy("Renewed crediting period start"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))
    new_crediting_end = forms.DateField(label=gettext_lazy("Renewed crediting period end (exclusive)"),
                                        required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("new_crediting_start"), data.get("new_crediting_end")
        if data.get("kind") == "renewal":
            if start is None or end is None:
                self.add_error("new_crediting_end", _("a renewal gives the renewed crediting period"))
            elif end <= start:
                self.add_error("new_crediting_end", _("the end must be after the start (the end is exclusive)"))
        return data


class ProjectEditForm(forms.Form):
    """Edits of a project before registration (after it, a change request)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    operation_started_on = forms.DateField(label=gettext_lazy("Start of operation"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    crediting_start = forms.DateField(label=gettext_lazy("Crediting period start"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    crediting_end = forms.DateField(label=gettext_lazy("Crediting period end (exclusive)"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    sites = forms.CharField(label=gettext_lazy("Sites"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=gettext_lazy("one per line: latitude, longitude, label"))
    equipment = forms.CharField(label=gettext_lazy("Equipment identifiers"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}), help_text=gettext_lazy("one per line"))

    @staticmethod
    def initial_for(p: Any) -> dict[str, Any]:
        return {"title": p.title, "operation_started_on": p.operation_started_on,
                "crediting_start": p.crediting_start, "crediting_end": p.crediting_end,
                "sites": "\n".join(f"{s.latitude}, {s.longitude}, {s.label}".rstrip(", ") for s in p.sites.all()),
                "equipment": "\n".join(p.equipment.values_list("identifier", flat=True))}

    def clean_sites(self) -> list[tuple[Decimal, Decimal, str]]:
        return _sites(self.cleaned_data["sites"])

    def clean_equipment(self) -> list[str]:
        return _lines(self.cleaned_data["equipment"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("crediting_start"), data.get("crediting_end")
        if (start is None) != (end is None):
            self.add_error("crediting_end", _("give both the start and the end, or neither"))
        elif start and end and end <= start:
            self.add_error("crediting_end", _("the end must be after the start (the end is exclusive)"))
        return data


STATUSES = [("designated", gettext_lazy("designated")), ("suspended", gettext_lazy("suspended")),
            ("withdrawn", gettext_lazy("withdrawn"))]


class TpeDesignationForm(forms.Form):
    partner = forms.ChoiceField(label=gettext_lazy("Country pair"))
    tpe_id = forms.ChoiceField(label=gettext_lazy("TPE"))
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=FUNCTIONS)
    scopes = forms.CharField(label=gettext_lazy("Sectoral scopes"), help_text=gettext_lazy("numbers, e.g. 1, 3"))
    designated_on = forms.DateField(label=gettext_lazy("Designated on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=gettext_lazy("Valid until (last day)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUSES, initial="designated")
    status_since = forms.DateField(label=gettext_lazy("Status since"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    decision_number = forms.CharField(label=gettext_lazy("JC decision number"), required=False, max_length=60)
    decision_date = forms.DateField(label=gettext_lazy("Decided on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, pairs: list[tuple[str, str]], tpes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = pairs
        self.fields["tpe_id"].choices = tpes

    def clean_scopes(self) -> list[int]:
        return _scopes(self.cleaned_data["scopes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("decision_number")) != bool(data.get("decision_date")):
            self.add_error("decision_date", _("give both the number and the date of the decision, or neither"))
        return data


class MeetingReportForm(forms.Form):
    partner = forms.ChoiceField(label=gettext_lazy("Country pair"))
    meeting = forms.CharField(label=gettext_lazy("Meeting"), max_length=40,
                              help_text=gettext_lazy("e.g. 12th JC meeting"))
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    file = forms.FileField(label=gettext_lazy("Report"), required=False)

    def __init__(self, *args: Any, pairs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = pairs
