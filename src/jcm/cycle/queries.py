"""Reads of the project cycle as plain dataclasses/dicts (templates, API and CLI share them)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from jcm.accounts.core.roles import PLATFORM_WIDE, Role
from jcm.accounts.models import Membership
from jcm.cycle.core.machine import CycleContext, DecisionMode, JcDecision, Refused
from jcm.cycle.core.states import ChangeRequestState, IssuanceState, MethodologyState, ProjectState
from jcm.cycle.core.tpe import DesignationStatus, TpeDesignation, TpeFunction
from jcm.cycle.core.transitions import apply, offered_actions
from jcm.cycle.messages import render
from jcm.cycle.models import (
    DocumentVersion,
    JcNotification,
    Methodology,
    MethodologyVersion,
    MonitoringReport,
    Project,
    PublicComment,
    RecordedDesignation,
    TransitionRecord,
    Window,
)
from jcm.cycle.models import (
    JcDecision as JcDecisionRow,
)
from jcm.cycle.services.common import current_window, forms_of, rule_set_of, translations_of
from jcm.cycle.services.facts import double_registration, project_facts
from jcm.cycle.services.relations import PROPONENT_ACTIONS, assigned_tpe, is_proponent

PARTICIPANTS = (Role.PROJECT_PARTICIPANT.value, Role.FOCAL_POINT.value)
PROPONENT_ROLES = frozenset({Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT, Role.JC_MEMBER})


@dataclass(frozen=True)
class ActionOffer:
    action: str
    allowed: bool  # the guards would let it through now (with reasons/decision to be given)
    reason: str = ""  # why not, when not allowed


@dataclass(frozen=True)
class AwaitingItem:
    kind: str  # methodology | project | monitoring_report | change_request
    id: int
    label: str
    title: str
    partner_code: str
    state: str
    role: str
    actions: list[ActionOffer]
    due: datetime.datetime | None = None
    overdue: bool = False


def _dry_run(obj: Any, kind: str, state: Any, role: Role, now: datetime.datetime,
             organisation_id: int | None = None) -> list[ActionOffer]:
    """Offer each action the role may take from this state, marking which the guards would allow.

    On a methodology, the proponent's actions (submit, resubmit, withdraw) are offered only to the
    proponent organisation (``organisation_id``), whatever the role."""
    project = obj if kind == "project" else getattr(obj, "project", None)
    pair = project.pair if project is not None else obj.methodology.pair
    rule_set = rule_set_of(pair, now)
    subject = {{"methodology": "methodology_version"}.get(kind, kind): obj}
    window = current_window(subject)
    facts: dict[str, Any] = {}
    if project is not None:
        function = "verification" if kind == "monitoring_report" else "validation"
        facts = project_facts(project, rule_set, tpe_function=function, with_hits=True)
    if kind == "monitoring_report":
        from jcm.cycle.core.periods import Period

        last = obj.verifications.filter(outcome="verified").order_by("-at").first()
        req = obj.issuance_requests.filter(status="open").first()
        facts |= {"monitoring_period": Period(obj.period_start, obj.period_end), "claimed": obj.claimed,
                  "verified": last.verified if last else obj.claimed, "requested": req.requested if req else
                  (last.verified if last else None)}
        if req is not None:
            from jcm.cycle.services.allocation import split_by_side

            sides = split_by_side(req.allocation, req.requested)
            facts |= {"notified_japan": sides["japan"], "notified_partner": sides["partner"]}
    if kind == "change_request":
        from jcm.cycle.core.periods import Period
        from jcm.cycle.core.states import ChangeKind

        facts |= {"change_kind": ChangeKind(obj.kind), "new_crediting_period": Period(
            obj.new_crediting_start, obj.new_crediting_end) if obj.new_crediting_start else None}
    ctx = CycleContext(
        rule_set=rule_set, partner_code=pair.partner.code, now=now, reason="(to be given)",
        decision=JcDecision(number="(to be given)", decided_on=now.astimezone(rule_set.calendar.zone).date(),
                            mode=DecisionMode.ELECTRONIC),
        forms_submitted=forms_of(subject), translations_submitted=translations_of(subject),
        window_closes_at=window.closes_at if window else None,
        consideration_extended=bool(window and window.extended),
    )
    ctx = dataclasses.replace(ctx, **facts)
    offers = []
    for action in offered_actions(state, role, rule_set):
        if kind == "methodology" and action in PROPONENT_ACTIONS and role in PROPONENT_ROLES and not is_proponent(
                organisation_id, obj.methodology):
            continue
        result = apply(state, action, role, ctx)
        offers.append(ActionOffer(action, not isinstance(result, Refused),
                                  render(result.reason) if isinstance(result, Refused) else ""))
    return offers


def _item(kind: str, obj: Any, state: Any, role: Role, now: datetime.datetime, label: str, title: str,
          partner: str, organisation_id: int | None = None) -> AwaitingItem | None:
    offers = _dry_run(obj, kind, state, role, now, organisation_id)
    if not offers:
        return None
    subject = {{"methodology": "methodology_version"}.get(kind, kind): obj}
    w = current_window(subject)
    due = w.closes_at if w else None
    return AwaitingItem(kind, obj.pk, label, title, partner, state.value, role.value, offers, due,
                        bool(due and now >= due))


def awaiting(user: Any, *, now: datetime.datetime) -> list[AwaitingItem]:
    """What awaits ``user``: for each role they hold in each pair, the objects on which that role has
    something to do, with the actions offered and whether the guards would allow them now."""
    items: list[AwaitingItem] = []
    if user is None or not getattr(user, "is_authenticated", False):
        return items
    for m in Membership.objects.filter(user=user).select_related("organisation", "pair__partner"):
        role = Role(m.role)
        projects = Project.objects.select_related("pair__partner")
        if m.pair_id:
            projects = projects.filter(pair_id=m.pair_id)
        if m.role in PARTICIPANTS:
            projects = projects.filter(participants__organisation=m.organisation, participants__active=True)
        elif role is Role.TPE:
            projects = projects.filter(tpe_assignments__tpe__tpe_id=m.organisation.tpe_id,
                                       tpe_assignments__ended_at__isnull=True).distinct()
        for p in projects.exclude(state__in=["withdrawn", "rejected"]):
            partner = p.pair.partner.code
            if item := _item("project", p, ProjectState(p.state), role, now, p.reference, p.title, partner):
                items.append(item)
            for r in p.monitoring_reports.exclude(state__in=["withdrawn", "issued", "issuance_rejected"]):
                if item := _item("monitoring_report", r, IssuanceState(r.state), role, now, str(r), p.title, partner):
                    items.append(item)
            for cr in p.change_requests.exclude(state__in=["approved", "rejected", "withdrawn"]):
                if item := _item("change_request", cr, ChangeRequestState(cr.state), role, now, str(cr), p.title,
                                 partner):
                    items.append(item)
        versions = MethodologyVersion.objects.select_related("methodology__pair__partner").exclude(
            state__in=["withdrawn", "not_approved", "superseded"])
        if m.pair_id:
            versions = versions.filter(methodology__pair_id=m.pair_id)
        if m.role in PARTICIPANTS:
            versions = versions.filter(methodology__proponent=m.organisation)
        for v in versions:
            item = _item("methodology", v, MethodologyState(v.state), role, now, str(v), v.methodology.title,
                         v.methodology.pair.partner.code, m.organisation_id)
            if item and not (v.state == "approved" and {o.action for o in item.actions} <= {"request_revision",
                                                                                              "supersede"}):
                items.append(item)
    return items


SUBJECT_FIELD = {"methodology": "methodology_version", "project": "project", "monitoring_report": "monitoring_report",
                 "change_request": "change_request"}
STATE_OF_KIND: dict[str, Any] = {"methodology": MethodologyState, "project": ProjectState,
                                 "monitoring_report": IssuanceState, "change_request": ChangeRequestState}


def _acts_on(m: Membership, pair_id: int, project: Project | None, methodology: Methodology | None) -> bool:
    """Whether membership ``m`` may have something to do on an object of ``pair_id`` (the relations
    ``awaiting`` filters by: a participant of this project / the proponent, the TPE assigned to it)."""
    role = Role(m.role)
    if m.pair_id is not None and m.pair_id != pair_id:
        return False
    if m.pair_id is None and role not in PLATFORM_WIDE:
        return False
    if m.role in PARTICIPANTS:
        if project is not None:
            return project.participants.filter(organisation_id=m.organisation_id, active=True).exists()
        return methodology is not None and methodology.proponent_id == m.organisation_id
    if role is Role.TPE:
        return bool(project is not None and m.organisation.tpe_id and project.tpe_assignments.filter(
            tpe__tpe_id=m.organisation.tpe_id, ended_at__isnull=True).exists())
    return True


acts_on = _acts_on


def offers(user: Any, kind: str, obj: Any, *, now: datetime.datetime) -> list[AwaitingItem]:
    """What ``user`` may do on this one object (``kind``: methodology version, project, monitoring report
    or change request): one item per role they hold that has actions here, each action with ``allowed``
    and the guard's reason. The same items ``awaiting`` lists for the object, computed for it alone."""
    if user is None or not getattr(user, "is_authenticated", False) or kind not in SUBJECT_FIELD:
        return []
    if kind == "methodology":
        project, methodology = None, obj.methodology
        pair, label, title = methodology.pair, str(obj), methodology.title
    else:
        project = obj if kind == "project" else obj.project
        methodology = None
        pair, title = project.pair, project.title
        label = project.reference if kind == "project" else str(obj)
    state = STATE_OF_KIND[kind](obj.state)
    items = []
    seen: set[Role] = set()
    for m in Membership.objects.filter(user=user).select_related("organisation").order_by("role", "id"):
        role = Role(m.role)
        if role in seen or not _acts_on(m, pair.pk, project, methodology):
            continue
        seen.add(role)
        if item := _item(kind, obj, state, role, now, label, title, pair.partner.code, m.organisation_id):
            items.append(item)
    return items


