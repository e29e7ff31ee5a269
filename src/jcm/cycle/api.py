"""/api/v1/cycle: public reads (projects with their timeline, methodologies, JC decisions), public
comments during an open window, and the cycle's actions for signed-in callers (an API token as
``Authorization: Bearer <token>``, or the browser session).

Refusals name the field and the reason: ``{"detail", "code", "errors": [{"field", "message"}]}`` with
401 (no or bad credentials), 403 (not your role or relation), 404, 409 (not possible in this state)
or 422 (bad input, or a rule of the cycle not met).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, ValidationError

from jcm.accounts.api_auth import token_or_session
from jcm.audit.core.clock import system_now
from jcm.cycle import queries, web_queries
from jcm.cycle.errors import CycleError

router = Router(tags=["cycle"])

STATUS_OF_CODE = {"relation": 403, "role_not_allowed": 403, "not_found": 404, "wrong_state": 409,
                  "unknown_action": 422}


class ErrorOut(Schema):
    detail: str
    code: str = ""
    errors: list[dict[str, str]] = []


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _refused(exc: CycleError) -> Status:
    return Status(STATUS_OF_CODE.get(exc.code, 422), {
        "detail": f"{exc.field}: {exc.reason}", "code": exc.code,
        "errors": [{"field": exc.field, "message": exc.reason}]})


def _missing(field: str, what: str) -> Status:
    return Status(404, {"detail": f"{field}: " + _("no %(what)s") % {"what": what}, "code": "not_found",
                 "errors": [{"field": field, "message": _("no %(what)s") % {"what": what}}]})


def _invalid(exc: ValidationError) -> Status:
    errors = [{"field": ".".join(str(x) for x in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": _("invalid")}
    return Status(422, {"detail": f"{first['field']}: {first['message']}", "code": "invalid", "errors": errors})


def _body[T: BaseModel](schema: type[T], payload: dict[str, Any]) -> T | Status:
    """Validate the request body (after the caller's rights were checked): the model, or a 422 naming fields."""
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        return _invalid(exc)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _documented_body(schema: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a JSON body the handler validates itself (after the rights check): the schema, inline."""
    full = schema.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": _inline(full, full.get("$defs", {}))}}}}


def _files(rows: list[dict[str, Any]], request: HttpRequest) -> list[dict[str, Any]]:
    for d in rows:
        d["public_url"] = request.build_absolute_uri(reverse("cycle:public-file", args=[d["version_id"]]))
        d["confidential_url"] = request.build_absolute_uri(
            reverse("cycle:confidential-file", args=[d["version_id"]])) if d["may_see_confidential"] else ""
    return rows


# --- public reads --------------------------------------------------------------------------------


@router.get("/projects", response=list[dict[str, Any]])
def list_projects(request: HttpRequest, pair: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    """Projects in the cycle (drafts are private), optionally of one pair (partner code) and state."""
    return [p for p in queries.list_projects(partner_code=pair, state=state) if p["state"] != "draft"]


@router.get("/projects/{reference}", response={200: dict[str, Any], 404: ErrorOut})
def project(request: HttpRequest, reference: str) -> Any:
    """A project (by project ID, PIN ID or reference): timeline with dates and decisions, documents,
    comments, monitoring periods with RE/PE/ER, credits issued per side."""
    p = web_queries.project_by_reference(reference)
    if p is None or p.state == "draft":
        return _missing("reference", _("project %(ref)s") % {"ref": reference})
    detail = queries.project_detail(p, user=request.user, now=system_now())
    detail["documents"] = _files(web_queries.documents(request.user, project=p), request)
    for r in detail["monitoring"]:
        r["documents"] = _files(web_queries.documents(request.user, monitoring_report_id=r["id"]), request)
    detail["credits"] = web_queries.credits_by_side(p)
    detail["open_window"] = web_queries.open_public_window(project=p)
    return detail


@router.get("/methodologies", response=list[dict[str, Any]])
def list_methodologies(request: HttpRequest, pair: str | None = None) -> list[dict[str, Any]]:
    return [m for m in queries.list_methodologies(partner_code=pair) if m["state"] != "draft"]


@router.get("/methodologies/{pm_id}", response={200: dict[str, Any], 404: ErrorOut})
def methodology(request: HttpRequest, pm_id: str) -> Any:
    from jcm.cycle.models import Methodology

    m = Methodology.objects.filter(pm_id=pm_id).first() or Methodology.objects.filter(am_id=pm_id).first()
    if m is None:
        return _missing("pm_id", _("methodology %(id)s") % {"id": pm_id})
    detail = queries.methodology_detail(m, user=request.user)
    detail["versions"] = [v for v in detail["versions"] if v["state"] != "draft"]
    for v in detail["versions"]:
        v["documents"] = _files(web_queries.documents(request.user, methodology_version_id=v["id"]), request)
    return detail


@router.get("/decisions", response=list[dict[str, Any]])
def decisions(request: HttpRequest, pair: str | None = None) -> list[dict[str, Any]]:
    return queries.list_decisions(partner_code=pair)


class CommentIn(Schema):
    author_name: str
    text: str
    organisation: str = ""
    email: str = ""


@router.post("/windows/{window_id}/comments", response={201: dict[str, Any], **ERRORS})
def comment(request: HttpRequest, window_id: int, body: CommentIn) -> Any:
    """Anyone may comment while a public-input window is open."""
    from jcm.cycle.services import submit_public_comment

    try:
        c = submit_public_comment(window=window_id, now=system_now(), **body.dict())
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"id": c.pk, "author": c.author_name, "submitted_at": c.submitted_at})


# --- signed in -------------------------------------------------------------------------------------


@router.get("/awaiting", response={200: list[dict[str, Any]], 401: ErrorOut}, auth=token_or_session)
def awaiting(request: HttpRequest) -> Any:
    """What awaits the caller: per role and pair, the objects and the actions offered."""
    return [{"kind": i.kind, "id": i.id, "label": i.label, "title": i.title, "pair": i.partner_code,
             "state": i.state, "role": i.role, "due": i.due, "overdue": i.overdue,
             "actions": [{"action": o.action, "allowed": o.allowed, "reason": o.reason} for o in i.actions]}
            for i in queries.awaiting(request.user, now=system_now())]


class DecisionIn(Schema):
    number: str
    decided_on: datetime.date
    mode: Literal["meeting", "electronic"] = "electronic"
    title: str = ""


class ActionIn(Schema):
    action: str
    role: str | None = None
    reason: str = ""
    decision: DecisionIn | None = None
    verified: int | None = None
    findings: list[str] = []
    requested: int | None = None
    total: int | None = None
    mrv_methodology_id: str | None = None


Kind = Literal["methodology", "project", "monitoring_report", "change_request"]


@router.post("/{kind}/{pk}/actions", response={200: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(ActionIn))
def act(request: HttpRequest, kind: Kind, pk: int, payload: Body[dict[str, Any]]) -> Any:
    """Take one step of the object's state machine (``kind``: methodology version, project, monitoring
    report or change request; body: ``ActionIn``). Decisions need ``decision``; returns, rejections and
    negative opinions a ``reason``; ``verify`` takes ``verified`` and ``findings``; ``request_issuance``
    ``requested``. The caller's role and relation to the object are checked (401, 404, 403) before the
    body is (422)."""
    from jcm.cycle.views.workspace import take_action

    obj = web_queries.get_object(kind, pk)
    if obj is None:
        return _missing("id", f"{kind} {pk}")
    refusal = web_queries.rights_refusal(request.user, kind, obj, action=payload.get("action"),
                                         role=payload.get("role"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(ActionIn, payload)
    if isinstance(body, Status):
        return body
    if body.action not in web_queries.MACHINE_OF_KIND[kind].actions:
        return Status(422, {"detail": f"action: {body.action}", "code": "unknown_action",
                            "errors": [{"field": "action", "message": _("unknown action %(a)s") % {"a": body.action}}]})
    spec = web_queries.action_spec(kind, body.action)
    if spec.decision and body.decision is None:
        message = _("this is a JC decision: give its number, date and mode")
        return Status(422, {"detail": f"decision: {message}", "code": "missing_decision",
                            "errors": [{"field": "decision", "message": message}]})
    data = body.dict()
    if body.decision is not None:
        data |= {"decision_number": body.decision.number, "decision_date": body.decision.decided_on,
                 "decision_mode": body.decision.mode, "decision_title": body.decision.title}
    try:
        take_action(user=request.user, kind=kind, obj=obj, spec=spec, role=body.role or "", data=data)
    except CycleError as exc:
        return _refused(exc)
    obj.refresh_from_db()
    return Status(200, {"kind": kind, "id": obj.pk, "state": obj.state, "reference": str(obj)})


# --- submissions (signed in) ---------------------------------------------------------------------------


class ParticipantIn(Schema):
    organisation: int
    side: Literal["japan", "partner"]
    email: str = ""


class SiteIn(Schema):
    latitude: Decimal
    longitude: Decimal
    label: str = ""


class ProjectIn(Schema):
    partner: str
    title: str
    scopes: list[int]
    participants: list[ParticipantIn] = []
    focal_point: int | None = None
    methodology_version: int | None = None
    mrv_methodology_id: str = ""
    operation_started_on: datetime.date | None = None
    crediting_start: datetime.date | None = None
    crediting_end: datetime.date | None = None
    sites: list[SiteIn] = []
    equipment: list[str] = []


@router.post("/projects", response={201: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(ProjectIn))
def create_project(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """A participant starts a project in draft (its organisation is a participant; the focal point
    defaults to it; body: ``ProjectIn``). Returns the project's id and internal key. A caller with no
    role in the pair is refused (403) before the body is validated (422)."""
    from jcm.cycle.services import ParticipantInput, SiteInput
    from jcm.cycle.services import create_project as service

    refusal = web_queries.pair_refusal(request.user, payload.get("partner"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(ProjectIn, payload)
    if isinstance(body, Status):
        return body

    try:
        p = service(actor=request.user, partner_code=body.partner, title=body.title, scopes=body.scopes,
                    participants=[ParticipantInput(organisation=x.organisation, side=x.side, email=x.email)
                                  for x in body.participants],
                    focal_point=body.focal_point, methodology_version=body.methodology_version,
                    mrv_methodology_id=body.mrv_methodology_id, operation_started_on=body.operation_started_on,
                    crediting_start=body.crediting_start, crediting_end=body.crediting_end,
                    sites=[SiteInput(latitude=s.latitude, longitude=s.longitude, label=s.label) for s in body.sites],
                    equipment=body.equipment, now=system_now())
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"kind": "project", "id": p.pk, "key": p.key, "state": p.state})


class ProposalIn(Schema):
    partner: str
    title: str
    scopes: list[int]
    mrv_methodology_id: str = ""


@router.post("/methodologies", response={201: dict[str, Any], **ERRORS}, auth=token_or_session,
             openapi_extra=_documented_body(ProposalIn))
def propose(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """Propose a methodology (body: ``ProposalIn``): ``<CC>_PM<nnn>`` ver01.0 in draft, for the caller's
    organisation. Act on the version (``kind`` methodology, ``id`` = ``version_id``). A caller with no role
    in the pair is refused (403) before the body is validated (422)."""
    from jcm.cycle.services import propose_methodology

    refusal = web_queries.pair_refusal(request.user, payload.get("partner"))
    if refusal is not None:
        return _refused(refusal)
    body = _body(ProposalIn, payload)
    if isinstance(body, Status):
        return body

    try:
        v = propose_methodology(actor=request.user, partner_code=body.partner, title=body.title, scopes=body.scopes,
                                mrv_methodology_id=body.mrv_methodology_id, now=system_now())
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"kind": "methodology", "id": v.methodology_id, "version_id": v.pk,
                        "pm_id": v.methodology.pm_id, "version": v.version, "state": v.state})


@router.post("/{kind}/{pk}/documents", response={201: dict[str, Any], **ERRORS}, auth=token_or_session)
def upload_document(
    request: HttpRequest, kind: Kind, pk: int, form_code: Form[str] = "",
    public_file: File[UploadedFile | None] = None,
    confidential_file: File[UploadedFile | None] = None, title: Form[str] = "", language: Form[str] = "en",
    note: Form[str] = "", translation_language: Form[str] = "", translation_file: File[UploadedFile | None] = None,
) -> Any:
    """A new version of the ``form_code`` submission of the object (multipart/form-data): the public
    (redacted) file, optionally the confidential one and one translation. Returns the version id; files
    are fetched through the checking views, never by a storage path. The caller's role and relation to the
    object are checked (403) before the fields are (422)."""
    from jcm.cycle.services import submit_document

    obj = web_queries.get_object(kind, pk)
    if obj is None:
        return _missing("id", f"{kind} {pk}")
    refusal = web_queries.rights_refusal(request.user, kind, obj)
    if refusal is not None:
        return _refused(refusal)
    for field, given in (("form_code", form_code.strip()), ("public_file", public_file)):
        if not given:
            message = _("this field is required")
            return Status(422, {"detail": f"{field}: {message}", "code": "invalid",
                                "errors": [{"field": field, "message": message}]})
    if bool(translation_language.strip()) != bool(translation_file):
        message = _("give both the language and the file of the translation")
        return Status(422, {"detail": f"translation_file: {message}", "code": "invalid",
                            "errors": [{"field": "translation_file", "message": message}]})
    translations = {translation_language.strip(): translation_file} if translation_file else None
    try:
        v = submit_document(actor=request.user, subject=obj, form_code=form_code, public_file=public_file,
                            confidential_file=confidential_file, translations=translations, title=title,
                            language=language or "en", note=note, now=system_now())
    except CycleError as exc:
        return _refused(exc)
    return Status(201, {"version_id": v.pk, "form": form_code, "version": v.number,
                        "has_confidential": v.has_confidential, "public_sha256": v.public_sha256})


# More actions (project edits, change requests, TPE designations, meeting reports) on this router.
from jcm.cycle import api_more  # noqa: E402, F401
