"""Project services: create, participants and MoC, allocation, sites/equipment, attestation, double
registration, and every action of the project machine (PIN → ... → registered; withdrawals; renewal)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.models import Organisation
from jcm.audit.services import record_event
from jcm.cycle.core.ids import IdKind, next_id
from jcm.cycle.core.states import MethodologyState, ProjectState
from jcm.cycle.core.transitions import PRE_REGISTRATION, PROJECT
from jcm.cycle.errors import CycleError
from jcm.cycle.models import (
    CreditingPeriod,
    DoubleRegistrationHit,
    Equipment,
    JcDecision,
    MethodologyVersion,
    Moc,
    Project,
    ProjectParticipant,
    Site,
)
from jcm.cycle.services.common import DecisionInput, acting_as, forms_of, lock, rule_set_of, take_step, translations_of
from jcm.cycle.services.facts import project_facts
from jcm.cycle.services.methodology import _pair
from jcm.cycle.services.relations import PARTICIPANT_ROLES, check_relation
from jcm.reference.models import Methodology as CatalogueMethodology
from jcm.reference.models import SectoralScope

SIDES = ("japan", "partner")
TPE_FUNCTION_OF = {"publish_pdd": "validation", "close_pdd_public_input": "validation",
                   "validate_positive": "validation", "validate_negative": "validation"}
HIT_CHECKED = frozenset({"request_registration", "register"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantInput:
    organisation: Organisation | int
    side: str
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteInput:
    latitude: Decimal
    longitude: Decimal
    label: str = ""


def _org(value: Organisation | int, field: str) -> Organisation:
    if isinstance(value, Organisation):
        return value
    org = Organisation.objects.filter(pk=value).first()
    if org is None:
        raise CycleError(field, _("no organisation %(id)s") % {"id": value}, "not_found")
    return org


def _participant_acting(actor: Any, p: Project) -> Any:
    acting = acting_as(actor, p.pair, PARTICIPANT_ROLES)
    if acting.role not in PARTICIPANT_ROLES:
        raise CycleError("role", _("only the project participants may do this"), "role_not_allowed")
    check_relation(acting, p)
    return acting


def _before_registration(p: Project) -> None:
    if ProjectState(p.state) not in PRE_REGISTRATION:
        raise CycleError("state", _("%(p)s is %(s)s: after registration this changes through a change request")
                         % {"p": p, "s": p.state}, "wrong_state")


def _set_sites(p: Project, sites: Sequence[SiteInput], equipment: Iterable[str]) -> None:
    p.sites.all().delete()
    for s in sites:
        lat, lon = Decimal(str(s.latitude)), Decimal(str(s.longitude))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CycleError("sites", _("coordinates out of range: %(lat)s, %(lon)s") % {"lat": lat, "lon": lon})
        Site.objects.create(project=p, latitude=lat, longitude=lon, label=s.label)
    p.equipment.all().delete()
    for ident in sorted({e.strip() for e in equipment if e.strip()}):
        Equipment.objects.create(project=p, identifier=ident)


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if (start is None) != (end is None) or (start and end and end <= start):
        raise CycleError("crediting_period", _("give a start and a later end (the end is exclusive)"))


def create_project(
    *, actor: Any, partner_code: str, title: str, scopes: Iterable[int], participants: Sequence[ParticipantInput],
    focal_point: Organisation | int | None = None, methodology_version: MethodologyVersion | int | None = None,
    catalogue_methodology: CatalogueMethodology | int | None = None, mrv_methodology_id: str = "",
    operation_started_on: datetime.date | None = None, crediting_start: datetime.date | None = None,
    crediting_end: datetime.date | None = None, sites: Sequence[SiteInput] = (), equipment: Iterable[str] = (),
    now: datetime.datetime,
) -> Project:
    """A participant starts a project in draft. Its own organisation is a participant; the focal point
    defaults to it. Raises CycleError: role, title, scopes, participants, methodology, crediting_period, sites."""
    if not title.strip():
        raise CycleError("title", _("must not be empty"))
    _check_period(crediting_start, crediting_end)
    with transaction.atomic():
        pair = _pair(partner_code, for_update=True)
        acting = acting_as(actor, pair, PARTICIPANT_ROLES)
        if acting.role not in PARTICIPANT_ROLES or acting.organisation is None:
            raise CycleError("role", _("only project participants start a project"), "role_not_allowed")
        numbers = sorted(set(scopes))
        scope_rows = list(SectoralScope.objects.filter(number__in=numbers))
        if not numbers or len(scope_rows) != len(numbers):
            raise CycleError("scopes", _("give known sectoral scope numbers, got %(s)s") % {"s": numbers})
        mv = cm = None
        if methodology_version is not None:
            mv = MethodologyVersion.objects.select_related("methodology").filter(
                pk=methodology_version if isinstance(methodology_version, int) else methodology_version.pk).first()
            if mv is None or mv.state != MethodologyState.APPROVED.value or mv.methodology.pair_id != pair.pk:
                raise CycleError("methodology", _("choose an approved methodology of the pair"))
            mrv_methodology_id = mrv_methodology_id or mv.mrv_methodology_id
        if catalogue_methodology is not None:
            cm = CatalogueMethodology.objects.filter(
                pk=catalogue_methodology if isinstance(catalogue_methodology, int) else catalogue_methodology.pk,
                pair=pair).first()
            if cm is None:
                raise CycleError("methodology", _("no such methodology in the pair's catalogue"), "not_found")
            mrv_methodology_id = mrv_methodology_id or cm.jcm_id
        fp = _org(focal_point, "focal_point") if focal_point is not None else acting.organisation
        count = Project.objects.filter(pair=pair).count() + 1
        p = Project.objects.create(
            pair=pair, key=f"{pair.partner.code}-D{count:04d}", title=title.strip(), focal_point=fp,
            methodology_version=mv, catalogue_methodology=cm, mrv_methodology_id=mrv_methodology_id,
            operation_started_on=operation_started_on, crediting_start=crediting_start, crediting_end=crediting_end,
            created_at=now, updated_at=now,
        )
        p.sectoral_scopes.set(scope_rows)
        given = {(_org(x.organisation, "participants").pk): x for x in participants}
        own = ParticipantInput(organisation=acting.organisation, side="japan"
                               if acting.organisation.country_code == "JP" else "partner")
        given.setdefault(acting.organisation.pk, own)
        for org_id, x in given.items():
            if x.side not in SIDES:
                raise CycleError("participants", _("a side is japan or partner, got %(s)r") % {"s": x.side})
            ProjectParticipant.objects.create(project=p, organisation_id=org_id, side=x.side, contact_email=x.email)
        if fp.pk not in given:
            raise CycleError("focal_point", _("the focal point must be one of the participants"))
        _set_sites(p, sites, equipment)
        record_event(action="cycle.project.create", target=p, at=now, actor=actor,
                     after={"title": p.title, "pair": pair.partner.code, "scopes": numbers,
                            "participants": sorted(given), "focal_point": fp.name})
    return p


def update_project(
    *, actor: Any, project: Project | int, now: datetime.datetime, title: str | None = None,
    operation_started_on: datetime.date | None = None, crediting_start: datetime.date | None = None,
    crediting_end: datetime.date | None = None, sites: Sequence[SiteInput] | None = None,
    equipment: Iterable[str] | None = None,
) -> Project:
    """Participants edit a project before registration (details, crediting period, sites, equipment)."""
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        _participant_acting(actor, p)
        _before_registration(p)
        if title is not None:
            if not title.strip():
                raise CycleError("title", _("must not be empty"))
            p.title = title.strip()
        if operation_started_on is not None:
            p.operation_started_on = operation_started_on
        if crediting_start is not None or crediting_end is not None:
            _check_period(crediting_start, crediting_end)
            p.crediting_start, p.crediting_end = crediting_start, crediting_end
        if sites is not None or equipment is not None:
            _set_sites(p, sites if sites is not None else [
                SiteInput(latitude=s.latitude, longitude=s.longitude, label=s.label) for s in p.sites.all()],
                equipment if equipment is not None else list(p.equipment.values_list("identifier", flat=True)))
        p.updated_at = now
        p.save()
        record_event(action="cycle.project.update", target=p, at=now, actor=actor,
                     after={"title": p.title, "operation_started_on": p.operation_started_on,
                            "crediting": [p.crediting_start, p.crediting_end],
                            "sites": p.sites.count(), "equipment": p.equipment.count()})
    return p


def attest_no_other_mechanism(*, actor: Any, project: Project | int, now: datetime.datetime) -> Project:
    """The participants attest that the project is registered in no other mechanism."""
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        _participant_acting(actor, p)
        p.attested_no_other_mechanism, p.attested_at, p.attested_by, p.updated_at = True, now, actor, now
        p.save(update_fields=["attested_no_other_mechanism", "attested_at", "attested_by", "updated_at"])
        record_event(action="cycle.project.attest", target=p, at=now, actor=actor,
                     after={"registered_in_no_other_mechanism": True})
    return p


def explain_double_registration(*, actor: Any, project: Project | int, other: str, kind: str, finding: str,
                                explanation: str, now: datetime.datetime) -> DoubleRegistrationHit:
    """The participants explain one hit of the double-registration check (as listed by the queries)."""
    if not explanation.strip():
        raise CycleError("explanation", _("must not be empty"))
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        _participant_acting(actor, p)
        hit, _created = DoubleRegistrationHit.objects.update_or_create(
            project=p, other=other, kind=kind, finding=finding,
            defaults={"explanation": explanation.strip(), "explained_at": now, "explained_by": actor,
                      "found_at": now},
        )
        record_event(action="cycle.project.explain_hit", target=p, at=now, actor=actor,
                     after={"other": other, "kind": kind, "finding": finding, "explanation": hit.explanation})
    return hit


def act_on_project(
    *, actor: Any, project: Project | int, action: str, now: datetime.datetime, reason: str = "",
    decision: DecisionInput | None = None, role: str | None = None, extra: dict[str, Any] | None = None,
) -> Project:
    """Take ``action`` (an action of the project machine) on a project.

    ``submit_pin`` gives the ``<CC>_PIN<nnn>``; ``register`` gives the project ID ``<CC><nnn>``, the
    registration date (the decision's) and the first crediting period. Raises CycleError naming the
    field (role, project, tpe, state, documents, decision, reason, window, attestation, allocation,
    crediting_period, double_registration) and writes nothing.
    """
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        pair = p.pair
        acting = acting_as(actor, pair, PROJECT.roles_for(action) if action in PROJECT.actions else (), role=role)
        function = TPE_FUNCTION_OF.get(action)
        if action in PROJECT.actions and acting.role in PROJECT.roles_for(action):
            check_relation(acting, p, tpe_function=function)
        rule_set = rule_set_of(pair, now)
        subject = {"project": p}
        context = project_facts(p, rule_set, tpe_function=function, with_hits=action in HIT_CHECKED)
        context |= {"forms_submitted": forms_of(subject), "translations_submitted": translations_of(subject)}
        context |= extra or {}
        details: dict[str, Any] = {}
        if action == "submit_pin" and not p.pin_id:
            existing = Project.objects.filter(pair=pair).exclude(pin_id="").values_list("pin_id", flat=True)
            details["pin_id"] = next_id(IdKind.PIN, pair.partner.code, existing)
        if action == "register":
            existing = Project.objects.filter(pair=pair).exclude(project_id="").values_list("project_id", flat=True)
            details["project_id"] = p.project_id or next_id(IdKind.PROJECT, pair.partner.code, existing)
        if action in HIT_CHECKED and context.get("double_registration_hits"):
            details["double_registration_hits"] = [h.explanation for h in context["double_registration_hits"]]
        take_step(obj=p, subject=subject, pair=pair, action=action, acting=acting, now=now, context=context,
                  decision=decision, reason=reason, details=details)
        if "pin_id" in details:
            p.pin_id = details["pin_id"]
            p.save(update_fields=["pin_id"])
        if action == "register":
            assert decision is not None
            p.project_id = details["project_id"]
            p.registered_on = decision.decided_on
            p.registration_decision = JcDecision.objects.get(pair=pair, number=decision.number.strip())
            p.save(update_fields=["project_id", "registered_on", "registration_decision"])
            if p.crediting_start and p.crediting_end:
                CreditingPeriod.objects.update_or_create(project=p, number=0, defaults={
                    "start": p.crediting_start, "end": p.crediting_end, "decision": p.registration_decision})
    return p


def file_moc(*, actor: Any, project: Project | int, focal_point: Organisation | int,
             parties: Sequence[ParticipantInput], signatories: Sequence[dict[str, str]], now: datetime.datetime,
             change_request: Any = None) -> Moc:
    """File a Modalities of Communication statement. Before registration it is in force at once (and sets
    the participants and focal point); after registration it waits for its MoC change request."""
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        _participant_acting(actor, p)
        fp = _org(focal_point, "focal_point")
        orgs = [(_org(x.organisation, "parties"), x) for x in parties]
        if fp.pk not in {o.pk for o, _x in orgs}:
            raise CycleError("focal_point", _("the focal point must be one of the parties"))
        if any(x.side not in SIDES for _o, x in orgs):
            raise CycleError("parties", _("a side is japan or partner"))
        if not signatories or any(not (s.get("name") or "").strip() for s in signatories):
            raise CycleError("signatories", _("name at least one authorised signatory"))
        registered = ProjectState(p.state) not in PRE_REGISTRATION
        if registered and change_request is None:
            raise CycleError("change_request", _("after registration an MoC is filed with an MoC change request"))
        number = (p.mocs.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        moc = Moc.objects.create(
            project=p, number=number, focal_point=fp, filed_at=now, change_request=change_request,
            parties=[{"organisation": o.name, "organisation_id": o.pk, "side": x.side, "email": x.email}
                     for o, x in orgs],
            signatories=[dict(s) for s in signatories],
        )
        if not registered:
            put_moc_in_force(moc, now)
        record_event(action="cycle.project.file_moc", target=p, at=now, actor=actor,
                     after={"moc": number, "focal_point": fp.name, "parties": [o.name for o, _x in orgs],
                            "in_force": moc.in_force})
    return moc


def put_moc_in_force(moc: Moc, now: datetime.datetime) -> None:
    """Make ``moc`` the MoC in force: its parties become the active participants, its focal point the project's."""
    p = moc.project
    Moc.objects.filter(project=p, in_force=True).exclude(pk=moc.pk).update(in_force=False)
    moc.in_force, moc.effective_at = True, now
    moc.save(update_fields=["in_force", "effective_at"])
    ids = {party["organisation_id"] for party in moc.parties}
    p.participants.exclude(organisation_id__in=ids).update(active=False)
    for party in moc.parties:
        ProjectParticipant.objects.update_or_create(
            project=p, organisation_id=party["organisation_id"],
            defaults={"side": party["side"], "contact_email": party.get("email", ""), "active": True})
    p.focal_point_id = moc.focal_point_id
    p.save(update_fields=["focal_point"])