# --- public detail pages ----------------------------------------------------------------------------


def timeline(**subject: Any) -> list[dict[str, Any]]:
    """The steps taken on one object (``project=p``, ``monitoring_report=r``, ``methodology_version=v``,
    ``change_request=c``), oldest first: date, action, from/to state, role, who, rule set and digest,
    reason, the JC decision and the window the step opened."""
    rows = TransitionRecord.objects.filter(**subject).select_related("decision", "window").order_by("at", "id")
    return [{
        "at": t.at, "action": t.action, "from": t.from_state, "to": t.to_state, "role": t.role,
        "actor": t.organisation or t.actor_label, "rule_set": t.rule_set_id, "rule_set_digest": t.rule_set_digest,
        "reason": t.reason,
        "decision": {"number": t.decision.number, "decided_on": t.decision.decided_on, "mode": t.decision.mode}
        if t.decision else None,
        "window": {"key": t.window.key, "opens_at": t.window.opens_at, "closes_at": t.window.closes_at}
        if t.window else None,
    } for t in rows]


def documents(user: Any, **subject: Any) -> list[dict[str, Any]]:
    """Every version of every document of the subject (``project=p``, ``monitoring_report_id=3``...).

    Files are named by the version id (and translation id) only: they are served through the views that
    check who may see them (``cycle:public-file``, ``cycle:confidential-file``, ``cycle:translation-file``),
    never as a media URL or storage path. ``may_see_confidential`` says whether ``user`` may fetch the
    confidential version.
    """
    out = []
    versions = (DocumentVersion.objects.filter(**{f"document__{k}": v for k, v in subject.items()})
                .select_related("document").prefetch_related("translations").order_by("document_id", "number"))
    for v in versions:
        out.append({
            "version_id": v.pk, "form": v.document.form_code, "title": v.document.title, "version": v.number,
            "language": v.language, "note": v.note, "submitted_at": v.submitted_at, "public_sha256": v.public_sha256,
            "has_confidential": v.has_confidential,
            "may_see_confidential": v.has_confidential and can_see_confidential(user, v),
            "translations": [{"id": t.pk, "language": t.language} for t in v.translations.all()],
        })
    return out


