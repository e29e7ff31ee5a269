"""More workspace submissions: a change request from the project page (participants), edits of a
project before registration, the MoC filed with an MoC change request, and the secretariat's page
(TPE designations, JC meeting reports). Views check the shape of the input and call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jcm.accounts.core.roles import Role
from jcm.audit.core.clock import system_now
from jcm.cycle import web_queries
from jcm.cycle.errors import CycleError
from jcm.cycle.forms import ChangeRequestForm, MeetingReportForm, ProjectEditForm, TpeDesignationForm, show_error
from jcm.cycle.views.workspace import _done, _failed, _object, _status


@login_required
@require_POST
def new_change_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant drafts a post-registration change, an MoC change or a renewal of the crediting period."""
    from jcm.cycle.services import create_change_request

    p = _object("project", pk)
    form = ChangeRequestForm(request.POST, prefix="cr")
    if form.is_valid():
        d = form.cleaned_data
        try:
            cr = create_change_request(actor=request.user, project=p.pk, kind=d["kind"], now=system_now(),
                                       description=d.get("description") or "",
                                       new_crediting_start=d.get("new_crediting_start"),
                                       new_crediting_end=d.get("new_crediting_end"))
        except CycleError as exc:
            show_error(form, exc, {"crediting_period": "new_crediting_end"})
        else:
            messages.success(request, _("Change request %(cr)s drafted: add its documents, then submit it.")
                             % {"cr": cr})
            return redirect("cycle:work", kind="change_request", pk=cr.pk)
    return _failed(request, "project", p, {"change_request": form})


@login_required
@require_POST
def edit_project(request: HttpRequest, pk: int) -> HttpResponse:
    """Participants edit a project before registration."""
    from jcm.cycle.services import SiteInput, update_project

    p = _object("project", pk)
    form = ProjectEditForm(request.POST, prefix="edit")
    if form.is_valid():
        d = form.cleaned_data
        try:
            update_project(actor=request.user, project=p.pk, now=system_now(), title=d["title"],
                           operation_started_on=d.get("operation_started_on"),
                           crediting_start=d.get("crediting_start"), crediting_end=d.get("crediting_end"),
                           sites=[SiteInput(latitude=a, longitude=b, label=c) for a, b, c in d["sites"]],
                           equipment=d["equipment"])
        except CycleError as exc:
            show_error(form, exc, {"crediting_period": "crediting_end"})
        else:
            return _done(request, "project", p, _("Project updated."))
    return _failed(request, "project", p, {"edit": form})


def _secretariat_pairs(user: Any) -> list[tuple[str, str]]:
    return web_queries.pairs_where(user, {Role.JC_SECRETARIAT})


def _secretariat_context(request: HttpRequest, pairs: list[tuple[str, str]], *,
                         bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    codes = [c for c, _label in pairs]
    return {
        "pairs": pairs,
        "designation_form": bound.get("designation") or TpeDesignationForm(
            pairs=pairs, tpes=web_queries.tpes(), prefix="des"),
        "meeting_form": bound.get("meeting") or MeetingReportForm(pairs=pairs, prefix="jc"),
        "designations": web_queries.recorded_designations(codes),
        "meetings": [r for c in codes for r in web_queries.meeting_reports(c)],
    }


@login_required
def secretariat(request: HttpRequest) -> HttpResponse:
    """The secretariat records the JC's TPE designations and publishes JC meeting reports."""
    from jcm.cycle.services import DecisionInput, publish_meeting_report, record_tpe_designation

    pairs = _secretariat_pairs(request.user)
    if not pairs:
        messages.error(request, _("Only a JC secretariat records designations and publishes meeting reports."))
        return redirect("cycle:workspace")
    bound: dict[str, Any] = {}
    if request.method == "POST" and request.POST.get("form") == "designation":
        form = TpeDesignationForm(request.POST, pairs=pairs, tpes=web_queries.tpes(), prefix="des")
        if form.is_valid():
            d = form.cleaned_data
            decision = (DecisionInput(number=d["decision_number"], decided_on=d["decision_date"])
                        if d.get("decision_number") else None)
            try:
                record_tpe_designation(actor=request.user, tpe_id=d["tpe_id"], partner_code=d["partner"],
                                       function=d["function"], scopes=d["scopes"], designated_on=d["designated_on"],
                                       expires_on=d.get("expires_on"), status=d["status"],
                                       status_since=d.get("status_since"), decision=decision, now=system_now())
            except CycleError as exc:
                show_error(form, exc, {"pair": "partner", "tpe": "tpe_id", "decision": "decision_number"})
            else:
                messages.success(request, _("Designation of %(tpe)s recorded.") % {"tpe": d["tpe_id"]})
                return redirect("cycle:secretariat")
        bound["designation"] = form
    elif request.method == "POST" and request.POST.get("form") == "meeting":
        form = MeetingReportForm(request.POST, request.FILES, pairs=pairs, prefix="jc")
        if form.is_valid():
            d = form.cleaned_data
            try:
                publish_meeting_report(actor=request.user, partner_code=d["partner"], meeting=d["meeting"],
                                       held_on=d["held_on"], title=d.get("title") or "", file=d.get("file"),
                                       now=system_now())
            except CycleError as exc:
                show_error(form, exc, {"pair": "partner"})
            else:
                messages.success(request, _("Meeting report %(m)s published.") % {"m": d["meeting"]})
                return redirect("cycle:secretariat")
        bound["meeting"] = form
    return render(request, "cycle/secretariat.html", _secretariat_context(request, pairs, bound=bound),
                  status=_status(request, bool(bound)))
