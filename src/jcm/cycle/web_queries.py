"""Reads the web layer needs beyond ``jcm.cycle.queries``: document versions with their ids (files are
served through a view that checks, never as a media URL), what each action asks for (derived from the
core's transition tables), the choices of the forms, and the offers on one object for one user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from jcm.accounts.core.roles import PLATFORM_WIDE, Role
from jcm.accounts.models import Membership, Organisation
from jcm.cycle import queries
from jcm.cycle.core.transitions import CHANGE_REQUEST, ISSUANCE, METHODOLOGY, PROJECT
from jcm.cycle.models import (
    ChangeRequest,
    Document,
    DocumentVersion,
    JcMeetingReport,
    JcNotification,
    MethodologyVersion,
    MonitoringReport,
    Project,
    Translation,
    Window,
)
from jcm.reference.models import CountryPair

MACHINE_OF_KIND = {"methodology": METHODOLOGY, "project": PROJECT, "monitoring_report": ISSUANCE,
                   "change_request": CHANGE_REQUEST}
MODEL_OF_KIND: dict[str, Any] = {"methodology": MethodologyVersion, "project": Project,
                                 "monitoring_report": MonitoringReport, "change_request": ChangeRequest}
SUBJECT_FIELD = {"methodology": "methodology_version", "project": "project", "monitoring_report":
                 "monitoring_report", "change_request": "change_request"}
# Values an action takes beyond a reason and a decision (the services' keyword arguments).
EXTRA_FIELDS = {("monitoring_report", "verify"): ("verified", "findings"),
                ("monitoring_report", "request_issuance"): ("requested",),
                ("monitoring_report", "notify_issuance"): ("total",),
                ("methodology", "approve"): ("mrv_methodology_id",),
                ("methodology", "approve_with_revisions"): ("mrv_methodology_id",)}
REGISTRY_ACTIONS = {"record_issuance_japan": "japan", "record_issuance_partner": "partner"}


@dataclass(frozen=True)
class ActionSpec:
    """What the form of one action asks for: a reason, a JC decision record, and extra values."""

    kind: str
    action: str
    needs_reason: bool
    decision: bool
    extras: tuple[str, ...]


def action_spec(kind: str, action: str) -> ActionSpec:
    machine = MACHINE_OF_KIND[kind]
    transitions = machine.transitions_for(action)
    needs_reason = any(g.__name__ == "reason_given" for t in transitions for g in t.guards)
    decision = any(t.decision for t in transitions)
    return ActionSpec(kind, action, needs_reason, decision, EXTRA_FIELDS.get((kind, action), ()))


def step_forms(kind: str, action: str, rule_set: Any) -> list[dict[str, str]]:
    """The forms the rule set requires at this action's step (code and name)."""
    machine = MACHINE_OF_KIND[kind]
    steps = {t.step for t in machine.transitions_for(action) if t.step}
    return [{"code": f.code, "name": f.name, "version": f.version or ""} for s in sorted(steps)
            for f in rule_set.forms_for(s)]


def get_object(kind: str, pk: int) -> Any:
    model = MODEL_OF_KIND.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=pk).first()


def pair_of(kind: str, obj: Any) -> CountryPair:
    if kind == "methodology":
        return obj.methodology.pair
    if kind == "project":
        return obj.pair
    return obj.project.pair


def project_of(kind: str, obj: Any) -> Project | None:
    if kind == "project":
        return obj
    if kind in ("monitoring_report", "change_request"):
        return obj.project
    return None


def offers_on(user: Any, kind: str, obj: Any, *, now: datetime.datetime) -> list[queries.AwaitingItem]:
    """The offers (one item per role the user holds) on this one object (``queries.offers``)."""
    return queries.offers(user, kind, obj, now=now)


def documents(user: Any, **subject: Any) -> list[dict[str, Any]]:
    """Every version of every document of the subject, with ids for the file views (see ``queries.documents``)."""
    return queries.documents(user, **subject)


def document_version(pk: int) -> DocumentVersion | None:
    return DocumentVersion.objects.select_related("document").filter(pk=pk).first()


def translation(pk: int) -> Translation | None:
    return Translation.objects.select_related("version__document").filter(pk=pk).first()


def is_public(version: DocumentVersion) -> bool:
    """The public file of a document is public once its subject left the draft state."""
    subject = version.document.subject
    state = getattr(subject, "state", "")
    return state not in ("draft",)


