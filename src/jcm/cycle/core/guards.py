"""Guard functions: each takes the context and returns a refusal reason, or None."""

from __future__ import annotations

from jcm.cycle.core.credits import (
    allocation_problems,
    issuance_request_refusal,
    notification_refusal,
    verification_refusal,
)
from jcm.cycle.core.machine import CycleContext, Guard, documents_refusal
from jcm.cycle.core.messages import N_, Message
from jcm.cycle.core.periods import crediting_period_problems, monitoring_period_problems
from jcm.cycle.core.states import ChangeKind, ProjectState
from jcm.cycle.core.tpe import TpeFunction, function_word, tpe_refusal

LIVE_PROJECT = frozenset({ProjectState.REGISTERED, ProjectState.CREDITING_ENDED})


def reason_given(context: CycleContext) -> str | None:
    if not context.reason.strip():
        return Message(N_("give the reasons (they are sent to the submitter and kept with the record)"))
    return None


def window_closed(context: CycleContext) -> str | None:
    closes = context.window_closes_at
    if closes is None:
        return Message(N_("the public-input window has no recorded closing time"))
    if context.now < closes:
        return Message(N_("the public-input window is open until %(closes_at)s"), closes_at=closes.isoformat())
    return None


def can_extend_consideration(context: CycleContext) -> str | None:
    rule = context.rule_set.deadline("methodology_jc_consideration")
    if rule.extendable_to is None:
        return Message(N_("rule set %(rule_set)s does not allow extending the JC consideration"), rule_set=context.rule_set.id)
    if context.consideration_extended:
        return Message(N_("the JC consideration has already been extended to %(days)s days"), days=rule.extendable_to)
    return None


def successor_approved(context: CycleContext) -> str | None:
    if not context.successor_approved:
        return Message(N_("a version is superseded only once a later version is approved"))
    return None


def pin_not_required(context: CycleContext) -> str | None:
    if context.rule_set.has("pin_no_objection"):
        return Message(N_("rule set %(rule_set)s requires a PIN with the JC's no-objection before the PDD"),
                       rule_set=context.rule_set.id)
    return None


def _tpe(function: TpeFunction) -> Guard:
    def guard(context: CycleContext) -> str | None:
        if context.tpe_id is None:
            return Message(N_("no TPE is assigned for %(function)s"), function=function_word(function))
        on = context.now.astimezone(context.rule_set.calendar.zone).date()
        return tpe_refusal(
            context.tpe_designations,
            tpe_id=context.tpe_id,
            partner_code=context.partner_code,
            function=function,
            scopes=context.sectoral_scopes,
            on=on,
        )

    guard.__name__ = f"tpe_eligible_for_{function.value}"
    return guard


tpe_eligible_for_validation = _tpe(TpeFunction.VALIDATION)
tpe_eligible_for_verification = _tpe(TpeFunction.VERIFICATION)


def attested(context: CycleContext) -> str | None:
    if not context.attested_no_other_mechanism:
        return Message(N_("the participants have not attested that the project is registered in no other mechanism"))
    return None


def hits_explained(context: CycleContext) -> str | None:
    hits = context.double_registration_hits
    if hits and not context.hits_explained:
        return Message(N_("possible double registration not yet explained: %(hits)s"),
                       hits=Message.joined(h.explanation for h in hits))
    return None


def allocation_valid(context: CycleContext) -> str | None:
    if context.allocation is None:
        return Message(N_("give the percentage of credit allocation (each participant, each side)"))
    problems = allocation_problems(
        context.allocation,
        participants=context.participants,
        requires_both_sides=context.rule_set.parameters.allocation_requires_both_sides.value,
    )
    return Message.joined(problems) if problems else None


def allocation_if_required(context: CycleContext) -> str | None:
    if not context.rule_set.has("credit_allocation_form"):
        return None if context.allocation is None else allocation_valid(context)
    return allocation_valid(context)


def crediting_period_valid(context: CycleContext) -> str | None:
    if context.crediting_period is None:
        return Message(N_("give the crediting period"))
    p = context.rule_set.parameters
    problems = crediting_period_problems(
        context.crediting_period,
        operation_started_on=context.operation_started_on,
        eligible_operation_start_from=p.eligible_operation_start_from.value,
        latest_end=p.crediting_period_latest_end.value,
        max_years=p.crediting_period_max_years.value,
    )
    return Message.joined(problems) if problems else None


def crediting_period_over(context: CycleContext) -> str | None:
    if context.crediting_period is None:
        return Message(N_("the project has no crediting period"))
    today = context.now.astimezone(context.rule_set.calendar.zone).date()
    if today < context.crediting_period.end:
        return Message(N_("the crediting period %(period)s has not ended"), period=str(context.crediting_period))
    return None


def renewal_allowed(context: CycleContext) -> str | None:
    p = context.rule_set.parameters
    if not context.rule_set.has("crediting_period_renewal"):
        return Message(N_("rule set %(rule_set)s has no renewal of the crediting period"), rule_set=context.rule_set.id)
    limit = p.crediting_period_max_renewals.value
    if limit is not None and context.renewals_used >= limit:
        return Message(N_("the crediting period has been renewed %(used)s times; the rule set allows %(limit)s"),
                       used=context.renewals_used, limit=limit)
    return None


def renewal_period_valid(context: CycleContext) -> str | None:
    if (refusal := renewal_allowed(context)) is not None:
        return refusal
    new, old = context.new_crediting_period, context.crediting_period
    if new is None or old is None:
        return Message(N_("give the current and the renewed crediting period"))
    if new.start != old.end:
        return Message(N_("the renewed crediting period must start when the current one ends (%(end)s), not %(start)s"),
                       end=old.end.isoformat(), start=new.start.isoformat())
    p = context.rule_set.parameters
    problems = crediting_period_problems(
        new,
        operation_started_on=None,
        eligible_operation_start_from=None,
        latest_end=p.crediting_period_latest_end.value,
        max_years=p.crediting_period_max_years.value,
    )
    return Message.joined(problems) if problems else None


