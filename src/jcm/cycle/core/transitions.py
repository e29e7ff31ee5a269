"""The transition tables of the cycle, :func:`apply` and the permission matrix.

Four machines (jcm-rules.md §2): ``methodology`` (one methodology version), ``project``,
``issuance`` (one monitoring report through verification to credits issued in both registries)
and ``change_request`` (post-registration change, MoC change, renewal of the crediting period).
The tables below are the single source of truth; ``permission_matrix()`` and docs/cycle.md are
derived from them.
"""

from __future__ import annotations

from jcm.accounts.core.roles import Role
from jcm.cycle.core import guards as g
from jcm.cycle.core.machine import CycleContext, Machine, Result, Transition, permission_rows
from jcm.cycle.core.rulesets import RuleSet
from jcm.cycle.core.states import ChangeRequestState, IssuanceState, MethodologyState, ProjectState, State

PP, FP, TPE = Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT, Role.TPE
JC, SEC = Role.JC_MEMBER, Role.JC_SECRETARIAT
PARTICIPANTS = frozenset({PP, FP})
FOCAL = frozenset({FP})
# Anyone may propose a methodology: participants, consultants (who act as participants here) and,
# in practice, the governments or the JC (jcm-rules.md §1.5).
PROPONENTS = frozenset({PP, FP, JC})
SECRETARIAT = frozenset({SEC})
JOINT_COMMITTEE = frozenset({JC})
TPES = frozenset({TPE})
TPE_OR_SECRETARIAT = frozenset({TPE, SEC})


def _t(action: str, sources: set[State] | State, target: State, roles: frozenset[Role], **kw: object) -> Transition:
    froms = frozenset(sources) if isinstance(sources, set) else frozenset({sources})
    return Transition(action, froms, target, roles, **kw)  # type: ignore[arg-type]


M = MethodologyState
METHODOLOGY = Machine(
    name="methodology",
    states=MethodologyState,
    initial=(M.DRAFT,),
    transitions=(
        _t("submit", M.DRAFT, M.COMPLETENESS_CHECK, PROPONENTS, step="methodology.submit",
           opens="methodology_completeness_check", summary="submit F_PM and F_PMS to the secretariat"),
        _t("resubmit", M.INCOMPLETE, M.COMPLETENESS_CHECK, PROPONENTS, step="methodology.submit",
           opens="methodology_completeness_check", summary="resubmit after an incomplete check (a new submission)"),
        _t("mark_complete", M.COMPLETENESS_CHECK, M.PUBLIC_INPUT, SECRETARIAT,
           opens="methodology_public_input", summary="complete: publish for public input"),
        _t("mark_incomplete", M.COMPLETENESS_CHECK, M.INCOMPLETE, SECRETARIAT, guards=(g.reason_given,),
           summary="incomplete: return to the proponent with reasons"),
        _t("close_public_input", M.PUBLIC_INPUT, M.JC_CONSIDERATION, SECRETARIAT, guards=(g.window_closed,),
           opens="methodology_jc_consideration", summary="close the window; forward inputs to the JC"),
        _t("extend_consideration", M.JC_CONSIDERATION, M.JC_CONSIDERATION, JOINT_COMMITTEE,
           guards=(g.can_extend_consideration,), opens="methodology_jc_consideration", extends_window=True,
           summary="extend the consideration (60 to 90 days)"),
        _t("approve", M.JC_CONSIDERATION, M.APPROVED, JOINT_COMMITTEE, decision=True,
           summary="approve as <CC>_AM<nnn>"),
        _t("approve_with_revisions", M.JC_CONSIDERATION, M.APPROVED, JOINT_COMMITTEE, decision=True,
           summary="approve with revisions"),
        _t("not_approve", M.JC_CONSIDERATION, M.NOT_APPROVED, JOINT_COMMITTEE, decision=True,
           guards=(g.reason_given,), summary="do not approve"),
        _t("withdraw", {M.DRAFT, M.COMPLETENESS_CHECK, M.INCOMPLETE, M.PUBLIC_INPUT, M.JC_CONSIDERATION},
           M.WITHDRAWN, PROPONENTS, summary="the proponent withdraws the proposal"),
        _t("request_revision", M.APPROVED, M.APPROVED, PROPONENTS, step="methodology.request_revision",
           summary="F_AMR_Req: starts a new version (next major verNN.0) in draft"),
        _t("supersede", M.APPROVED, M.SUPERSEDED, SECRETARIAT, guards=(g.successor_approved,),
           summary="a later version was approved"),
    ),
)

