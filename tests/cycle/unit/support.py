"""Shared builders for the cycle core tests: the shipped rule sets and a context that passes every guard."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jcm.accounts.core.roles import Role
from jcm.cycle.core.credits import AllocationShare, CreditAllocation, Side
from jcm.cycle.core.machine import CycleContext, DecisionMode, JcDecision, Moved, Refused, Result
from jcm.cycle.core.periods import Period
from jcm.cycle.core.ruleset_loader import load_rule_sets
from jcm.cycle.core.rulesets import RuleSet, RuleSetCatalogue
from jcm.cycle.core.states import ChangeKind, ProjectState, State
from jcm.cycle.core.tpe import TpeDesignation, TpeFunction
from jcm.cycle.core.transitions import apply, machine_for

REPO = Path(__file__).resolve().parents[3]
RULESETS = REPO / "data" / "rulesets"
UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
D = datetime.date

_CATALOGUE: RuleSetCatalogue | None = None


def catalogue() -> RuleSetCatalogue:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = load_rule_sets(RULESETS)
    return _CATALOGUE


def rule_set(rule_set_id: str) -> RuleSet:
    return catalogue().get(rule_set_id)


def designations(tpe_id: str, partner: str) -> tuple[TpeDesignation, ...]:
    return tuple(
        TpeDesignation(tpe_id, partner, function, frozenset({1, 2, 3}), D(2020, 1, 1), None) for function in TpeFunction
    )


ALLOCATION = CreditAllocation(
    (
        AllocationShare("Government of Japan", Side.JAPAN, Decimal(50)),
        AllocationShare("JP Tech Co", Side.JAPAN, Decimal("25.5")),
        AllocationShare("Partner Power Co", Side.PARTNER, Decimal("24.5")),
    )
)


def happy(rules: RuleSet, partner: str | None = None, **changes: Any) -> CycleContext:
    """A context under which every guard of every transition passes (for the defaults, a clean project)."""
    pair = partner or rules.partner or "TN"
    translations = frozenset((code, t.language) for t in rules.translations for code in rules.forms)
    context = CycleContext(
        rule_set=rules,
        partner_code=pair,
        now=NOW,
        reason="reasons given",
        decision=JcDecision(number=f"{pair}-JC-2026-E07", decided_on=D(2026, 10, 30), mode=DecisionMode.ELECTRONIC),
        forms_submitted=frozenset(rules.forms),
        translations_submitted=translations,
        window_closes_at=NOW - datetime.timedelta(days=1),
        successor_approved=True,
        tpe_id=f"TPE-{pair}-001",
        tpe_designations=designations(f"TPE-{pair}-001", pair),
        sectoral_scopes=(1,),
        project_state=ProjectState.REGISTERED,
        operation_started_on=D(2024, 1, 1),
        crediting_period=Period(D(2024, 1, 1), D(2031, 1, 1)),
        new_crediting_period=Period(D(2031, 1, 1), D(2036, 1, 1)),
        attested_no_other_mechanism=True,
        allocation=ALLOCATION,
        participants=frozenset(s.participant for s in ALLOCATION.shares),
        monitoring_period=Period(D(2024, 1, 1), D(2025, 1, 1)),
        claimed=1000,
        verified=900,
        requested=900,
        notified_japan=684,
        notified_partner=216,
        change_kind=ChangeKind.POST_REGISTRATION_CHANGE,
    )
    return dataclasses.replace(context, **changes)


def role_for(state: State, action: str) -> Role:
    """The first role (in Role order) allowed to take ``action``."""
    roles = machine_for(state).roles_for(action)
    return next(r for r in Role if r in roles)


def step(state: State, action: str, context: CycleContext, role: Role | None = None) -> State:
    result = apply(state, action, role or role_for(state, action), context)
    assert isinstance(result, Moved), f"{action} from {state.value} refused: {result}"
    return result.to_state


def walk(state: State, actions: list[str], context: CycleContext) -> State:
    for action in actions:
        state = step(state, action, context)
    return state


def refused(state: State, action: str, context: CycleContext, role: Role | None = None) -> Refused:
    result: Result = apply(state, action, role or role_for(state, action), context)
    assert isinstance(result, Refused), f"{action} from {state.value} was not refused"
    return result