def open_public_window(**subject: Any) -> dict[str, Any] | None:
    w = (Window.objects.filter(**subject, closed_at__isnull=True, key__endswith="_public_input")
         .order_by("-opens_at").first())
    if w is None:
        return None
    return {"id": w.pk, "key": w.key, "opens_at": w.opens_at, "closes_at": w.closes_at}


def window_is_open(window_id: int, now: datetime.datetime) -> bool:
    w = Window.objects.filter(pk=window_id).first()
    return bool(w and w.is_public_input and w.closed_at is None and w.opens_at <= now
                and (w.closes_at is None or now < w.closes_at))


def credits_by_side(project: Project) -> list[dict[str, Any]]:
    """Issued notifications of a project: side, registry, quantity, serial ranges, issuance."""
    rows = (JcNotification.objects.filter(request__report__project=project)
            .select_related("request__report", "decision").order_by("request__report__number", "side"))
    return [{"report": n.request.report.number, "period": n.request.report.period_label, "side": n.side,
             "registry": n.registry_code, "quantity": n.quantity, "status": n.status, "serials": n.serials,
             "issuance": n.issuance_reference, "issued_at": n.issued_at, "decision": n.decision.number}
            for n in rows]


def notification_for(report: MonitoringReport, side: str) -> JcNotification | None:
    return (JcNotification.objects.filter(request__report=report, side=side).exclude(status="issued")
            .order_by("-pk").first())


def meeting_reports(partner_code: str | None = None) -> list[dict[str, Any]]:
    qs = JcMeetingReport.objects.select_related("pair__partner").order_by("-held_on")
    if partner_code:
        qs = qs.filter(pair__partner__code=partner_code.upper())
    return [{"id": r.pk, "partner_code": r.pair.partner.code, "meeting": r.meeting, "held_on": r.held_on,
             "title": r.title, "has_file": bool(r.file)} for r in qs]


def meeting_report(pk: int) -> JcMeetingReport | None:
    return JcMeetingReport.objects.filter(pk=pk).first()


def public_project_keys() -> set[str]:
    return set(Project.objects.exclude(state="draft").values_list("key", flat=True))


def project_by_reference(reference: str) -> Project | None:
    qs = Project.objects.select_related("pair__partner")
    return (qs.filter(key=reference).first() or qs.filter(project_id=reference).first()
            or qs.filter(pin_id=reference).first())


# --- choices for the forms ------------------------------------------------------------------------


def pairs_where(user: Any, roles: set[Role]) -> list[tuple[str, str]]:
    """(partner code, label) of the pairs where the user holds one of ``roles``."""
    codes: set[str] = set()
    for m in Membership.objects.filter(user=user).select_related("pair__partner"):
        if Role(m.role) not in roles:
            continue
        if m.pair_id:
            codes.add(m.pair.partner.code)
        elif Role(m.role) in PLATFORM_WIDE:
            codes |= set(CountryPair.objects.values_list("partner__code", flat=True))
    return [(c, f"JP–{c}") for c in sorted(codes)]


def organisations() -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in Organisation.objects.order_by("name")]


def approved_versions() -> list[tuple[int, str]]:
    qs = MethodologyVersion.objects.filter(state="approved").select_related("methodology__pair__partner")
    return [(v.pk, f"{v.methodology} {v.version} — {v.methodology.title} (JP–{v.methodology.pair.partner.code})")
            for v in qs.order_by("methodology__pm_id")]


def tpes() -> list[tuple[str, str]]:
    from jcm.reference.models import Tpe

    return [(t.tpe_id, f"{t.tpe_id} {t.name}".strip()) for t in Tpe.objects.order_by("tpe_id")]


def mrv_methodologies() -> list[tuple[str, str]]:
    from jcm.mrv.queries import methodology_catalogue

    return [(m["jcm_id"], f"{m['jcm_id']} — {m.get('title', '')}") for m in methodology_catalogue()]


def form_codes(kind: str, obj: Any, now: datetime.datetime) -> list[tuple[str, str]]:
    """Form codes of the pair's rule set (those its steps require first), for the upload form."""
    from jcm.cycle.services.common import rule_set_of

    rule_set = rule_set_of(pair_of(kind, obj), now)
    prefix = {"methodology": "methodology.", "project": "project.", "monitoring_report": "issuance.",
              "change_request": "renewal."}[kind]
    wanted: list[str] = []
    for step, codes in sorted(rule_set.steps.items()):
        if step.startswith(prefix):
            wanted += [c for c in codes if c not in wanted]
    rest = sorted(c for c in rule_set.forms if c not in wanted)
    return [(c, f"{c} — {rule_set.forms[c].name}") for c in [*wanted, *rest]]