P = ProjectState
PRE_REGISTRATION: set[State] = {
    P.DRAFT, P.PIN_SUBMITTED, P.PIN_NO_OBJECTION, P.PIN_OBJECTION, P.PDD_DRAFT, P.PDD_PUBLIC_INPUT,
    P.VALIDATION, P.NEGATIVE_VALIDATION, P.VALIDATED,
}
PROJECT = Machine(
    name="project",
    states=ProjectState,
    initial=(P.DRAFT,),
    transitions=(
        _t("submit_pin", P.DRAFT, P.PIN_SUBMITTED, PARTICIPANTS, feature="pin_no_objection",
           step="project.submit_pin", opens="pin_jc_consideration", summary="submit the PIN (<CC>_PIN<nnn>)"),
        _t("no_objection", P.PIN_SUBMITTED, P.PIN_NO_OBJECTION, JOINT_COMMITTEE, decision=True,
           summary="JC decision of no objection to the planned project"),
        _t("object", P.PIN_SUBMITTED, P.PIN_OBJECTION, JOINT_COMMITTEE, decision=True, guards=(g.reason_given,),
           summary="JC objects to the planned project"),
        _t("prepare_pdd", P.DRAFT, P.PDD_DRAFT, PARTICIPANTS, guards=(g.pin_not_required,),
           summary="start the PDD (legacy: no PIN)"),
        _t("prepare_pdd", P.PIN_NO_OBJECTION, P.PDD_DRAFT, PARTICIPANTS,
           summary="start the PDD after the no-objection"),
        _t("request_reference_emissions_assessment", P.PDD_DRAFT, P.PDD_DRAFT, PARTICIPANTS,
           feature="reference_emissions_assessment", step="project.request_reference_emissions_assessment",
           summary="F_Asst_Req"),
        _t("publish_pdd", P.PDD_DRAFT, P.PDD_PUBLIC_INPUT, TPE_OR_SECRETARIAT, step="project.publish_pdd",
           guards=(g.tpe_eligible_for_validation,), opens="pdd_public_input",
           summary="post the PDD for public input"),
        _t("close_pdd_public_input", P.PDD_PUBLIC_INPUT, P.VALIDATION, TPE_OR_SECRETARIAT,
           guards=(g.window_closed,), opens="validation", summary="close the window; inputs go to the TPE"),
        _t("validate_positive", P.VALIDATION, P.VALIDATED, TPES, step="project.validate_positive",
           guards=(g.tpe_eligible_for_validation,), summary="positive validation opinion"),
        _t("validate_negative", P.VALIDATION, P.NEGATIVE_VALIDATION, TPES,
           guards=(g.tpe_eligible_for_validation, g.reason_given), summary="negative validation opinion"),
        _t("revise_pdd", P.NEGATIVE_VALIDATION, P.PDD_DRAFT, PARTICIPANTS, summary="revise and restart"),
        _t("request_registration", P.VALIDATED, P.REGISTRATION_COMPLETENESS_CHECK, FOCAL,
           step="project.request_registration",
           guards=(g.attested, g.allocation_if_required, g.crediting_period_valid),
           opens="registration_completeness_check", summary="F_Reg_Req by the focal point"),
        _t("mark_registration_complete", P.REGISTRATION_COMPLETENESS_CHECK, P.JC_REGISTRATION_CONSIDERATION,
           SECRETARIAT, opens="registration_jc_consideration", summary="complete: forward to the JC"),
        _t("mark_registration_incomplete", P.REGISTRATION_COMPLETENESS_CHECK, P.VALIDATED, SECRETARIAT,
           guards=(g.reason_given,), summary="incomplete: returned with reasons"),
        _t("register", P.JC_REGISTRATION_CONSIDERATION, P.REGISTERED, JOINT_COMMITTEE, decision=True,
           guards=(g.hits_explained, g.crediting_period_valid), summary="register as <CC><nnn>"),
        _t("reject_registration", P.JC_REGISTRATION_CONSIDERATION, P.REJECTED, JOINT_COMMITTEE, decision=True,
           guards=(g.reason_given,), summary="reject the registration"),
        _t("withdraw_registration_request", {P.REGISTRATION_COMPLETENESS_CHECK, P.JC_REGISTRATION_CONSIDERATION},
           P.VALIDATED, FOCAL, step="project.withdraw_registration_request", summary="F_RW_Req"),
        _t("withdraw", PRE_REGISTRATION, P.WITHDRAWN, PARTICIPANTS, summary="abandon before registration"),
        _t("submit_implementation_report", P.REGISTERED, P.REGISTERED, PARTICIPANTS, feature="implementation_report",
           step="project.submit_implementation_report", summary="F_Imp_Rep"),
        _t("end_crediting", P.REGISTERED, P.CREDITING_ENDED, SECRETARIAT, guards=(g.crediting_period_over,),
           summary="the crediting period is over"),
        _t("renew_crediting_period", {P.REGISTERED, P.CREDITING_ENDED}, P.REGISTERED, JOINT_COMMITTEE,
           feature="crediting_period_renewal", decision=True, guards=(g.renewal_period_valid,),
           summary="apply the JC's approval of a renewal request"),
        _t("withdraw_project", {P.REGISTERED, P.CREDITING_ENDED}, P.WITHDRAWN, FOCAL,
           step="project.withdraw_project", summary="F_PW_Req; no further issuance"),
    ),
)

