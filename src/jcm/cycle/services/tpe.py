"""TPE designations (reference data and those recorded by the secretariat) and assignments to projects."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.core.roles import Role
from jcm.audit.services import record_event
from jcm.cycle.core.tpe import DesignationStatus, TpeDesignation, TpeFunction
from jcm.cycle.errors import CycleError
from jcm.cycle.models import Project, RecordedDesignation, TpeAssignment
from jcm.cycle.services.common import DecisionInput, acting_as, decision_row, lock
from jcm.cycle.services.relations import check_relation
from jcm.reference.models import CountryPair, SectoralScope, Tpe
from jcm.reference.models import TpeDesignation as ReferenceDesignation


def _status(value: str) -> DesignationStatus:
    try:
        return DesignationStatus(value or "designated")
    except ValueError:
        return DesignationStatus.DESIGNATED


def designations_for(pair: CountryPair) -> tuple[TpeDesignation, ...]:
    """Every designation of the pair as the core's values: reference rows and recorded ones."""
    out: list[TpeDesignation] = []
    code = pair.partner.code
    for row in ReferenceDesignation.objects.filter(tpe__pair=pair).select_related("tpe").prefetch_related("scopes"):
        out.append(TpeDesignation(
            tpe_id=row.tpe.tpe_id, partner_code=code, function=TpeFunction(row.function),
            scopes=frozenset(s.number for s in row.scopes.all()),
            designated_on=row.designated_on or row.tpe.designated_on, expires_on=row.expires_on,
            status=_status(row.tpe.status),
        ))
    for rec in RecordedDesignation.objects.filter(pair=pair).select_related("tpe").prefetch_related("scopes"):
        out.append(TpeDesignation(
            tpe_id=rec.tpe.tpe_id, partner_code=code, function=TpeFunction(rec.function),
            scopes=frozenset(s.number for s in rec.scopes.all()), designated_on=rec.designated_on,
            expires_on=rec.expires_on, status=_status(rec.status), status_since=rec.status_since,
        ))
    return tuple(out)


def record_tpe_designation(
    *, actor: Any, tpe_id: str, partner_code: str, function: str, scopes: Iterable[int],
    designated_on: datetime.date | None, expires_on: datetime.date | None = None, status: str = "designated",
    status_since: datetime.date | None = None, decision: DecisionInput | None = None, now: datetime.datetime,
) -> RecordedDesignation:
    """The secretariat records a JC designation of a TPE (pair, function, scopes, dates, status).

    Raises CycleError: not the pair's secretariat (role), unknown TPE / scope, bad function or status."""
    with transaction.atomic():
        pair = CountryPair.objects.select_related("partner").filter(partner__code=partner_code.upper()).first()
        if pair is None:
            raise CycleError("pair", _("no country pair with partner %(cc)s") % {"cc": partner_code}, "not_found")
        acting = acting_as(actor, pair, {Role.JC_SECRETARIAT})
        if acting.role is not Role.JC_SECRETARIAT:
            raise CycleError("role", _("only the JC secretariat of the pair records TPE designations"),
                             "role_not_allowed")
        tpe = Tpe.objects.filter(tpe_id=tpe_id).first()
        if tpe is None:
            raise CycleError("tpe", _("no TPE %(id)s in the reference data") % {"id": tpe_id}, "not_found")
        if function not in {f.value for f in TpeFunction}:
            raise CycleError("function", _("the function is validation or verification"))
        if status not in {s.value for s in DesignationStatus}:
            raise CycleError("status", _("unknown designation status %(s)r") % {"s": status})
        numbers = sorted(set(scopes))
        scope_rows = list(SectoralScope.objects.filter(number__in=numbers))
        if not numbers or len(scope_rows) != len(numbers):
            raise CycleError("scopes", _("give known sectoral scope numbers, got %(s)s") % {"s": numbers})
        if designated_on and expires_on and expires_on < designated_on:
            raise CycleError("expires_on", _("a designation expires after it starts"))
        row = RecordedDesignation.objects.create(
            tpe=tpe, pair=pair, function=function, designated_on=designated_on, expires_on=expires_on,
            status=status, status_since=status_since, recorded_at=now, recorded_by=actor,
            decision=decision_row(pair, decision, now) if decision else None,
        )
        row.scopes.set(scope_rows)
        record_event(action="cycle.tpe.designation.record", target=row, at=now, actor=actor,
                     after={"tpe": tpe_id, "pair": pair.partner.code, "function": function, "scopes": numbers,
                            "designated_on": designated_on, "expires_on": expires_on, "status": status})
    return row


def assign_tpe(*, actor: Any, project: Project | int, tpe_id: str, function: str,
               now: datetime.datetime) -> TpeAssignment:
    """The participants record the TPE they contracted for validation or verification (replaces the previous one).

    Eligibility (designated for the pair, function, scopes and date) is checked when the TPE acts."""
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        acting = acting_as(actor, p.pair, {Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT})
        if acting.role not in (Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT):
            raise CycleError("role", _("the participants choose and contract the TPE"), "role_not_allowed")
        check_relation(acting, p)
        if function not in {f.value for f in TpeFunction}:
            raise CycleError("function", _("the function is validation or verification"))
        tpe = Tpe.objects.filter(tpe_id=tpe_id).first()
        if tpe is None:
            raise CycleError("tpe", _("no TPE %(id)s in the reference data") % {"id": tpe_id}, "not_found")
        TpeAssignment.objects.filter(project=p, function=function, ended_at__isnull=True).update(ended_at=now)
        row = TpeAssignment.objects.create(project=p, tpe=tpe, function=function, assigned_at=now)
        record_event(action="cycle.tpe.assign", target=p, at=now, actor=actor,
                     after={"tpe": tpe_id, "function": function})
    return row