def documents_of(kind: str, obj: Any, user: Any) -> list[dict[str, Any]]:
    return documents(user, **{SUBJECT_FIELD[kind]: obj})


def report_summary(r: MonitoringReport) -> dict[str, Any]:
    last = r.verifications.filter(outcome="verified").order_by("-at").first()
    req = r.issuance_requests.order_by("-id").first()
    return {"id": r.pk, "number": r.number, "period_start": r.period_start, "period_end": r.period_end,
            "state": r.state, "RE": r.reference_emissions, "PE": r.project_emissions, "ER": r.emission_reductions,
            "claimed": r.claimed, "verified": last.verified if last else None,
            "findings": list(last.findings) if last else [], "requested": req.requested if req else None,
            "calculation": str(r.calculation.public_id) if r.calculation_id else "",
            "project_key": r.project.key, "project": r.project.reference}


def documents_exist(**subject: Any) -> bool:
    return Document.objects.filter(**subject).exists()


def recorded_designations(partner_codes: list[str]) -> list[dict[str, Any]]:
    """TPE designations the secretariats recorded in these pairs, newest first."""
    from jcm.cycle.models import RecordedDesignation

    rows = (RecordedDesignation.objects.filter(pair__partner__code__in=partner_codes)
            .select_related("tpe", "pair__partner", "decision").prefetch_related("scopes")
            .order_by("-recorded_at", "-id"))
    return [{"tpe_id": r.tpe.tpe_id, "tpe": r.tpe.name, "partner_code": r.pair.partner.code, "function": r.function,
             "scopes": sorted(s.number for s in r.scopes.all()), "designated_on": r.designated_on,
             "expires_on": r.expires_on, "status": r.status, "status_since": r.status_since,
             "decision": r.decision.number if r.decision else ""} for r in rows]


def methodology_versions(methodology: Any) -> list[dict[str, Any]]:
    """Every version of a methodology with the version it revises and those revising it (ids for links)."""
    rows = list(methodology.versions.order_by("id"))
    by_pk = {v.pk: v for v in rows}
    return [{"id": v.pk, "version": v.version, "state": v.state,
             "revises": {"id": v.revises_id, "version": by_pk[v.revises_id].version}
             if v.revises_id in by_pk else None,
             "revised_by": [{"id": x.pk, "version": x.version} for x in rows if x.revises_id == v.pk]}
            for v in rows]


def rights_refusal(user: Any, kind: str, obj: Any, *, action: object = None, role: object = None) -> Any:
    """Why ``user`` may not act on ``obj`` at all, checked before the request's content is looked at
    (a CycleError with code ``relation`` or ``role_not_allowed``), or None.

    The user must hold a role that stands in relation to the object (in its pair; a participant of the
    project or the proponent; the TPE assigned to the project) — the one asked for when ``role`` names one
    — and, when ``action`` is an action of the object's machine, one of the roles that may take it. The
    services check the rest (state, guards, the exact relation per action)."""
    from django.utils.translation import gettext as _

    from jcm.cycle.errors import CycleError

    if kind == "methodology":
        project, methodology = None, obj.methodology
    else:
        project, methodology = (obj if kind == "project" else obj.project), None
    pair = pair_of(kind, obj)
    held = {Role(m.role) for m in Membership.objects.filter(user=user).select_related("organisation")
            if queries.acts_on(m, pair.pk, project, methodology)}
    if isinstance(role, str) and role:
        held = {r for r in held if r.value == role}
    if not held:
        return CycleError("role", _("you hold no role for %(obj)s in the pair JP-%(cc)s")
                          % {"obj": obj, "cc": pair.partner.code}, "relation")
    machine = MACHINE_OF_KIND[kind]
    if isinstance(action, str) and action in machine.actions:
        allowed = {r for t in machine.transitions_for(action) for r in t.roles}
        if not held & allowed:
            return CycleError("role", _("none of your roles may take the action %(a)s here")
                              % {"a": action}, "role_not_allowed")
    return None


def pair_refusal(user: Any, partner_code: object) -> Any:
    """A CycleError (``relation``) when ``user`` holds no role in the pair of ``partner_code``, else None."""
    from django.utils.translation import gettext as _

    from jcm.cycle.errors import CycleError

    code = partner_code.upper() if isinstance(partner_code, str) else ""
    rows = Membership.objects.filter(user=user)
    if not rows.filter(pair__partner__code=code).exists() and not rows.filter(pair__isnull=True).exists():
        return CycleError("partner", _("you hold no role in the pair JP-%(cc)s") % {"cc": code or "?"}, "relation")
    return None