def _comments(**subject: Any) -> list[dict[str, Any]]:
    rows = PublicComment.objects.filter(published=True, **{f"window__{k}": v for k, v in subject.items()})
    return [{"author": c.author_name, "organisation": c.organisation, "text": c.text, "at": c.submitted_at,
             "window": c.window.key} for c in rows.select_related("window").order_by("submitted_at", "id")]


def _windows(**subject: Any) -> list[dict[str, Any]]:
    return [{"id": w.pk, "key": w.key, "opens_at": w.opens_at, "closes_at": w.closes_at, "closed_at": w.closed_at,
             "public_input": w.is_public_input, "overdue_flagged_at": w.overdue_flagged_at}
            for w in Window.objects.filter(**subject).order_by("opens_at", "id")]


def project_detail(project: Project | int | str, *, user: Any = None,
                   now: datetime.datetime | None = None) -> dict[str, Any]:
    """A project's public page: identity, timeline with dates and decisions, public documents (confidential
    links only for those allowed), public comments, monitoring periods with RE/PE/ER, credits per side."""
    p = _project(project)
    reports = []
    for r in p.monitoring_reports.order_by("number"):
        last = r.verifications.filter(outcome="verified").order_by("-at").first()
        issued = {n.side: n.quantity for n in JcNotification.objects.filter(request__report=r, status="issued")}
        reports.append({
            "id": r.pk, "number": r.number, "period_start": r.period_start, "period_end": r.period_end,
            "state": r.state, "RE": r.reference_emissions, "PE": r.project_emissions, "ER": r.emission_reductions,
            "claimed": r.claimed, "verified": last.verified if last else None,
            "findings": last.findings if last else [],
            "calculation": str(r.calculation.public_id) if r.calculation_id else "",
            "calculation_public": bool(r.calculation_id and r.calculation.public),
            "issued": issued, "timeline": timeline(monitoring_report=r),
            "documents": documents(user, monitoring_report=r),
        })
    credits = {"japan": 0, "partner": 0}
    for n in JcNotification.objects.filter(request__report__project=p, status="issued"):
        credits[n.side] += n.quantity
    validation = assigned_tpe(p, "validation")
    verification = assigned_tpe(p, "verification")
    hits, explained = double_registration(p, rule_set_of(p.pair, now or p.updated_at))  # no clock read here
    return {
        "id": p.pk, "reference": p.reference, "pin_id": p.pin_id, "project_id": p.project_id, "title": p.title,
        "partner_code": p.pair.partner.code, "state": p.state, "registered_on": p.registered_on,
        "scopes": list(p.sectoral_scopes.values_list("number", flat=True)),
        "methodology": str(p.methodology_version or p.catalogue_methodology or ""),
        "mrv_methodology_id": p.mrv_methodology_id, "focal_point": p.focal_point.name,
        "participants": [{"organisation": x.organisation.name, "side": x.side}
                         for x in p.participants.filter(active=True).select_related("organisation")],
        "crediting_periods": [{"number": c.number, "start": c.start, "end": c.end}
                              for c in p.crediting_periods.order_by("number")],
        "crediting_start": p.crediting_start, "crediting_end": p.crediting_end,
        "operation_started_on": p.operation_started_on,
        "tpe": {"validation": validation.tpe.tpe_id if validation else "",
                "verification": verification.tpe.tpe_id if verification else ""},
        "attested_no_other_mechanism": p.attested_no_other_mechanism,
        "double_registration": {"hits": [{"other": h.other, "kind": h.kind, "finding": h.explanation}
                                         for h in hits], "all_explained": explained},
        "sites": [{"label": s.label, "latitude": s.latitude, "longitude": s.longitude} for s in p.sites.all()],
        "timeline": timeline(project=p), "documents": documents(user, project=p), "windows": _windows(project=p),
        "comments": _comments(project=p), "monitoring": reports, "credits_issued": credits,
        "change_requests": [{"id": c.pk, "number": c.number, "kind": c.kind, "state": c.state,
                             "timeline": timeline(change_request=c)} for c in p.change_requests.order_by("number")],
    }


