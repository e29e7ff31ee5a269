"""Post-registration changes, MoC changes and renewals of the crediting period (change-request machine)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.audit.services import record_event
from jcm.cycle.core.periods import Period
from jcm.cycle.core.states import ChangeKind
from jcm.cycle.core.transitions import CHANGE_REQUEST
from jcm.cycle.errors import CycleError
from jcm.cycle.models import ChangeRequest, CreditingPeriod, JcDecision, Project
from jcm.cycle.services.common import DecisionInput, acting_as, forms_of, lock, rule_set_of, take_step, translations_of
from jcm.cycle.services.facts import project_facts
from jcm.cycle.services.relations import PARTICIPANT_ROLES, check_relation


def create_change_request(*, actor: Any, project: Project | int, kind: str, now: datetime.datetime,
                          description: str = "", new_crediting_start: datetime.date | None = None,
                          new_crediting_end: datetime.date | None = None) -> ChangeRequest:
    """A participant drafts a change request (``post_registration_change``, ``moc_change`` or ``renewal``).

    For an MoC change, file the new MoC with ``file_moc(change_request=...)``; for a renewal give the new
    period. Raises CycleError: role / project (relation), kind, crediting_period."""
    if kind not in {k.value for k in ChangeKind}:
        raise CycleError("kind", _("unknown change kind %(k)r") % {"k": kind})
    if kind == ChangeKind.RENEWAL.value and (new_crediting_start is None or new_crediting_end is None
                                             or new_crediting_end <= new_crediting_start):
        raise CycleError("crediting_period", _("give the renewed crediting period (the end is exclusive)"))
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        acting = acting_as(actor, p.pair, PARTICIPANT_ROLES)
        if acting.role not in PARTICIPANT_ROLES:
            raise CycleError("role", _("only the project participants request changes"), "role_not_allowed")
        check_relation(acting, p)
        number = (p.change_requests.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        cr = ChangeRequest.objects.create(project=p, number=number, kind=kind, description=description,
                                          new_crediting_start=new_crediting_start, new_crediting_end=new_crediting_end,
                                          created_at=now, updated_at=now, created_by=actor)
        record_event(action="cycle.change_request.create", target=cr, at=now, actor=actor,
                     after={"kind": kind, "number": number, "renewal": [new_crediting_start, new_crediting_end]})
    return cr


def act_on_change_request(*, actor: Any, change_request: ChangeRequest | int, action: str, now: datetime.datetime,
                          reason: str = "", decision: DecisionInput | None = None,
                          role: str | None = None) -> ChangeRequest:
    """Take ``action`` (an action of the change-request machine). Approval applies the change: the MoC
    filed with the request comes into force; a renewal gives the project its new crediting period
    (and takes the project's ``renew_crediting_period`` step under the same decision).
    Raises CycleError naming the field; nothing is written then."""
    with transaction.atomic():
        cr: ChangeRequest = lock(ChangeRequest, change_request if isinstance(change_request, int)
                                 else change_request.pk)
        p: Project = lock(Project, cr.project_id)
        acting = acting_as(actor, p.pair, CHANGE_REQUEST.roles_for(action)
                           if action in CHANGE_REQUEST.actions else (), role=role)
        if action in CHANGE_REQUEST.actions and acting.role in CHANGE_REQUEST.roles_for(action):
            check_relation(acting, p)
        rule_set = rule_set_of(p.pair, now)
        subject = {"change_request": cr}
        ctx = project_facts(p, rule_set)
        new = None
        if cr.new_crediting_start and cr.new_crediting_end:
            new = Period(cr.new_crediting_start, cr.new_crediting_end)
        ctx |= {"forms_submitted": forms_of(subject) | forms_of({"project": p}) if cr.kind == "moc_change"
                else forms_of(subject), "translations_submitted": translations_of(subject),
                "change_kind": ChangeKind(cr.kind), "new_crediting_period": new}
        if cr.kind == ChangeKind.MOC_CHANGE.value and action in ("submit", "resubmit") and not cr.mocs.exists():
            raise CycleError("moc", _("file the new MoC (or its Annex 1) with this request first"))
        take_step(obj=cr, subject=subject, pair=p.pair, action=action, acting=acting, now=now, context=ctx,
                  decision=decision, reason=reason, details={"kind": cr.kind})
        if decision is not None and action in ("approve", "reject"):
            cr.decision = JcDecision.objects.get(pair=p.pair, number=decision.number.strip())
            cr.save(update_fields=["decision"])
        if action in ("approve", "accept"):
            _apply(cr, p, acting, now, decision)
    return cr


def _apply(cr: ChangeRequest, p: Project, acting: Any, now: datetime.datetime,
           decision: DecisionInput | None) -> None:
    from jcm.cycle.services.project import put_moc_in_force

    if cr.kind == ChangeKind.MOC_CHANGE.value:
        moc = cr.mocs.order_by("-number").first()
        if moc is not None:
            put_moc_in_force(moc, now)
    elif cr.kind == ChangeKind.RENEWAL.value:
        assert cr.new_crediting_start and cr.new_crediting_end
        rule_set = rule_set_of(p.pair, now)
        ctx = project_facts(p, rule_set) | {"new_crediting_period": Period(cr.new_crediting_start,
                                                                            cr.new_crediting_end)}
        take_step(obj=p, subject={"project": p}, pair=p.pair, action="renew_crediting_period", acting=acting,
                  now=now, context=ctx, decision=decision, details={"change_request": cr.number})
        number = (p.crediting_periods.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        CreditingPeriod.objects.create(project=p, number=number, start=cr.new_crediting_start,
                                       end=cr.new_crediting_end, decision=cr.decision)
        p.crediting_end = cr.new_crediting_end
        p.renewals_used += 1
        p.save(update_fields=["crediting_end", "renewals_used"])


