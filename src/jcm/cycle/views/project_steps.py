"""Workspace submissions on a project before and after registration, and new objects: the TPE, the
MoC, the credit allocation, the attestation, explanations of double-registration hits, monitoring reports,
and the forms for a new methodology proposal and a new project (PIN). Each view checks the shape of the
input and calls one service; a refusal is shown on the field it names (see :mod:`.workspace`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jcm.audit.core.clock import system_now
from jcm.cycle import web_queries
from jcm.cycle.errors import CycleError
from jcm.cycle.forms import (
    AllocationForm,
    ExplainHitForm,
    MocForm,
    MonitoringReportForm,
    ProjectForm,
    ProposeMethodologyForm,
    TpeForm,
    show_error,
)
from jcm.cycle.views.workspace import PARTICIPANT_ROLES, PROPONENT_ROLES, _done, _failed, _object, _status


def _project_post(request: HttpRequest, pk: int) -> Any:
    return _object("project", pk)


@login_required
@require_POST
def assign_tpe(request: HttpRequest, pk: int) -> HttpResponse:
    from jcm.cycle.services import assign_tpe as service

    p = _project_post(request, pk)
    form = TpeForm(request.POST, tpes=web_queries.tpes(), prefix="tpe")
    if form.is_valid():
        try:
            service(actor=request.user, project=p.pk, now=system_now(), **form.cleaned_data)
        except CycleError as exc:
            show_error(form, exc, {"tpe": "tpe_id"})
        else:
            return _done(request, "project", p, _("TPE recorded."))
    return _failed(request, "project", p, {"tpe": form})


@login_required
@require_POST
def file_moc(request: HttpRequest, pk: int) -> HttpResponse:
    from jcm.cycle.services import ParticipantInput
    from jcm.cycle.services import file_moc as service

    p = _project_post(request, pk)
    cr = None
    if request.POST.get("change_request"):
        cr = p.change_requests.filter(pk=int(request.POST["change_request"]) if request.POST["change_request"]
                                      .isdigit() else 0).first()
        if cr is None:
            raise Http404("change_request")
    back_kind, back = ("change_request", cr) if cr is not None else ("project", p)
    form = MocForm(request.POST, orgs=web_queries.organisations(), prefix="moc")
    if form.is_valid():
        parties = [ParticipantInput(organisation=x.organisation_id, side=x.side, email=x.contact_email)
                   for x in p.participants.filter(active=True)]
        try:
            service(actor=request.user, project=p.pk, focal_point=form.cleaned_data["focal_point"], parties=parties,
                    signatories=form.cleaned_data["signatories"], now=system_now(), change_request=cr)
        except CycleError as exc:
            show_error(form, exc)
        else:
            return _done(request, back_kind, back, _("Modalities of Communication filed."))
    return _failed(request, back_kind, back, {"moc": form})


@login_required
@require_POST
def declare_allocation(request: HttpRequest, pk: int) -> HttpResponse:
    from jcm.cycle.services import ShareInput
    from jcm.cycle.services import declare_allocation as service

    p = _project_post(request, pk)
    form = AllocationForm(request.POST, prefix="alloc")
    if form.is_valid():
        shares = [ShareInput(organisation=s["organisation"], side=s["side"], basis_points=s["basis_points"],
                             account_number=s["account"]) for s in form.cleaned_data["shares"]]
        try:
            service(actor=request.user, project=p.pk, shares=shares, now=system_now())
        except CycleError as exc:
            show_error(form, exc, {"allocation": "shares", "account": "shares"})
        else:
            return _done(request, "project", p, _("Credit allocation declared."))
    return _failed(request, "project", p, {"allocation": form})


@login_required
@require_POST
def attest(request: HttpRequest, pk: int) -> HttpResponse:
    from jcm.cycle.services import attest_no_other_mechanism

    p = _project_post(request, pk)
    if request.POST.get("attest") != "yes":
        messages.error(request, _("Tick the box to attest."))
        return _failed(request, "project", p, {})
    try:
        attest_no_other_mechanism(actor=request.user, project=p.pk, now=system_now())
    except CycleError as exc:
        messages.error(request, _("Refused: %(reason)s") % {"reason": exc.reason})
        return _failed(request, "project", p, {})
    return _done(request, "project", p, _("Attestation recorded."))


@login_required
@require_POST
def explain_hit(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    from jcm.cycle.services import explain_double_registration

    p = _project_post(request, pk)
    form = ExplainHitForm(request.POST, prefix=f"hit{n}")
    if form.is_valid():
        try:
            explain_double_registration(actor=request.user, project=p.pk, now=system_now(), **form.cleaned_data)
        except CycleError as exc:
            messages.error(request, _("Refused: %(reason)s") % {"reason": exc.reason})
        else:
            return _done(request, "project", p, _("Explanation recorded."))
    return _failed(request, "project", p, {})


@login_required
@require_POST
def new_report(request: HttpRequest, pk: int) -> HttpResponse:
    from jcm.cycle.services import create_monitoring_report
    from jcm.mrv.core import MrvError
    from jcm.mrv.forms import error_body, staged_uploads

    p = _project_post(request, pk)
    form = MonitoringReportForm(request.POST, request.FILES, prefix="mr")
    if form.is_valid():
        d = form.cleaned_data
        with staged_uploads([d.get("meter_file")], [d.get("parameters_file")], [d.get("workbook")]) as (
                meters, params, books):
            try:
                r = create_monitoring_report(
                    actor=request.user, project=p.pk, period_start=d["period_start"], period_end=d["period_end"],
                    meter_files=meters or None, parameters_file=params[0] if params else None,
                    workbook=books[0] if books else None, claimed=d.get("claimed"), now=system_now())
            except CycleError as exc:
                show_error(form, exc, {"period": "period_start", "methodology": "meter_file"})
            except MrvError as exc:
                body = error_body(exc)
                form.add_error("workbook" if books else "meter_file", body["detail"])
            else:
                messages.success(request, _("Monitoring report %(n)s prepared: ER %(er)s tCO2e.") % {
                    "n": r.number, "er": r.emission_reductions})
                return redirect("cycle:work", kind="monitoring_report", pk=r.pk)
    return _failed(request, "project", p, {"report": form})


@login_required
def new_methodology(request: HttpRequest) -> HttpResponse:
    from jcm.cycle.services import propose_methodology

    pairs = web_queries.pairs_where(request.user, PROPONENT_ROLES)
    if not pairs:
        messages.error(request, _("You hold no role that may propose a methodology."))
        return redirect("cycle:workspace")
    form = ProposeMethodologyForm(request.POST or None, pairs=pairs, mrv=web_queries.mrv_methodologies())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            v = propose_methodology(actor=request.user, partner_code=d["partner"], title=d["title"],
                                    scopes=d["scopes"], mrv_methodology_id=d["mrv_methodology_id"] or "",
                                    now=system_now())
        except CycleError as exc:
            show_error(form, exc, {"pair": "partner"})
        else:
            messages.success(request, _("Proposal %(id)s created in draft: add F_PM and F_PMS, then submit.")
                             % {"id": v.methodology.pm_id})
            return redirect("cycle:work", kind="methodology", pk=v.pk)
    failed = request.method == "POST"
    return render(request, "cycle/form_page.html", {
        "form": form, "title": _("Propose a methodology"), "multipart": False,
        "submit": _("Create the proposal")}, status=_status(request, failed))


@login_required
def new_project(request: HttpRequest) -> HttpResponse:
    from jcm.cycle.services import ParticipantInput, SiteInput, create_project

    pairs = web_queries.pairs_where(request.user, PARTICIPANT_ROLES)
    if not pairs:
        messages.error(request, _("Only project participants start a project."))
        return redirect("cycle:workspace")
    form = ProjectForm(request.POST or None, pairs=pairs, orgs=web_queries.organisations(),
                       versions=web_queries.approved_versions(), mrv=web_queries.mrv_methodologies())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        participants = [ParticipantInput(organisation=o, side="japan") for o in d["japan_participants"]]
        participants += [ParticipantInput(organisation=o, side="partner") for o in d["partner_participants"]]
        try:
            p = create_project(
                actor=request.user, partner_code=d["partner"], title=d["title"], scopes=d["scopes"],
                participants=participants, focal_point=d.get("focal_point"),
                methodology_version=d.get("methodology_version"), mrv_methodology_id=d["mrv_methodology_id"] or "",
                operation_started_on=d.get("operation_started_on"), crediting_start=d.get("crediting_start"),
                crediting_end=d.get("crediting_end"),
                sites=[SiteInput(latitude=a, longitude=b, label=c) for a, b, c in d["sites"]],
                equipment=d["equipment"], now=system_now())
        except CycleError as exc:
            show_error(form, exc, {"pair": "partner", "methodology": "methodology_version",
                                   "crediting_period": "crediting_end", "participants": "partner_participants"})
        else:
            messages.success(request, _("Project %(key)s created in draft.") % {"key": p.key})
            return redirect("cycle:work", kind="project", pk=p.pk)
    failed = request.method == "POST"
    return render(request, "cycle/form_page.html", {
        "form": form, "title": _("Start a project (PIN or PDD)"), "multipart": False,
        "submit": _("Create the project")}, status=_status(request, failed))