def _project(project: Project | int | str) -> Project:
    if isinstance(project, Project):
        return project
    qs = Project.objects.select_related("pair__partner", "focal_point")
    if isinstance(project, int):
        return qs.get(pk=project)
    return qs.filter(project_id=project).first() or qs.filter(pin_id=project).first() or qs.get(key=project)


def methodology_detail(methodology: Methodology | int | str, *, user: Any = None) -> dict[str, Any]:
    """A methodology's page: ids, every version with its timeline, documents, windows and comments."""
    m = methodology if isinstance(methodology, Methodology) else (
        Methodology.objects.get(pk=methodology) if isinstance(methodology, int)
        else Methodology.objects.filter(am_id=methodology).first() or Methodology.objects.get(pm_id=methodology))
    return {
        "id": m.pk, "pm_id": m.pm_id, "am_id": m.am_id, "title": m.title, "partner_code": m.pair.partner.code,
        "proponent": m.proponent.name, "scopes": list(m.sectoral_scopes.values_list("number", flat=True)),
        "versions": [{
            "id": v.pk, "version": v.version, "state": v.state, "approved_on": v.approved_on,
            "approved_with_revisions": v.approved_with_revisions, "mrv_methodology_id": v.mrv_methodology_id,
            "revises": v.revises.version if v.revises_id else "",
            "revised_by": [x.version for x in m.versions.filter(revises=v).order_by("id")],
            "timeline": timeline(methodology_version=v), "documents": documents(user, methodology_version=v),
            "windows": _windows(methodology_version=v), "comments": _comments(methodology_version=v),
        } for v in m.versions.order_by("id")],
    }