I = IssuanceState  # noqa: E741
ISSUANCE = Machine(
    name="issuance",
    states=IssuanceState,
    initial=(I.MR_DRAFT,),
    transitions=(
        _t("submit_for_verification", I.MR_DRAFT, I.VERIFICATION, PARTICIPANTS,
           step="issuance.submit_for_verification", guards=(g.monitoring_period_valid, g.claimed_given),
           summary="monitoring report to the TPE"),
        _t("return_for_correction", I.VERIFICATION, I.MR_DRAFT, TPES, guards=(g.reason_given,),
           summary="findings to correct"),
        _t("verify", I.VERIFICATION, I.VERIFIED, TPES, step="issuance.verify",
           guards=(g.tpe_eligible_for_verification, g.verified_within_claimed),
           summary="verification report; verified amount may be lower"),
        _t("request_issuance", I.VERIFIED, I.ISSUANCE_COMPLETENESS_CHECK, FOCAL, step="issuance.request_issuance",
           guards=(g.project_live, g.attested, g.request_within_verified, g.allocation_valid),
           opens="issuance_completeness_check", summary="F_Iss_Req with the allocation"),
        _t("mark_issuance_complete", I.ISSUANCE_COMPLETENESS_CHECK, I.JC_ISSUANCE_CONSIDERATION, SECRETARIAT,
           opens="issuance_jc_consideration", summary="complete: forward to the JC"),
        _t("mark_issuance_incomplete", I.ISSUANCE_COMPLETENESS_CHECK, I.VERIFIED, SECRETARIAT,
           guards=(g.reason_given,), summary="incomplete: returned with reasons"),
        _t("notify_issuance", I.JC_ISSUANCE_CONSIDERATION, I.NOTIFIED, JOINT_COMMITTEE, decision=True,
           guards=(g.project_live, g.hits_explained, g.notification_within_request),
           summary="notify each side of its quantity"),
        _t("reject_issuance", I.JC_ISSUANCE_CONSIDERATION, I.ISSUANCE_REJECTED, JOINT_COMMITTEE, decision=True,
           guards=(g.reason_given,), summary="reject the issuance request"),
        _t("withdraw_issuance_request", {I.ISSUANCE_COMPLETENESS_CHECK, I.JC_ISSUANCE_CONSIDERATION}, I.VERIFIED,
           FOCAL, step="issuance.withdraw_issuance_request", summary="F_IW_Req"),
        _t("record_issuance_japan", I.NOTIFIED, I.ISSUED_JAPAN, frozenset({Role.REGISTRY_MANAGER_JAPAN}),
           summary="Japan's registry issued its quantity"),
        _t("record_issuance_japan", I.ISSUED_PARTNER, I.ISSUED, frozenset({Role.REGISTRY_MANAGER_JAPAN}),
           summary="Japan's registry issued its quantity (partner already did)"),
        _t("record_issuance_partner", I.NOTIFIED, I.ISSUED_PARTNER, frozenset({Role.REGISTRY_MANAGER_PARTNER}),
           summary="the partner's registry issued its quantity"),
        _t("record_issuance_partner", I.ISSUED_JAPAN, I.ISSUED, frozenset({Role.REGISTRY_MANAGER_PARTNER}),
           summary="the partner's registry issued its quantity (Japan already did)"),
        _t("withdraw", {I.MR_DRAFT, I.VERIFICATION, I.VERIFIED}, I.WITHDRAWN, PARTICIPANTS,
           summary="abandon the monitoring report (frees its period)"),
    ),
)

