"""The machinery every cycle service shares: rule sets, who acts as what, taking one step.

A service opens one transaction, locks its object (``select_for_update``), checks the relations the
core does not know (the user holds the role in this pair, is a participant of this project, is the
TPE assigned to it), builds a :class:`CycleContext`, calls the core's ``apply`` and either raises
:class:`CycleError` (nothing written) or stores the new state, the transition row, the window the
new state opens, and one audit event.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from jcm.accounts.core.roles import PLATFORM_WIDE, Role
from jcm.accounts.models import Membership, Organisation
from jcm.audit.services import record_event
from jcm.cycle.core import deadlines
from jcm.cycle.core.machine import CycleContext, DecisionMode, JcDecision, Moved, Refused
from jcm.cycle.core.ruleset_loader import load_rule_sets
from jcm.cycle.core.rulesets import RuleSet, RuleSetCatalogue, rule_set_for
from jcm.cycle.core.states import State
from jcm.cycle.core.transitions import apply, machine_for
from jcm.cycle.errors import FIELD_OF_CODE, CycleError
from jcm.cycle.models import JcDecision as JcDecisionRow
from jcm.cycle.models import StoredRuleSet, TransitionRecord, Window
from jcm.reference.models import CountryPair

# --- rule sets ----------------------------------------------------------------------------------


def rule_sets_dir() -> Path:
    return Path(getattr(settings, "JCM_RULESETS_DIR", Path(settings.BASE_DIR) / "data" / "rulesets"))


@cache
def _catalogue(directory: str) -> RuleSetCatalogue:
    return load_rule_sets(Path(directory))


def catalogue() -> RuleSetCatalogue:
    """Every rule set of ``data/rulesets`` (loaded once per process)."""
    return _catalogue(str(rule_sets_dir()))


def rule_set_of(pair: CountryPair, now: datetime.datetime) -> RuleSet:
    """The rule set in force for ``pair`` at ``now`` (the pair's own, else its generation's default)."""
    cat = catalogue()
    default = cat.versions(None)
    zone = default[0].calendar.zone if default else datetime.UTC
    return rule_set_for(cat, pair.partner.code, now.astimezone(zone).date(), generation=pair.generation)


def remember_rule_set(rule_set: RuleSet, now: datetime.datetime) -> None:
    """Keep a row per (rule-set id, digest) a decision was taken under."""
    StoredRuleSet.objects.get_or_create(
        rule_set_id=rule_set.id,
        digest=rule_set.digest,
        defaults={
            "partner_code": rule_set.partner or "",
            "generation": rule_set.generation.value,
            "version": rule_set.version,
            "effective_from": rule_set.effective_from,
            "title": rule_set.title[:300],
            "content": {"file": rule_set.file, "documents": dict(rule_set.documents)},
            "first_seen_at": now,
        },
    )


# --- who acts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acting:
    """A user acting in one role, for one organisation, in one pair."""

    user: Any
    role: Role
    organisation: Organisation | None

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else "system"


def memberships_in(user: Any, pair: CountryPair) -> list[Membership]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    rows = Membership.objects.filter(user=user).select_related("organisation")
    return [m for m in rows if m.pair_id == pair.pk or (m.pair_id is None and Role(m.role) in PLATFORM_WIDE)]


def acting_as(user: Any, pair: CountryPair, allowed: Iterable[Role], *, role: Role | str | None = None) -> Acting:
    """The role ``user`` takes in ``pair``: the one asked for, else one that is allowed, else any role held
    (so that the core refuses it with its reason). CycleError when the user holds no role in the pair."""
    held = memberships_in(user, pair)
    if not held:
        raise CycleError("role", _("you hold no role in the pair JP-%(cc)s") % {"cc": pair.partner.code}, "relation")
    if role is not None:
        wanted = Role(role)
        for m in held:
            if Role(m.role) is wanted:
                return Acting(user, wanted, m.organisation)
        raise CycleError("role", _("you do not hold the role %(role)s in the pair JP-%(cc)s")
                         % {"role": wanted.value, "cc": pair.partner.code}, "relation")
    allowed_set = set(allowed)
    for m in sorted(held, key=lambda m: m.role):
        if Role(m.role) in allowed_set:
            return Acting(user, Role(m.role), m.organisation)
    first = sorted(held, key=lambda m: m.role)[0]
    return Acting(user, Role(first.role), first.organisation)


def system_actor(role: Role) -> Acting:
    return Acting(None, role, None)


# --- decisions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionInput:
    """A JC decision as given by the caller: number, date, meeting or electronic, title."""

    number: str
    decided_on: datetime.date
    mode: str = DecisionMode.ELECTRONIC.value
    title: str = ""

    def core(self) -> JcDecision:
        try:
            mode = DecisionMode(self.mode)
        except ValueError as exc:
            raise CycleError("decision", _("the decision mode is meeting or electronic, not %(m)r")
                             % {"m": self.mode}) from exc
        return JcDecision(number=self.number.strip(), decided_on=self.decided_on, mode=mode)


def decision_row(pair: CountryPair, decision: DecisionInput, now: datetime.datetime) -> JcDecisionRow:
    """The stored decision with this number in this pair (created once; one decision may decide several objects)."""
    number = decision.number.strip()
    row = JcDecisionRow.objects.filter(pair=pair, number=number).first()
    if row is None:
        return JcDecisionRow.objects.create(pair=pair, number=number, decided_on=decision.decided_on,
                                            mode=decision.mode, title=decision.title[:300], recorded_at=now)
    if row.decided_on != decision.decided_on or row.mode != decision.mode:
        raise CycleError("decision", _("JC decision %(n)s is already recorded as of %(d)s (%(m)s)")
                         % {"n": number, "d": row.decided_on.isoformat(), "m": row.mode})
    return row


# --- one step -----------------------------------------------------------------------------------

_GUARD_FIELDS = {
    "reason_given": "reason", "window_closed": "window", "can_extend_consideration": "window",
    "successor_approved": "state", "pin_not_required": "pin", "tpe_eligible_for_validation": "tpe",
    "tpe_eligible_for_verification": "tpe", "attested": "attestation", "hits_explained": "double_registration",
    "allocation_valid": "allocation", "allocation_if_required": "allocation",
    "crediting_period_valid": "crediting_period", "crediting_period_over": "crediting_period",
    "renewal_period_valid": "crediting_period", "project_live": "project", "monitoring_period_valid": "period",
    "claimed_given": "claimed", "verified_within_claimed": "verified", "request_within_verified": "requested",
    "notification_within_request": "quantities", "change_submission": "change_request",
    "goes_to_jc": "kind", "accepted_by_secretariat": "kind", "change_approval": "change_request",
}


def refusal_error(refused: Refused, context: CycleContext) -> CycleError:
    field = FIELD_OF_CODE.get(refused.code.value, "action")
    if refused.code.value == "guard":
        transition = machine_for(refused.state).find(refused.state, refused.action)
        for guard in transition.guards if transition else ():
            if guard(context) is not None:
                field = _GUARD_FIELDS.get(guard.__name__, "guard")
                break
    return CycleError(field, refused.reason, refused.code.value)


def lock(model: type[models.Model], pk: int) -> Any:
    """The row, locked for the rest of the transaction."""
    try:
        return model.objects.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise CycleError("object", _("%(what)s %(pk)s does not exist") % {"what": model.__name__, "pk": pk},
                         "not_found") from exc


def open_window(subject: dict[str, Any], key: str, rule_set: RuleSet, opens_at: datetime.datetime,
                *, extended: bool = False) -> Window:
    w = deadlines.window(rule_set, key, opens_at, extended=extended)
    return Window.objects.create(
        **subject, key=key, opens_at=opens_at, closes_at=w.closes_at if w else None, days=w.days if w else None,
        extended=extended, rule_set_id=rule_set.id,
    )


def current_window(subject: dict[str, Any]) -> Window | None:
    return Window.objects.filter(**subject, closed_at__isnull=True).order_by("-opens_at", "-id").first()


def take_step(
    *,
    obj: models.Model,
    subject: dict[str, Any],
    pair: CountryPair,
    action: str,
    acting: Acting,
    now: datetime.datetime,
    context: dict[str, Any] | None = None,
    decision: DecisionInput | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    state_field: str = "state",
) -> tuple[Moved, TransitionRecord]:
    """Apply ``action`` to ``obj`` (locked by the caller) and store everything it changes.

    Raises CycleError with the core's reason (or the Django layer's) and writes nothing.
    """
    if now.tzinfo is None:
        raise CycleError("now", _("now must be timezone-aware"))
    rule_set = rule_set_of(pair, now)
    state: State = machine_for_obj(obj)(getattr(obj, state_field))
    window = current_window(subject)
    ctx = CycleContext(
        rule_set=rule_set, partner_code=pair.partner.code, now=now, reason=reason,
        decision=decision.core() if decision is not None else None,
        window_closes_at=window.closes_at if window is not None else None,
        consideration_extended=bool(window is not None and window.extended),
    )
    if context:
        ctx = dataclasses.replace(ctx, **context)
    result = apply(state, action, acting.role, ctx)
    if isinstance(result, Refused):
        raise refusal_error(result, ctx)
    remember_rule_set(rule_set, now)
    decision_obj = decision_row(pair, decision, now) if result.decision is not None and decision else None
    new_window = None
    if result.extends_window and window is not None:
        window.closed_at = now
        window.save(update_fields=["closed_at"])
        new_window = open_window(subject, window.key, rule_set, window.opens_at, extended=True)
    else:
        if window is not None and (result.to_state != result.from_state or result.opens_window):
            window.closed_at = now
            window.save(update_fields=["closed_at"])
        if result.opens_window:
            new_window = open_window(subject, result.opens_window, rule_set, now)
    setattr(obj, state_field, result.to_state.value)
    update = [state_field]
    if hasattr(obj, "updated_at"):
        obj.updated_at = now  # type: ignore[attr-defined]
        update.append("updated_at")
    obj.save(update_fields=update)
    row = TransitionRecord.objects.create(
        **subject, machine=result.machine, action=action, role=acting.role.value, actor=acting.user,
        actor_label=acting.label, organisation=acting.organisation.name if acting.organisation else "",
        at=now, from_state=result.from_state.value, to_state=result.to_state.value,
        rule_set_id=result.rule_set_id, rule_set_digest=result.rule_set_digest, decision=decision_obj,
        window=new_window, reason=reason, details=details or {},
    )
    record_event(
        action=f"cycle.{result.machine}.{action}", target=obj, at=now, actor=acting.user,
        before={"state": result.from_state.value},
        after={"state": result.to_state.value, "role": acting.role.value, "rule_set": result.rule_set_id,
               "rule_set_digest": result.rule_set_digest, "decision": decision.number if decision_obj else "",
               "reason": reason, **(details or {})},
    )
    return result, row


def machine_for_obj(obj: models.Model) -> Any:
    from jcm.cycle.core.states import ChangeRequestState, IssuanceState, MethodologyState, ProjectState

    return {
        "methodologyversion": MethodologyState, "project": ProjectState, "monitoringreport": IssuanceState,
        "changerequest": ChangeRequestState,
    }[obj._meta.model_name]  # type: ignore[index]


def forms_of(subject: dict[str, Any]) -> frozenset[str]:
    """Form codes with at least one version submitted for the subject."""
    from jcm.cycle.models import Document

    return frozenset(Document.objects.filter(**subject, versions__isnull=False).values_list("form_code", flat=True))


def translations_of(subject: dict[str, Any]) -> frozenset[tuple[str, str]]:
    from jcm.cycle.models import Translation

    rows = Translation.objects.filter(**{f"version__document__{k}": v for k, v in subject.items()})
    return frozenset(rows.values_list("version__document__form_code", "language"))
