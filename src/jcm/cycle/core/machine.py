"""The state-machine engine: transitions as data, a context of plain facts, results as values.

A :class:`Transition` names its action, from-states, to-state, the roles allowed, an optional
rule-set feature it needs, the document step whose forms it needs, whether it is a JC decision,
the deadline window its target opens, and guard functions. :meth:`Machine.apply` checks, in this
order: the action exists, the state is a from-state, the role is allowed, the rule set applies to
the pair and provides the feature, the forms and translations are there, the JC decision record is
given, then each guard. The first failure is returned as :class:`Refused` with a code and a reason;
success is :class:`Moved`, which records the rule-set id and digest the step was taken under.

Relations (is this the assigned TPE, a participant of this project, a JC member of this pair)
are not checked here: the Django layer checks them before calling.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from jcm.accounts.core.roles import Role
from jcm.cycle.core.credits import CreditAllocation
from jcm.cycle.core.double_registration import DoubleRegistrationHit
from jcm.cycle.core.messages import N_, Message
from jcm.cycle.core.periods import Period
from jcm.cycle.core.rulesets import RuleSet
from jcm.cycle.core.states import ChangeKind, ProjectState, State
from jcm.cycle.core.tpe import TpeDesignation


class DecisionMode(StrEnum):
    MEETING = "meeting"
    ELECTRONIC = "electronic"


@dataclass(frozen=True, slots=True, kw_only=True)
class JcDecision:
    """A numbered, dated JC decision (meeting or electronic) that the decided objects point to."""

    number: str
    decided_on: datetime.date
    mode: DecisionMode


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleContext:
    """The facts a transition may need. Only ``rule_set``, ``partner_code`` and ``now`` are always required."""

    rule_set: RuleSet
    partner_code: str
    now: datetime.datetime
    reason: str = ""  # why: for returns, rejections, objections, negative opinions
    decision: JcDecision | None = None
    forms_submitted: frozenset[str] = frozenset()
    translations_submitted: frozenset[tuple[str, str]] = frozenset()  # (form code, language)
    # windows
    window_closes_at: datetime.datetime | None = None  # the open public-input window's end
    consideration_extended: bool = False
    # methodology
    successor_approved: bool = False
    # TPE
    tpe_id: str | None = None
    tpe_designations: tuple[TpeDesignation, ...] = ()
    sectoral_scopes: tuple[int, ...] = ()
    # project
    project_state: ProjectState | None = None
    operation_started_on: datetime.date | None = None
    crediting_period: Period | None = None
    new_crediting_period: Period | None = None  # renewal
    renewals_used: int = 0
    attested_no_other_mechanism: bool = False
    double_registration_hits: tuple[DoubleRegistrationHit, ...] = ()
    hits_explained: bool = False
    allocation: CreditAllocation | None = None
    participants: frozenset[str] | None = None
    # monitoring and issuance
    monitoring_period: Period | None = None
    other_monitoring_periods: tuple[Period, ...] = ()
    claimed: int | None = None
    verified: int | None = None
    requested: int | None = None
    already_requested: int = 0
    notified_japan: int | None = None
    notified_partner: int | None = None
    # change requests
    change_kind: ChangeKind | None = None


Guard = Callable[[CycleContext], str | None]
"""A guard returns the reason the transition is refused (a :class:`Message`, which is a ``str``), or None."""

OpensWindow = str | Callable[[CycleContext], str | None] | None


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()
    feature: str | None = None
    step: str | None = None
    decision: bool = False
    opens: OpensWindow = None
    extends_window: bool = False
    summary: str = ""

    def window_key(self, context: CycleContext) -> str | None:
        return self.opens(context) if callable(self.opens) else self.opens


class RefusalCode(StrEnum):
    UNKNOWN_ACTION = "unknown_action"
    WRONG_STATE = "wrong_state"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    RULE_SET_MISMATCH = "rule_set_mismatch"
    NOT_IN_RULE_SET = "not_in_rule_set"
    MISSING_DOCUMENTS = "missing_documents"
    MISSING_DECISION = "missing_decision"
    GUARD = "guard"


@dataclass(frozen=True, slots=True)
class Refused:
    machine: str
    action: str
    role: Role
    state: State
    code: RefusalCode
    reason: str  # a Message: the English text, with its template and parameters for translation

    ok = False


@dataclass(frozen=True, slots=True)
class Moved:
    machine: str
    action: str
    role: Role
    from_state: State
    to_state: State
    at: datetime.datetime
    rule_set_id: str
    rule_set_digest: str
    decision: JcDecision | None
    opens_window: str | None  # deadline key of the window the new state opens (see deadlines.window)
    extends_window: bool

    ok = True


type Result = Moved | Refused


def documents_refusal(rule_set: RuleSet, step: str, context: CycleContext) -> str | None:
    """Which forms or translations the rule set requires at ``step`` and the submission lacks."""
    missing = [f"{f.code} ({f.name})" for f in rule_set.forms_for(step) if f.code not in context.forms_submitted]
    if missing:
        return Message(N_("rule set %(rule_set)s requires at %(step)s: %(forms)s"), rule_set=rule_set.id, step=step,
                       forms=", ".join(missing))
    lacking = [f"{code} in {requirement.language}" for requirement in rule_set.translations_for(step)
               for code in rule_set.steps.get(step, ())
               if (code, requirement.language) not in context.translations_submitted]
    if lacking:
        return Message(N_("rule set %(rule_set)s requires reference translations at %(step)s: %(missing)s"),
                       rule_set=rule_set.id, step=step, missing=", ".join(lacking))
    return None


@dataclass(frozen=True)
class Machine:
    name: str
    states: type[StrEnum]
    initial: tuple[State, ...]
    transitions: tuple[Transition, ...]
    _index: Mapping[tuple[State, str], Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[State, str], Transition] = {}
        roles: dict[str, frozenset[Role]] = {}
        for t in self.transitions:
            for state in (*t.sources, t.target):
                if not isinstance(state, self.states):
                    raise ValueError(f"{self.name}.{t.action}: {state!r} is not a {self.states.__name__}")
            if roles.setdefault(t.action, t.roles) != t.roles:
                raise ValueError(f"{self.name}.{t.action}: every transition of an action has the same roles")
            for state in t.sources:
                if (state, t.action) in index:
                    raise ValueError(f"{self.name}.{t.action}: two transitions from {state.value}")
                index[(state, t.action)] = t
        object.__setattr__(self, "_index", index)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.action for t in self.transitions))

    def roles_for(self, action: str) -> frozenset[Role]:
        for t in self.transitions:
            if t.action == action:
                return t.roles
        raise KeyError(f"{self.name} has no action {action!r}")

    def transitions_for(self, action: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.action == action)

    def sources_of(self, action: str) -> frozenset[State]:
        return frozenset(s for t in self.transitions_for(action) for s in t.sources)

    def find(self, state: State, action: str) -> Transition | None:
        return self._index.get((state, action))

    def offered(self, state: State, role: Role, rule_set: RuleSet) -> tuple[str, ...]:
        """Actions this role may take from this state under this rule set, before guards."""
        return tuple(
            t.action
            for t in self.transitions
            if state in t.sources and role in t.roles and (t.feature is None or rule_set.has(t.feature))
        )

    def apply(self, state: State, action: str, role: Role, context: CycleContext) -> Result:
        def refuse(code: RefusalCode, reason: str) -> Refused:
            return Refused(self.name, action, role, state, code, reason if isinstance(reason, Message)
                           else Message(reason))

        if action not in self.actions:
            return refuse(RefusalCode.UNKNOWN_ACTION, Message(N_("%(machine)s has no action %(action)s"),
                                                              machine=self.name, action=repr(action)))
        transition = self.find(state, action)
        if transition is None:
            allowed = ", ".join(sorted(s.value for s in self.sources_of(action)))
            return refuse(RefusalCode.WRONG_STATE, Message(
                N_("%(action)s is not possible from %(state)s; it is possible from: %(allowed)s"),
                action=action, state=state.value, allowed=allowed))
        if role not in transition.roles:
            allowed = ", ".join(sorted(r.value for r in transition.roles))
            return refuse(RefusalCode.ROLE_NOT_ALLOWED, Message(N_("%(role)s may not %(action)s; allowed: %(allowed)s"),
                                                                role=role.value, action=action, allowed=allowed))
        rule_set = context.rule_set
        if rule_set.partner is not None and rule_set.partner != context.partner_code:
            return refuse(RefusalCode.RULE_SET_MISMATCH, Message(
                N_("rule set %(rule_set)s is for JP-%(partner)s, not JP-%(pair)s"), rule_set=rule_set.id,
                partner=rule_set.partner, pair=context.partner_code))
        if transition.feature is not None and not rule_set.has(transition.feature):
            return refuse(RefusalCode.NOT_IN_RULE_SET, Message(
                N_("rule set %(rule_set)s (%(generation)s) has no %(feature)s step"), rule_set=rule_set.id,
                generation=rule_set.generation.value, feature=transition.feature.replace("_", " ")))
        if transition.step is not None and (problem := documents_refusal(rule_set, transition.step, context)):
            return refuse(RefusalCode.MISSING_DOCUMENTS, problem)
        if transition.decision:
            if context.decision is None:
                return refuse(RefusalCode.MISSING_DECISION, Message(
                    N_("%(action)s is a JC decision: give its number, date and mode"), action=action))
            if not context.decision.number.strip():
                return refuse(RefusalCode.MISSING_DECISION, Message(N_("the JC decision has no number")))
            today = context.now.astimezone(rule_set.calendar.zone).date()
            if context.decision.decided_on > today:
                return refuse(RefusalCode.MISSING_DECISION, Message(
                    N_("the JC decision %(number)s is dated %(date)s, after today (%(today)s)"),
                    number=context.decision.number, date=context.decision.decided_on.isoformat(),
                    today=today.isoformat()))
        for guard in transition.guards:
            if (reason := guard(context)) is not None:
                return refuse(RefusalCode.GUARD, reason)
        return Moved(
            machine=self.name,
            action=action,
            role=role,
            from_state=state,
            to_state=transition.target,
            at=context.now,
            rule_set_id=rule_set.id,
            rule_set_digest=rule_set.digest,
            decision=context.decision if transition.decision else None,
            opens_window=transition.window_key(context),
            extends_window=transition.extends_window,
        )


def permission_rows(machines: Iterable[Machine]) -> dict[str, dict[str, dict[str, bool]]]:
    """``{machine: {action: {role: allowed}}}`` for every role, JSON-ready."""
    return {
        m.name: {a: {r.value: r in m.roles_for(a) for r in Role} for a in m.actions} for m in machines
    }
