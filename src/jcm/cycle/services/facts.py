"""The facts of a project the core's guards need, read from the database as plain values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jcm.cycle.core.credits import AllocationShare as CoreShare
from jcm.cycle.core.credits import CreditAllocation as CoreAllocation
from jcm.cycle.core.credits import Side as CoreSide
from jcm.cycle.core.double_registration import DoubleRegistrationHit as CoreHit
from jcm.cycle.core.double_registration import ProjectRecord, Site, find_double_registration
from jcm.cycle.core.periods import Period
from jcm.cycle.core.rulesets import RuleSet
from jcm.cycle.core.states import ProjectState
from jcm.cycle.models import CreditAllocation, DoubleRegistrationHit, Project
from jcm.cycle.services.relations import assigned_tpe
from jcm.cycle.services.tpe import designations_for


def crediting_period(p: Project) -> Period | None:
    if p.crediting_start and p.crediting_end and p.crediting_end > p.crediting_start:
        return Period(p.crediting_start, p.crediting_end)
    return None


def current_allocation(p: Project) -> CreditAllocation | None:
    return CreditAllocation.objects.filter(project=p).order_by("-number").prefetch_related(
        "shares__organisation").first()


def core_allocation(allocation: CreditAllocation | None) -> CoreAllocation | None:
    if allocation is None:
        return None
    return CoreAllocation(tuple(
        CoreShare(s.organisation.name, CoreSide(s.side), Decimal(s.basis_points) / 100)
        for s in allocation.shares.all().order_by("position")
    ))


def participant_names(p: Project) -> frozenset[str]:
    return frozenset(p.participants.filter(active=True).values_list("organisation__name", flat=True))


def record_of(p: Project) -> ProjectRecord:
    return ProjectRecord(
        key=p.reference, partner_code=p.pair.partner.code,
        sites=tuple(Site(s.latitude, s.longitude, s.label) for s in p.sites.all()),
        equipment_ids=frozenset(p.equipment.values_list("identifier", flat=True)),
    )


def double_registration(p: Project, rule_set: RuleSet) -> tuple[tuple[CoreHit, ...], bool]:
    """Hits against every other live project of the platform, and whether each one is explained."""
    others = (Project.objects.exclude(pk=p.pk).exclude(state__in=[ProjectState.WITHDRAWN.value,
                                                                    ProjectState.REJECTED.value])
              .select_related("pair__partner").prefetch_related("sites", "equipment"))
    hits = find_double_registration(record_of(p), [record_of(o) for o in others],
                                    tolerance_m=Decimal(rule_set.parameters.double_registration_site_tolerance_m.value))
    explained = {
        (h.other, h.kind, h.finding)
        for h in DoubleRegistrationHit.objects.filter(project=p).exclude(explanation="")
    }
    return hits, all((h.other, h.kind, h.explanation) in explained for h in hits)


def project_facts(p: Project, rule_set: RuleSet, *, tpe_function: str | None = None,
                  with_hits: bool = False) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "project_state": ProjectState(p.state),
        "operation_started_on": p.operation_started_on,
        "crediting_period": crediting_period(p),
        "renewals_used": p.renewals_used,
        "attested_no_other_mechanism": p.attested_no_other_mechanism,
        "allocation": core_allocation(current_allocation(p)),
        "participants": participant_names(p),
        "sectoral_scopes": tuple(sorted(p.sectoral_scopes.values_list("number", flat=True))),
    }
    if tpe_function is not None:
        assignment = assigned_tpe(p, tpe_function)
        facts["tpe_id"] = assignment.tpe.tpe_id if assignment else None
        facts["tpe_designations"] = designations_for(p.pair)
    if with_hits:
        hits, explained = double_registration(p, rule_set)
        facts["double_registration_hits"] = hits
        facts["hits_explained"] = explained
    return facts