def project_live(context: CycleContext) -> str | None:
    if context.project_state not in LIVE_PROJECT:
        state = context.project_state.value if context.project_state else "unknown"
        return Message(N_("the project is not registered (its state is %(state)s)"), state=state)
    return None


def project_registered(context: CycleContext) -> str | None:
    if context.project_state is not ProjectState.REGISTERED:
        state = context.project_state.value if context.project_state else "unknown"
        return Message(N_("the project must be registered and crediting (its state is %(state)s)"), state=state)
    return None


def monitoring_period_valid(context: CycleContext) -> str | None:
    if context.monitoring_period is None:
        return Message(N_("give the monitoring period"))
    problems = monitoring_period_problems(
        context.monitoring_period,
        others=context.other_monitoring_periods,
        crediting_period=context.crediting_period,
        operation_started_on=context.operation_started_on,
        in_sequence=context.rule_set.parameters.monitoring_periods_in_sequence.value,
    )
    return Message.joined(problems) if problems else None


def claimed_given(context: CycleContext) -> str | None:
    if context.claimed is None:
        return Message(N_("give the emission reductions claimed in the monitoring report"))
    return verification_refusal(claimed=context.claimed, verified=0)


def verified_within_claimed(context: CycleContext) -> str | None:
    if context.claimed is None or context.verified is None:
        return Message(N_("give the claimed and the verified amounts"))
    return verification_refusal(claimed=context.claimed, verified=context.verified)


def request_within_verified(context: CycleContext) -> str | None:
    if context.verified is None or context.requested is None:
        return Message(N_("give the verified and the requested amounts"))
    return issuance_request_refusal(
        verified=context.verified, requested=context.requested, already_requested=context.already_requested
    )


def notification_within_request(context: CycleContext) -> str | None:
    values = (context.verified, context.requested, context.notified_japan, context.notified_partner)
    if any(v is None for v in values):
        return Message(N_("give the verified and requested amounts and the quantity notified to each side"))
    assert context.verified is not None and context.requested is not None
    assert context.notified_japan is not None and context.notified_partner is not None
    return notification_refusal(
        verified=context.verified,
        requested=context.requested,
        japan=context.notified_japan,
        partner=context.notified_partner,
    )


# --- change requests --------------------------------------------------------------------------


def change_kind_given(context: CycleContext) -> str | None:
    if context.change_kind is None:
        return Message(N_("say what the request changes (post-registration change, MoC change or renewal)"))
    return None


def change_submission(context: CycleContext) -> str | None:
    """Kind-specific checks of a change request: project registered, forms, renewal rules."""
    if (refusal := change_kind_given(context)) is not None:
        return refusal
    assert context.change_kind is not None
    if (refusal := project_live(context)) is not None:
        return refusal
    if context.change_kind is ChangeKind.RENEWAL:
        if (refusal := renewal_allowed(context)) is not None:
            return refusal
        if (refusal := project_registered(context)) is not None:
            return Message(N_("a renewal is requested before the crediting period ends; %(reason)s"), reason=refusal)
        if context.crediting_period is not None:
            today = context.now.astimezone(context.rule_set.calendar.zone).date()
            if today >= context.crediting_period.end:
                return Message(N_("a renewal is requested before the crediting period ends (%(end)s)"),
                               end=context.crediting_period.end.isoformat())
    return documents_refusal(context.rule_set, f"{context.change_kind.value}.submit", context)


def _moc_by_secretariat(context: CycleContext) -> bool:
    return (
        context.change_kind is ChangeKind.MOC_CHANGE
        and context.rule_set.parameters.moc_change_accepted_by.value == "secretariat"
    )


def goes_to_jc(context: CycleContext) -> str | None:
    if (refusal := change_kind_given(context)) is not None:
        return refusal
    if _moc_by_secretariat(context):
        return Message(N_("under rule set %(rule_set)s the secretariat accepts MoC changes itself (accept)"),
                       rule_set=context.rule_set.id)
    return None


def accepted_by_secretariat(context: CycleContext) -> str | None:
    if (refusal := change_kind_given(context)) is not None:
        return refusal
    if not _moc_by_secretariat(context):
        return Message(N_("under rule set %(rule_set)s this request is decided by the JC"), rule_set=context.rule_set.id)
    return None


def change_approval(context: CycleContext) -> str | None:
    if (refusal := change_kind_given(context)) is not None:
        return refusal
    if context.change_kind is ChangeKind.RENEWAL:
        return renewal_period_valid(context)
    return None


_CHECK_WINDOWS = {
    ChangeKind.POST_REGISTRATION_CHANGE: "post_registration_change_completeness_check",
    ChangeKind.MOC_CHANGE: "moc_change_acceptance",
    ChangeKind.RENEWAL: "renewal_completeness_check",
}
_JC_WINDOWS = {
    ChangeKind.POST_REGISTRATION_CHANGE: "post_registration_change_jc_consideration",
    ChangeKind.MOC_CHANGE: None,
    ChangeKind.RENEWAL: "renewal_jc_consideration",
}


def change_check_window(context: CycleContext) -> str | None:
    return None if context.change_kind is None else _CHECK_WINDOWS[context.change_kind]


def change_jc_window(context: CycleContext) -> str | None:
    return None if context.change_kind is None else _JC_WINDOWS[context.change_kind]
