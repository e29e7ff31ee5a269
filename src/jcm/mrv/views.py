"""Pages of the MRV capability: methodologies as code (public), the calculation form (signed-in
users), calculation reports and their PDF (published ones for anyone; otherwise their creator, people of
the creator's organisations, the JC and secretariat of the pair, platform administrators)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jcm.audit.core.clock import system_now
from jcm.mrv import queries, services
from jcm.mrv.core import MrvError
from jcm.mrv.forms import CalculationForm, WorkbookCheckForm, error_body, staged_uploads

KIND_LABELS = {
    "monitored": _("monitored"),
    "fixed_ex_ante": _("fixed ex ante"),
    "project_specific": _("project-specific"),
}
PROVENANCE_LABELS = {
    "measurement": _("measurement"),
    "default": _("default value"),
    "project_specific": _("project-specific value"),
    "computed": _("equation"),
    "corrected": _("conservative correction"),
}
STATUS_LABELS = {"approved": _("approved"), "proposed": _("proposed")}
CORRECTION_LABELS = {"calibration": _("calibration finding"), "gap": _("data gap")}
INPUT_ROLE_LABELS = {
    "meter": _("meter file"),
    "parameters": _("parameters"),
    "monitored": _("monitored values (request)"),
    "workbook": _("monitoring spreadsheet"),
}


def _status_label(status: str) -> Any:
    return STATUS_LABELS.get(status, status)


def _label_methodology(spec: dict[str, Any]) -> dict[str, Any]:
    spec["status_label"] = _status_label(spec["status"])
    for p in spec["parameters"]:
        p["kind_label"] = KIND_LABELS.get(p["kind"], p["kind"])
    return spec


def _label_report(report: dict[str, Any]) -> dict[str, Any]:
    for i in report["inputs"]:
        i["role_label"] = INPUT_ROLE_LABELS.get(i["role"], i["role"])
    for period in report["period_results"]:
        for step in period["trace"]:
            step["provenance_label"] = PROVENANCE_LABELS.get(step["provenance"], step["provenance"])
        for c in period["corrections"]:
            c["kind_label"] = CORRECTION_LABELS.get(c["kind"], c["kind"])
    return report


def methodologies(request: HttpRequest) -> HttpResponse:
    catalogue = queries.methodology_catalogue()
    for m in catalogue:
        m["status_label"] = _status_label(m["status"])
        for p in m["parameters"]:
            p["kind_label"] = KIND_LABELS.get(p["kind"], p["kind"])
    return render(request, "mrv/methodologies.html", {"methodologies": catalogue})


def methodology(request: HttpRequest, jcm_id: str) -> HttpResponse:
    spec = queries.methodology_detail(jcm_id)
    if spec is None:
        raise Http404(jcm_id)
    if spec["jcm_id"] != jcm_id:
        return redirect("mrv:methodology", jcm_id=spec["jcm_id"])
    return render(request, "mrv/methodology.html", {"m": _label_methodology(spec)})


@login_required
def calculate(request: HttpRequest) -> HttpResponse:
    form = CalculationForm(prefix="calc", initial={"methodology": request.GET.get("methodology", "")})
    wb_form = WorkbookCheckForm(prefix="wb")
    problem: dict[str, Any] | None = None
    if request.method == "POST" and "wb-workbook" in request.FILES:
        wb_form = WorkbookCheckForm(request.POST, request.FILES, prefix="wb")
        if wb_form.is_valid():
            with staged_uploads([wb_form.cleaned_data["workbook"]]) as ((path,),):
                try:
                    calc = services.run_workbook_check(
                        workbook=path, actor=request.user, now=system_now(), label=wb_form.cleaned_data["label"]
                    )
                except MrvError as exc:
                    problem = error_body(exc)
                else:
                    return redirect("mrv:calculation", calc_id=calc.public_id)
    elif request.method == "POST":
        form = CalculationForm(request.POST, request.FILES, prefix="calc")
        if form.is_valid():
            data = form.cleaned_data
            with staged_uploads(data["meter_files"], [data["parameters_file"]]) as (meters, params):
                try:
                    calc = services.run_calculation(
                        jcm_id=data["methodology"],
                        meter_files=meters,
                        parameters_file=params[0] if params else None,
                        parameters=None,
                        periods=data["periods"],
                        tz=data["tz"] or None,
                        actor=request.user,
                        now=system_now(),
                        label=data["label"],
                    )
                except MrvError as exc:
                    problem = error_body(exc)
                else:
                    return redirect("mrv:calculation", calc_id=calc.public_id)
    status = 422 if problem or (request.method == "POST" and (form.errors or wb_form.errors)) else 200
    return render(request, "mrv/calculate.html", {"form": form, "wb_form": wb_form, "problem": problem}, status=status)


class _SignInFirst(Exception):
    pass


def _report(request: HttpRequest, calc_id: UUID) -> dict[str, Any]:
    """The report as the user may read it. Not readable: sign in first (anonymous), else 404 (the
    same answer as for no calculation, so that an identifier reveals nothing)."""
    report = queries.calculation_report(calc_id, user=request.user)
    if report is None:
        if not request.user.is_authenticated and queries.find_calculation(calc_id) is not None:
            raise _SignInFirst
        raise Http404(str(calc_id))
    return {"c": _label_report(report)}


def calculation(request: HttpRequest, calc_id: UUID) -> HttpResponse:
    try:
        context = _report(request, calc_id)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    return render(request, "mrv/calculation.html", context)


@require_POST
@login_required
def calculation_visibility(request: HttpRequest, calc_id: UUID) -> HttpResponse:
    """The creator publishes the calculation (``public=1``) or withdraws it (``public=0``)."""
    calc = queries.find_calculation(calc_id)
    if calc is None or not queries.may_view(request.user, calc):
        raise Http404(str(calc_id))
    try:
        services.set_calculation_public(
            calculation=calc, public=request.POST.get("public") == "1", actor=request.user, now=system_now()
        )
    except services.NotAllowed as exc:
        return HttpResponse(exc.reason, status=403, content_type="text/plain; charset=utf-8")
    return redirect("mrv:calculation", calc_id=calc.public_id)


def calculation_pdf(request: HttpRequest, calc_id: UUID) -> HttpResponse:
    from weasyprint import HTML  # imported here: slow to import, only the PDF needs it

    try:
        context = _report(request, calc_id)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    html = render_to_string("mrv/calculation_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jcm-mrv-{context["c"]["jcm_id"]}-{calc_id}.pdf"'
    return response