def list_projects(*, partner_code: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    qs = Project.objects.select_related("pair__partner").order_by("pair__partner__code", "key")
    if partner_code:
        qs = qs.filter(pair__partner__code=partner_code.upper())
    if state:
        qs = qs.filter(state=state)
    return [{"id": p.pk, "reference": p.reference, "project_id": p.project_id, "pin_id": p.pin_id, "title": p.title,
             "partner_code": p.pair.partner.code, "state": p.state, "registered_on": p.registered_on} for p in qs]


def list_methodologies(*, partner_code: str | None = None) -> list[dict[str, Any]]:
    qs = MethodologyVersion.objects.select_related("methodology__pair__partner").order_by("methodology__pm_id", "id")
    if partner_code:
        qs = qs.filter(methodology__pair__partner__code=partner_code.upper())
    return [{"id": v.methodology_id, "version_id": v.pk, "pm_id": v.methodology.pm_id, "am_id": v.methodology.am_id,
             "version": v.version, "title": v.methodology.title, "partner_code": v.methodology.pair.partner.code,
             "state": v.state, "approved_on": v.approved_on} for v in qs]


def list_decisions(*, partner_code: str | None = None) -> list[dict[str, Any]]:
    """JC decisions, newest first, with the objects each decided and the action taken."""
    qs = JcDecisionRow.objects.select_related("pair__partner", "meeting_report").order_by("-decided_on", "number")
    if partner_code:
        qs = qs.filter(pair__partner__code=partner_code.upper())
    out = []
    for d in qs:
        decided = [{"action": t.action, "object": str(t.subject), "to": t.to_state}
                   for t in d.transitions.order_by("at", "id")]
        out.append({"number": d.number, "decided_on": d.decided_on, "mode": d.mode, "title": d.title,
                    "partner_code": d.pair.partner.code, "decided": decided,
                    "meeting_report": d.meeting_report.meeting if d.meeting_report else ""})
    return out


def recorded_designations_by_tpe(*, on: datetime.date, partner_code: str | None = None,
                                 tpe_ids: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The TPE designations the JC secretariats recorded on this platform, public fields, by TPE ID.

    Each row: function, scopes, partner_code (the pair), designated_on, expires_on (last valid day),
    status and status_since as recorded, ``state`` on ``on`` (in_force, not_yet, expired, suspended,
    withdrawn; :meth:`jcm.cycle.core.tpe.TpeDesignation.state_on`), the JC decision number and the
    day it was recorded. ``partner_code`` keeps one pair's rows, ``tpe_ids`` those TPEs' rows."""
    rows = RecordedDesignation.objects.select_related("tpe", "pair__partner", "decision").prefetch_related("scopes")
    if partner_code:
        rows = rows.filter(pair__partner__code=partner_code.upper())
    if tpe_ids is not None:
        rows = rows.filter(tpe__tpe_id__in=tpe_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows.order_by("tpe__tpe_id", "pair__partner__code", "function", "designated_on", "recorded_at", "id"):
        scopes = sorted(s.number for s in r.scopes.all())
        value = TpeDesignation(
            tpe_id=r.tpe.tpe_id, partner_code=r.pair.partner.code, function=TpeFunction(r.function),
            scopes=frozenset(scopes), designated_on=r.designated_on, expires_on=r.expires_on,
            status=DesignationStatus(r.status), status_since=r.status_since,
        )
        out.setdefault(r.tpe.tpe_id, []).append({
            "function": r.function, "scopes": scopes, "partner_code": r.pair.partner.code,
            "designated_on": r.designated_on, "expires_on": r.expires_on, "status": r.status,
            "status_since": r.status_since, "state": value.state_on(on).value,
            "decision": r.decision.number if r.decision else "", "recorded_on": r.recorded_at.date(),
        })
    return out


def can_see_confidential(user: Any, version: DocumentVersion) -> bool:
    """Only the assigned TPE, the JC and the secretariat of the pair see a confidential file."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    doc = version.document
    subject = doc.subject
    project = subject if isinstance(subject, Project) else getattr(subject, "project", None)
    pair_id = project.pair_id if project is not None else subject.methodology.pair_id
    rows = Membership.objects.filter(user=user).select_related("organisation")
    for m in rows:
        if m.pair_id != pair_id:
            continue
        if m.role in (Role.JC_MEMBER.value, Role.JC_SECRETARIAT.value):
            return True
        if (m.role == Role.TPE.value and project is not None and m.organisation.tpe_id
                and project.tpe_assignments.filter(tpe__tpe_id=m.organisation.tpe_id,
                                                   ended_at__isnull=True).exists()):
            return True
    return False


__all__ = ["ActionOffer", "AwaitingItem", "awaiting", "can_see_confidential", "documents", "list_decisions",
           "list_methodologies", "list_projects", "methodology_detail", "offers", "project_detail", "timeline"]



def cycle_may_view_calculation(user: Any, calculation: Any) -> bool:
    """Who reads the MRV calculation of a monitoring report before it is published, besides the insiders
    ``jcm.mrv`` knows (registered with ``jcm.mrv.queries.VIEW_RULES``): the TPE assigned to the project,
    the JC members and secretariat of the project's pair, and the people of its active participants."""
    reports = MonitoringReport.objects.filter(calculation=calculation)
    if not reports.exists():
        return False
    rows = Membership.objects.filter(user=user)
    tpe_ids = set(rows.filter(role=Role.TPE.value).exclude(organisation__tpe_id="")
                  .values_list("organisation__tpe_id", flat=True))
    if tpe_ids and reports.filter(project__tpe_assignments__ended_at__isnull=True,
                                  project__tpe_assignments__tpe__tpe_id__in=tpe_ids).exists():
        return True
    jc_pairs = set(rows.filter(role__in=[Role.JC_MEMBER.value, Role.JC_SECRETARIAT.value])
                   .values_list("pair_id", flat=True))
    if jc_pairs and reports.filter(project__pair_id__in=jc_pairs).exists():
        return True
    orgs = set(rows.values_list("organisation_id", flat=True))
    return bool(orgs) and reports.filter(project__participants__organisation_id__in=orgs,
                                         project__participants__active=True).exists()
