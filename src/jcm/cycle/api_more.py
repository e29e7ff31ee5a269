"""/api/v1/cycle, more actions for signed-in callers (mounted on the router of ``jcm.cycle.api``):
edit a project before registration, draft change requests (with the new MoC of an MoC change), record
TPE designations and publish JC meeting reports.

The order is the API's: 401 (credentials), 404 (no such object), 403 (no role in relation to the object
or the pair, or none of the caller's roles may do this), then 422 for the body, then what the service
decides (409, 422). Change requests are then acted on through ``POST /change_request/{pk}/actions``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Schema, Status
from ninja.files import UploadedFile

from jcm.accounts.api_auth import token_or_session
from jcm.accounts.core.roles import Role
from jcm.audit.core.clock import system_now
from jcm.cycle import web_queries
from jcm.cycle.api import (
    ERRORS,
    DecisionIn,
    ParticipantIn,
    SiteIn,
    _body,
    _documented_body,
    _missing,
    _refused,
    router,
)
from jcm.cycle.errors import CycleError

PARTICIPANTS = (Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT)


def _invalid_field(field: str, message: str) -> Status:
    return Status(422, {"detail": f"{field}: {message}", "code": "invalid",
                        "errors": [{"field": field, "message": message}]})


def _object_role_refusal(user: Any, kind: str, obj: Any, roles: Iterable[Role], message: str) -> CycleError | None:
    """403 unless ``user`` stands in relation to ``obj`` in one of ``roles`` (checked before the body)."""
    refusal = web_queries.rights_refusal(user, kind, obj)
    if refusal is not None:
        return refusal
    if any(web_queries.rights_refusal(user, kind, obj, role=r.value) is None for r in roles):
        return None
    return CycleError("role", message, "role_not_allowed")


def _pair_role_refusal(user: Any, partner_code: object, role: Role, message: str) -> CycleError | None:
    """403 unless ``user`` holds ``role`` in the pair of ``partner_code`` (checked before the body)."""
    from jcm.cycle.services.common import memberships_in
    from jcm.reference.models import CountryPair

    refusal = web_queries.pair_refusal(user, partner_code)
    if refusal is not None:
        return refusal
    code = partner_code.upper() if isinstance(partner_code, str) else ""
    pair = CountryPair.objects.select_related("partner").filter(partner__code=code).first()
    if pair is None or not any(Role(m.role) is role for m in memberships_in(user, pair)):
        return CycleError("role", message, "role_not_allowed")
    return None


def _project(pk: int) -> Any:
    return web_queries.get_object("project", pk)


# --- edit a project before registration ---------------------------------------------------------------


class ProjectUpdateIn(Schema):
    title: str | None = None
    operation_started_on: datetime.date | None = None
    crediting_start: datetime.date | None = None
    crediting_end: datetime.date | None = None
    sites: list[SiteIn] | None = None
    equipment: list[str] | None = None


@router.patch("/project/{pk}", response={200: dict[str, Any], **ERRORS}, auth=token_or_session,
              openapi_extra=_documented_body(ProjectUpdateIn))
def update_project(request: HttpRequest, pk: int, payload: Body[dict[str, Any]]) -> Any:
    """The participants edit a project before registration (body: ``ProjectUpdateIn``; only the fields
    given change; the crediting period is given whole). 403 for any other role, before the body (422)."""
    from jcm.cycle.services import SiteInput
    from jcm.cycle.services import update_project as service

    p = _project(pk)
    if p is None:
        return _missing("id", f"project {pk}")
    refusal = _object_role_refusal(request.user, "project", p, PARTICIPANTS,
                                   _("only the project participants edit the project"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(ProjectUpdateIn, payload)
    if isinstance(body, Status):
        return body
    try:
        p = service(actor=request.user, project=p, now=system_now(), title=body.title,
                    operation_started_on=body.operation_started_on, crediting_start=body.crediting_start,
                    crediting_end=body.crediting_end,
                    sites=None if body.sites is None else [
                        SiteInput(latitude=s.latitude, longitude=s.longitude, label=s.label) for s in body.sites],
                    equipment=body.equipment)
    except CycleError as exc:
        return _refused(exc)
    return Status(200, {"kind": "project", "id": p.pk, "key": p.key, "state": p.state, "title": p.title,
                        "crediting_start": p.crediting_start, "crediting_end": p.crediting_end})


# --- change requests ------------------------------------------------------------------------------------


class SignatoryIn(Schema):
    name: str
    organisation: str = ""
    title: str = ""


class MocIn(Schema):
    focal_point: int
    parties: list[ParticipantIn]
    signatories: list[SignatoryIn]


class ChangeRequestIn(Schema):
    kind: Literal["post_registration_change", "moc_change", "renewal"]
    description: str = ""
    new_crediting_start: datetime.date | None = None
    new_crediting_end: datetime.date | None = None
    moc: MocIn | None = None


def _file_moc(request: HttpRequest, project: Any, moc: MocIn, change_request: Any) -> Any:
    from jcm.cycle.services import ParticipantInput, file_moc

    return file_moc(actor=request.user, project=project, focal_point=moc.focal_point, now=system_now(),
                    parties=[ParticipantInput(organisation=x.organisation, side=x.side, email=x.email)
                             for x in moc.parties],
                    signatories=[s.dict() for s in moc.signatories], change_request=change_request)


def _change_out(cr: Any) -> dict[str, Any]:
    return {"kind": "change_request", "id": cr.pk, "number": cr.number, "change_kind": cr.kind,
            "state": cr.state, "project": cr.project_id, "moc_filed": cr.mocs.exists()}


@router.post("/project/{pk}/change_requests", response={201: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(ChangeRequestIn))
def create_change_request(request: HttpRequest, pk: int, payload: Body[dict[str, Any]]) -> Any:
    """The participants draft a change request for a registered project (body: ``ChangeRequestIn``):
    ``post_registration_change``, ``moc_change`` (the new MoC in ``moc``, or filed later through
    ``POST /change_request/{id}/moc``) or ``renewal`` (the new period). Then submit it and act on it
    through ``POST /change_request/{id}/actions``. 403 for any other role, before the body (422)."""
    from django.db import transaction

    from jcm.cycle.services import create_change_request as service

    p = _project(pk)
    if p is None:
        return _missing("id", f"project {pk}")
    refusal = _object_role_refusal(request.user, "project", p, PARTICIPANTS,
                                   _("only the project participants request changes"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(ChangeRequestIn, payload)
    if isinstance(body, Status):
        return body
    if body.moc is not None and body.kind != "moc_change":
        return _invalid_field("moc", _("a new MoC is filed only with an MoC change request"))
    try:
        with transaction.atomic():
            cr = service(actor=request.user, project=p, kind=body.kind, now=system_now(),
                         description=body.description, new_crediting_start=body.new_crediting_start,
                         new_crediting_end=body.new_crediting_end)
            if body.moc is not None:
                _file_moc(request, p, body.moc, cr)
    except CycleError as exc:
        return _refused(exc)
    return Status(201, _change_out(cr))


@router.post("/change_request/{pk}/moc", response={201: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(MocIn))
def file_change_moc(request: HttpRequest, pk: int, payload: Body[dict[str, Any]]) -> Any:
    """The participants file the new MoC with their MoC change request (draft or returned; body: ``MocIn``)."""
    cr = web_queries.get_object("change_request", pk)
    if cr is None:
        return _missing("id", f"change_request {pk}")
    refusal = _object_role_refusal(request.user, "change_request", cr, PARTICIPANTS,
                                   _("only the project participants file an MoC"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(MocIn, payload)
    if isinstance(body, Status):
        return body
    if cr.kind != "moc_change":
        return _invalid_field("change_request", _("a new MoC is filed only with an MoC change request"))
    if cr.state not in ("draft", "returned"):
        return _refused(CycleError("state", _("the MoC is filed while the request is a draft or returned"),
                                   "wrong_state"))
    try:
        moc = _file_moc(request, cr.project, body, cr)
    except CycleError as exc:
        return _refused(exc)
    return Status(201, _change_out(cr) | {"moc": moc.number})


# --- the secretariat ---------------------------------------------------------------------------------------


class DesignationIn(Schema):
    partner: str
    tpe_id: str
    function: Literal["validation", "verification"]
    scopes: list[int]
    designated_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    status: Literal["designated", "suspended", "withdrawn"] = "designated"
    status_since: datetime.date | None = None
    decision: DecisionIn | None = None


@router.post("/designations", response={201: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(DesignationIn))
def record_designation(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """The JC secretariat of the pair records a TPE designation (body: ``DesignationIn``). Any other
    caller is refused (403) before the body is validated (422)."""
    from jcm.cycle.services import DecisionInput, record_tpe_designation

    refusal = _pair_role_refusal(request.user, payload.get("partner"), Role.JC_SECRETARIAT,
                                 _("only the JC secretariat of the pair records TPE designations"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(DesignationIn, payload)
    if isinstance(body, Status):
        return body
    decision = None if body.decision is None else DecisionInput(
        number=body.decision.number, decided_on=body.decision.decided_on, mode=body.decision.mode,
        title=body.decision.title)
    try:
        row = record_tpe_designation(actor=request.user, tpe_id=body.tpe_id, partner_code=body.partner,
                                     function=body.function, scopes=body.scopes, designated_on=body.designated_on,
                                     expires_on=body.expires_on, status=body.status,
                                     status_since=body.status_since, decision=decision, now=system_now())
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"id": row.pk, "tpe_id": body.tpe_id, "pair": body.partner.upper(),
                        "function": row.function, "scopes": sorted(set(body.scopes)), "status": row.status,
                        "designated_on": row.designated_on, "expires_on": row.expires_on})


@router.post("/meeting_reports", response={201: dict[str, Any], **ERRORS}, auth=token_or_session)
def publish_meeting_report(
    request: HttpRequest, partner: Form[str] = "", meeting: Form[str] = "", held_on: Form[str] = "",
    title: Form[str] = "", file: File[UploadedFile | None] = None,
) -> Any:
    """The JC secretariat of the pair publishes a JC meeting report (multipart/form-data: ``partner``,
    ``meeting``, ``held_on`` (YYYY-MM-DD), ``title``, optional ``file``). Any other caller is refused
    (403) before the fields are checked (422)."""
    from jcm.cycle.services import publish_meeting_report as service

    refusal = _pair_role_refusal(request.user, partner, Role.JC_SECRETARIAT,
                                 _("the secretariat publishes JC meeting reports"))
    if refusal is not None:
        return _refused(refusal)
    for field, given in (("meeting", meeting.strip()), ("held_on", held_on.strip()), ("title", title.strip())):
        if not given:
            return _invalid_field(field, _("this field is required"))
    try:
        day = datetime.date.fromisoformat(held_on.strip())
    except ValueError:
        return _invalid_field("held_on", _("give the date as YYYY-MM-DD"))
    try:
        rep = service(actor=request.user, partner_code=partner, meeting=meeting, held_on=day, title=title.strip(),
                      now=system_now(), file=file)
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"id": rep.pk, "pair": partner.upper(), "meeting": rep.meeting, "held_on": rep.held_on,
                        "title": rep.title, "has_file": bool(rep.file)})
