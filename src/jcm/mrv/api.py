"""/api/v1/mrv: the methodology catalogue and specs (public), calculations (run: an API token as
``Authorization: Bearer <token>`` or the browser session; read: its creator, people of the creator's
organisations, the JC and secretariat of the methodology's pair and platform administrators — anyone
once it is published, and then without the username of the person who ran it).

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

from jcm.accounts.api_auth import token_or_session, user_for_token
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
    public: bool = False


class VisibilityIn(Schema):
    public: bool


def _reader(request: HttpRequest) -> Any:
    """Who reads: the user of a bearer token (401 for a bad one), else the session's user (maybe anonymous)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = user_for_token(header[7:])
        if user is None:
            raise HttpError(401, _("Unauthorized"))
        return user
    return request.user


def _report_url(public_id: str) -> str | None:
    try:
        return reverse("mrv:calculation", args=[public_id])
    except NoReverseMatch:
        return None


def calculation_out(public_id: str, user: Any) -> dict[str, Any]:
    """The calculation as ``user`` may read it; 404 when there is none or ``user`` may not read it."""
    report = queries.calculation_report(public_id, user=user)
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
        "public",
        "run_by_organisation",
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
    auth=token_or_session,
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
            public=body.public,
        )
    except MrvError as exc:
        return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id), request.user))


@router.post(
    "/calculations/upload",
    auth=token_or_session,
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
    public: Form[bool] = False,
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
                public=public,
            )
        except MrvError as exc:
            return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id), request.user))


@router.post(
    "/workbook-checks",
    auth=token_or_session,
    response={201: dict[str, Any], 422: dict[str, Any]},
    summary="Recompute a filled monitoring spreadsheet and list its differences cell by cell",
)
def workbook_check(
    request: HttpRequest, workbook: File[UploadedFile], label: Form[str] = "", public: Form[bool] = False
) -> Status[dict[str, Any]]:
    with staged_uploads([workbook]) as ((path,),):
        try:
            calc = services.run_workbook_check(
                workbook=path, actor=request.user, now=system_now(), label=label, public=public
            )
        except MrvError as exc:
            return Status(422, error_body(exc))
    return Status(201, calculation_out(str(calc.public_id), request.user))


@router.get(
    "/calculations/{calc_id}",
    response=dict[str, Any],
    summary="A stored calculation with its trace (published, or you are its creator, of its creator's "
    "organisation, of the JC or secretariat of its pair, or a platform administrator)",
)
def calculation(request: HttpRequest, calc_id: str) -> dict[str, Any]:
    return calculation_out(calc_id, _reader(request))


@router.post(
    "/calculations/{calc_id}/visibility",
    auth=token_or_session,
    response={200: dict[str, Any], 403: dict[str, Any]},
    summary="Publish a calculation or withdraw it from the public (its creator only)",
)
def visibility(request: HttpRequest, calc_id: str, body: VisibilityIn) -> Status[dict[str, Any]]:
    calc = queries.find_calculation(calc_id)
    if calc is None or not queries.may_view(request.user, calc):
        raise HttpError(404, _("calculation: no calculation %(id)s") % {"id": calc_id})
    try:
        services.set_calculation_public(calculation=calc, public=body.public, actor=request.user, now=system_now())
    except services.NotAllowed as exc:
        return Status(403, {"detail": f"{exc.field}: {exc.reason}", "field": exc.field, "reason": exc.reason})
    return Status(200, calculation_out(str(calc.public_id), request.user))
