"""The Percentage of Credit Allocation: shares in basis points per party, side and registry account."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.models import Organisation
from jcm.audit.services import record_event
from jcm.cycle.core.credits import AllocationShare as CoreShare
from jcm.cycle.core.credits import CreditAllocation as CoreAllocation
from jcm.cycle.core.credits import Side as CoreSide
from jcm.cycle.core.credits import allocation_problems
from jcm.cycle.core.messages import Message
from jcm.cycle.errors import CycleError
from jcm.cycle.models import AllocationShare, CreditAllocation, Project
from jcm.cycle.services.common import acting_as, lock, rule_set_of
from jcm.cycle.services.relations import PARTICIPANT_ROLES, check_relation
from jcm.registry.models import Account


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareInput:
    organisation: Organisation | int
    side: str  # "japan" | "partner"
    basis_points: int  # 10000 = 100 %
    account_number: str


def side_party(project: Project, side: str) -> str:
    return "JP" if side == "japan" else project.pair.partner.code


def declare_allocation(*, actor: Any, project: Project | int, shares: Sequence[ShareInput],
                       now: datetime.datetime) -> CreditAllocation:
    """Participants declare the allocation (a new version each time; the latest applies to new requests).

    Raises CycleError: allocation (core problems: sum ≠ 100 %, a party twice, not a party to the MoC,
    a side missing where the rule set requires both), account (unknown or in the wrong side's registry)."""
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        acting = acting_as(actor, p.pair, PARTICIPANT_ROLES)
        if acting.role not in PARTICIPANT_ROLES:
            raise CycleError("role", _("only the project participants declare the allocation"), "role_not_allowed")
        check_relation(acting, p)
        orgs: list[Organisation] = []
        for s in shares:
            org = s.organisation if isinstance(s.organisation, Organisation) else \
                Organisation.objects.filter(pk=s.organisation).first()
            if org is None:
                raise CycleError("allocation", _("no organisation %(id)s") % {"id": s.organisation}, "not_found")
            if s.side not in ("japan", "partner"):
                raise CycleError("allocation", _("a side is japan or partner, got %(s)r") % {"s": s.side})
            if isinstance(s.basis_points, bool) or not isinstance(s.basis_points, int) or s.basis_points < 0:
                raise CycleError("allocation", _("a share is a whole number of basis points"))
            orgs.append(org)
        core = CoreAllocation(tuple(CoreShare(o.name, CoreSide(s.side), Decimal(s.basis_points) / 100)
                                    for o, s in zip(orgs, shares, strict=True)))
        rule_set = rule_set_of(p.pair, now)
        names = frozenset(p.participants.filter(active=True).values_list("organisation__name", flat=True))
        problems = allocation_problems(core, participants=names,
                                       requires_both_sides=rule_set.parameters.allocation_requires_both_sides.value)
        if problems:
            raise CycleError("allocation", Message.joined(problems), "guard")
        for s in shares:
            party = side_party(p, s.side)
            acct = Account.objects.select_related("registry").filter(number=s.account_number).first()
            if acct is None or acct.registry.party != party:
                raise CycleError("account", _("%(a)s is not an account of the %(side)s registry (%(party)s)")
                                 % {"a": s.account_number, "side": s.side, "party": party})
        number = (p.allocations.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        alloc = CreditAllocation.objects.create(project=p, number=number, declared_at=now)
        for i, (org, s) in enumerate(zip(orgs, shares, strict=True)):
            AllocationShare.objects.create(allocation=alloc, position=i, organisation=org, side=s.side,
                                           basis_points=s.basis_points, account_number=s.account_number)
        record_event(action="cycle.project.declare_allocation", target=p, at=now, actor=actor,
                     after={"allocation": number, "shares": [[o.name, s.side, s.basis_points, s.account_number]
                                                             for o, s in zip(orgs, shares, strict=True)]})
    return alloc


def split_by_side(allocation: CreditAllocation, total: int) -> dict[str, int]:
    """Each side's whole credits of ``total`` under the allocation (the registry's largest-remainder rule)."""
    from jcm.registry.core.allocation import Share, allocate

    rows = list(allocation.shares.all().order_by("position"))
    resolved = allocate(total, [Share(f"#{r.position}", r.basis_points) for r in rows])
    by_pos = {r.position: r.side for r in rows}
    out = {"japan": 0, "partner": 0}
    for label, q in resolved:
        out[by_pos[int(label[1:])]] += q
    return out


def side_allocation(allocation: CreditAllocation, side: str) -> list[tuple[str, int]]:
    """The side's accounts with their shares renormalised to 10000 basis points (largest remainder)."""
    rows = [r for r in allocation.shares.all().order_by("position") if r.side == side and r.basis_points > 0]
    total = sum(r.basis_points for r in rows)
    if not rows:
        return []
    quotas = [(r.account_number, r.basis_points * 10000 // total, r.basis_points * 10000 % total) for r in rows]
    left = 10000 - sum(q for _a, q, _r in quotas)
    order = sorted(range(len(quotas)), key=lambda i: (-quotas[i][2], i))[:left]
    return [(a, q + (1 if i in order else 0)) for i, (a, q, _r) in enumerate(quotas)]




def current_allocation_row(project: Project) -> CreditAllocation | None:
    return CreditAllocation.objects.filter(project=project).order_by("-number").first()
