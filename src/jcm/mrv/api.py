"""/api/v1/mrv: the methodology catalogue and specs (public), calculations (run: signed-in users;
read: public, by their unguessable identifier).

Bad input answers 422 with a body naming the file/row/column, sheet/cell or field and the reason
(``detail``, ``title``, ``where``, ``reason``, ``location``); nothing is stored then.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from jcm.audit.core.clock import system_now
from jcm.mrv import queries, services
from jcm.mrv.core import MrvError
from jcm.mrv.forms import error_body, staged_uploads

router = Router(tags=["mrv"])


class PeriodIn(Schema):
    period: str
    monitored: dict[str, Any] = {}


class CalculationIn(Schema):
    methodology: str
    periods: list[PeriodIn]
    parameters: dict[str, Any] = {}
    tz: str | None = None
    label: str = ""


def _report_url(public_id: str) -> str | None:
    try:
        return reverse("mrv:calculation", args=[public_id])
    except NoReverseMatch:
        return None


def calculation_out(public_id: str) -> dict[str, Any]:
    report = queries.calculation_report(public_id)
    if report is None:
        raise HttpError(404, _("calculation: no calculation %(id)s") % {"id": public_id})
    keys = [
        "id",
        "kind",
        "jcm_id",
        "methodology_version",
        "methodology_title",
        "periods",
        "inputs",
        "input_digest",
        "submitted",
        "re_total",
        "pe_total",
        "er_total",
        "credits",
        "label",
        "created_by",
        "created_at",
        "differences",
        "matches",
        "unconfirmed",
        "result",
    ]
    out = {k: report[k] for k in keys}
    out["report_url"] = _report_url(report["id"])
    return out


@router.get("/methodologies", response=list[dict[str, Any]], summary="Shipped methodologies (as code)")
def methodologies(request: HttpRequest) -> list[dict[str, Any]]:
    return queries.methodology_catalogue()


@router.get("/methodologies/{jcm_id}", response=dict[str, Any], summary="One methodology's spec")
def methodology(request: HttpRequest, jcm_id: str) -> dict[str, Any]:
    spec = queries.methodology_spec(jcm_id)
    if spec is None:
        raise HttpError(404, _("methodology: no methodology %(id)s is shipped") % {"id": jcm_id})
    return spec


@router.post(
    "/calculations",
    auth=django_auth,
    response={201: dict[str, Any], 422: dict[str, Any]},
    summary="Run a calculation from monitored values in the body",
)
def calculate(request: HttpRequest, body: CalculationIn) -> Status[dict[str, Any]]:
    """Monitored values per period (``{"EC_PJ": {"IQF-1": 135}}``, optionally ``{"value", "unit"}``)
    and the parameters in the shape of a parameters file (``values``, ``calibration``, ``meter``)."""
    try:
        calc = services.run_calculation(
            jcm_id=body.methodology,
            meter_files=None,
            parameters_file=None,
            parameters=body.parameters,
            periods=[p.period for p in body.periods],
            monitored=[p.monitored for p in body.periods],
            tz=body.tz,
            actor=request.user,
            now=system_now(),
            label=body.label,
        )
    except MrvError as exc:
        return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id)))


@router.post(
    "/calculations/upload",
    auth=django_auth,
    response={201: dict[str, Any], 422: dict[str, Any]},
    summary="Run a calculation from meter files (CSV/Parquet) and a parameters file (multipart)",
)
def calculate_upload(
    request: HttpRequest,
    methodology: Form[str],
    periods: Form[list[str]],
    meter_files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    parameters_file: File[UploadedFile | None] = None,
    tz: Form[str | None] = None,
    label: Form[str] = "",
) -> Status[dict[str, Any]]:
    with staged_uploads(meter_files or [], [parameters_file]) as (meters, params):
        try:
            calc = services.run_calculation(
                jcm_id=methodology,
                meter_files=meters,
                parameters_file=params[0] if params else None,
                parameters=None,
                periods=periods,
                tz=tz or None,
                actor=request.user,
                now=system_now(),
                label=label,
            )
        except MrvError as exc:
            return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id)))


@router.post(
    "/workbook-checks",
    auth=django_auth,
    response={201: dict[str, Any], 422: dict[str, Any]},
    summary="Recompute a filled monitoring spreadsheet and list its differences cell by cell",
)
def workbook_check(request: HttpRequest, workbook: File[UploadedFile], label: Form[str] = "") -> Status[dict[str, Any]]:
    with staged_uploads([workbook]) as ((path,),):
        try:
            calc = services.run_workbook_check(workbook=path, actor=request.user, now=system_now(), label=label)
        except MrvError as exc:
            return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id)))


@router.get("/calculations/{calc_id}", response=dict[str, Any], summary="A stored calculation with its trace")
def calculation(request: HttpRequest, calc_id: str) -> dict[str, Any]:
    return calculation_out(calc_id)