C = ChangeRequestState
CHANGE_REQUEST = Machine(
    name="change_request",
    states=ChangeRequestState,
    initial=(C.DRAFT,),
    transitions=(
        _t("submit", C.DRAFT, C.SUBMITTED, PARTICIPANTS, guards=(g.change_submission,),
           opens=g.change_check_window, summary="F_PRC_Req / new MoC or Annex 1 / F_Ren_Req"),
        _t("resubmit", C.RETURNED, C.SUBMITTED, PARTICIPANTS, guards=(g.change_submission,),
           opens=g.change_check_window, summary="resubmit after an incomplete check"),
        _t("mark_complete", C.SUBMITTED, C.JC_CONSIDERATION, SECRETARIAT, guards=(g.goes_to_jc,),
           opens=g.change_jc_window, summary="complete: forward to the JC"),
        _t("mark_incomplete", C.SUBMITTED, C.RETURNED, SECRETARIAT, guards=(g.reason_given,),
           summary="incomplete: returned with reasons"),
        _t("accept", C.SUBMITTED, C.APPROVED, SECRETARIAT, guards=(g.accepted_by_secretariat,),
           summary="the secretariat accepts an MoC change (where the rule set says so)"),
        _t("approve", C.JC_CONSIDERATION, C.APPROVED, JOINT_COMMITTEE, decision=True, guards=(g.change_approval,),
           summary="JC approves"),
        _t("reject", C.JC_CONSIDERATION, C.REJECTED, JOINT_COMMITTEE, decision=True, guards=(g.reason_given,),
           summary="JC rejects"),
        _t("withdraw", {C.DRAFT, C.SUBMITTED, C.RETURNED, C.JC_CONSIDERATION}, C.WITHDRAWN, PARTICIPANTS,
           summary="withdraw the request"),
    ),
)

MACHINES: tuple[Machine, ...] = (METHODOLOGY, PROJECT, ISSUANCE, CHANGE_REQUEST)
_BY_STATES: dict[type, Machine] = {m.states: m for m in MACHINES}


def machine_for(state: State) -> Machine:
    """The machine whose states include ``state``."""
    return _BY_STATES[type(state)]


def apply(state: State, action: str, role: Role, context: CycleContext) -> Result:
    """Take ``action`` as ``role`` from ``state``: :class:`Moved` with the new state, or :class:`Refused` with the reason."""
    return machine_for(state).apply(state, action, role, context)


def offered_actions(state: State, role: Role, rule_set: RuleSet) -> tuple[str, ...]:
    """The actions to offer ``role`` on an object in ``state`` under ``rule_set`` (guards not yet run)."""
    return machine_for(state).offered(state, role, rule_set)


def permission_matrix() -> dict[str, dict[str, dict[str, bool]]]:
    """``{machine: {action: {role: allowed}}}`` for every machine, action and role (derived from the tables)."""
    return permission_rows(MACHINES)


def permission_matrix_markdown() -> str:
    """The permission matrix as Markdown tables, one per machine (docs/cycle.md embeds this text)."""
    abbreviations = {
        Role.PROJECT_PARTICIPANT: "PP", Role.FOCAL_POINT: "FP", Role.TPE: "TPE", Role.JC_MEMBER: "JC",
        Role.JC_SECRETARIAT: "SEC", Role.REGISTRY_MANAGER_JAPAN: "RM-JP", Role.REGISTRY_MANAGER_PARTNER: "RM-P",
        Role.PROGRAMME_MANAGER: "PM", Role.PLATFORM_ADMIN: "ADM",
    }
    lines: list[str] = []
    for machine in MACHINES:
        lines.append(f"#### {machine.name}")
        lines.append("")
        lines.append("| action | " + " | ".join(abbreviations[r] for r in Role) + " |")
        lines.append("|---|" + "---|" * len(Role))
        for action in machine.actions:
            roles = machine.roles_for(action)
            lines.append(f"| {action} | " + " | ".join("✔" if r in roles else "·" for r in Role) + " |")
        lines.append("")
    return "\n".join(lines)
