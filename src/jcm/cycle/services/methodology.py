"""Methodology services: proposal → completeness check → public input → JC consideration → decision;
revisions as new versions (jcm-rules.md §2.1)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.core.roles import Role
from jcm.audit.services import record_event
from jcm.cycle.core.ids import FIRST_VERSION, IdKind, ids_of_kind, next_id, parse_version
from jcm.cycle.core.states import MethodologyState
from jcm.cycle.core.transitions import METHODOLOGY
from jcm.cycle.errors import CycleError
from jcm.cycle.models import Methodology, MethodologyVersion
from jcm.cycle.services.common import (
    DecisionInput,
    acting_as,
    forms_of,
    lock,
    system_actor,
    take_step,
    translations_of,
)
from jcm.cycle.services.relations import PROPONENT_ACTIONS, check_proponent
from jcm.reference.models import CountryPair, SectoralScope

APPROVALS = ("approve", "approve_with_revisions")


def _allowed(action: str, role: Role) -> bool:
    return action in METHODOLOGY.actions and role in METHODOLOGY.roles_for(action)


def _pair(partner_code: str, *, for_update: bool = False) -> CountryPair:
    qs = CountryPair.objects.select_related("partner")
    if for_update:
        qs = qs.select_for_update()
    pair = qs.filter(partner__code=partner_code.upper()).first()
    if pair is None:
        raise CycleError("pair", _("no country pair with partner %(cc)s") % {"cc": partner_code}, "not_found")
    return pair


def taken_ids(pair: CountryPair, kind: IdKind) -> list[str]:
    """Every ``<CC>_PM<nnn>`` (or ``<CC>_AM<nnn>``) of the pair already taken: the cycle's methodologies
    and the reference catalogue (``jcm.reference.models.Methodology``, loaded from data/reference)."""
    from django.db.models import Q

    from jcm.reference.models import Methodology as CatalogueMethodology

    field = "pm_id" if kind is IdKind.PROPOSED_METHODOLOGY else "am_id"
    cycle = Methodology.objects.filter(pair=pair).exclude(**{field: ""}).values_list(field, flat=True)
    catalogue = CatalogueMethodology.objects.filter(
        Q(pair=pair) | Q(jcm_id__startswith=f"{pair.partner.code}_")).values_list("jcm_id", flat=True)
    return [*cycle, *ids_of_kind(kind, catalogue)]


def propose_methodology(
    *, actor: Any, partner_code: str, title: str, scopes: Iterable[int], mrv_methodology_id: str = "",
    now: datetime.datetime,
) -> MethodologyVersion:
    """Start a proposed methodology ``<CC>_PM<nnn>`` ver01.0 in draft, for the actor's organisation.

    Raises CycleError: no role that may propose in the pair (role), empty title, unknown scopes."""
    if not title.strip():
        raise CycleError("title", _("must not be empty"))
    with transaction.atomic():
        pair = _pair(partner_code, for_update=True)
        proponents = METHODOLOGY.roles_for("submit")
        acting = acting_as(actor, pair, proponents)
        if acting.role not in proponents or acting.organisation is None:
            raise CycleError("role", _("%(role)s may not propose a methodology") % {"role": acting.role.value},
                             "role_not_allowed")
        numbers = sorted(set(scopes))
        scope_rows = list(SectoralScope.objects.filter(number__in=numbers))
        if not numbers or len(scope_rows) != len(numbers):
            raise CycleError("scopes", _("give known sectoral scope numbers, got %(s)s") % {"s": numbers})
        pm_id = next_id(IdKind.PROPOSED_METHODOLOGY, pair.partner.code, taken_ids(pair, IdKind.PROPOSED_METHODOLOGY))
        m = Methodology.objects.create(pair=pair, pm_id=pm_id, title=title.strip(), proponent=acting.organisation,
                                       created_at=now)
        m.sectoral_scopes.set(scope_rows)
        v = MethodologyVersion.objects.create(methodology=m, version=str(FIRST_VERSION), submitted_by=actor,
                                              mrv_methodology_id=mrv_methodology_id, created_at=now, updated_at=now)
        record_event(action="cycle.methodology.propose", target=v, at=now, actor=actor,
                     after={"pm_id": pm_id, "title": m.title, "scopes": numbers, "version": v.version})
    return v


def act_on_methodology(
    *, actor: Any, version: MethodologyVersion | int, action: str, now: datetime.datetime, reason: str = "",
    decision: DecisionInput | None = None, mrv_methodology_id: str | None = None, role: str | None = None,
) -> MethodologyVersion:
    """Take ``action`` (an action of the methodology machine) on a methodology version.

    ``approve``/``approve_with_revisions`` give the methodology its ``<CC>_AM<nnn>`` (first approval),
    record the decision and supersede earlier approved versions; ``request_revision`` returns the new
    draft version (next major). Returns the version acted on (or the new one).

    Raises CycleError naming the field: role (not held / not allowed), methodology (not the proponent),
    state, documents, decision, reason, window — nothing is written then.
    """
    with transaction.atomic():
        v: MethodologyVersion = lock(MethodologyVersion, version if isinstance(version, int) else version.pk)
        m = Methodology.objects.select_related("pair__partner").get(pk=v.methodology_id)
        acting = acting_as(actor, m.pair, METHODOLOGY.roles_for(action) if action in METHODOLOGY.actions else (),
                           role=role)
        if action in PROPONENT_ACTIONS and _allowed(action, acting.role):
            check_proponent(acting, m)
        subject = {"methodology_version": v}
        context: dict[str, Any] = {"forms_submitted": forms_of(subject), "translations_submitted":
                                   translations_of(subject), "sectoral_scopes": tuple(
                                       m.sectoral_scopes.values_list("number", flat=True))}
        if action == "supersede":
            later = MethodologyVersion.objects.filter(methodology=m, state=MethodologyState.APPROVED.value,
                                                      approved_on__gte=v.approved_on or datetime.date.min)
            context["successor_approved"] = later.exclude(pk=v.pk).exists()
        details: dict[str, Any] = {"version": v.version}
        take_step(obj=v, subject=subject, pair=m.pair, action=action, acting=acting, now=now, context=context,
                  decision=decision, reason=reason, details=details)
        if action in APPROVALS:
            assert decision is not None
            return _approved(v, m, action, decision, mrv_methodology_id, now)
        if action == "request_revision":
            return _new_version(v, m, actor, now)
    return v


def _approved(v: MethodologyVersion, m: Methodology, action: str, decision: DecisionInput,
              mrv_methodology_id: str | None, now: datetime.datetime) -> MethodologyVersion:
    from jcm.cycle.models import JcDecision

    if not m.am_id:
        m.am_id = next_id(IdKind.APPROVED_METHODOLOGY, m.pair.partner.code,
                          taken_ids(m.pair, IdKind.APPROVED_METHODOLOGY))
        m.save(update_fields=["am_id"])
    v.approved_on = decision.decided_on
    v.approved_with_revisions = action == "approve_with_revisions"
    v.decision = JcDecision.objects.get(pair=m.pair, number=decision.number.strip())
    if mrv_methodology_id is not None:
        v.mrv_methodology_id = mrv_methodology_id
    v.save(update_fields=["approved_on", "approved_with_revisions", "decision", "mrv_methodology_id"])
    earlier = MethodologyVersion.objects.select_for_update().filter(
        methodology=m, state=MethodologyState.APPROVED.value).exclude(pk=v.pk).order_by("pk")
    for old in earlier:
        take_step(obj=old, subject={"methodology_version": old}, pair=m.pair, action="supersede",
                  acting=system_actor(Role.JC_SECRETARIAT), now=now, context={"successor_approved": True},
                  details={"superseded_by": v.version})
    return v


def _new_version(v: MethodologyVersion, m: Methodology, actor: Any, now: datetime.datetime) -> MethodologyVersion:
    latest = max(parse_version(x) for x in MethodologyVersion.objects.filter(methodology=m)
                 .values_list("version", flat=True))
    new = MethodologyVersion.objects.create(
        methodology=m, version=str(latest.next_major()), revises=v, mrv_methodology_id=v.mrv_methodology_id,
        submitted_by=actor, created_at=now, updated_at=now,
    )
    return new
