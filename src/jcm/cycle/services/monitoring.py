"""Monitoring to issuance: the monitoring report (reductions computed by the MRV engine), verification,
the issuance request, completeness check and the JC's notification to each side (jcm-rules.md §2.5)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jcm.cycle.core.messages import Message
from jcm.cycle.core.periods import Period, monitoring_period_problems
from jcm.cycle.core.states import IssuanceState, ProjectState
from jcm.cycle.core.transitions import ISSUANCE
from jcm.cycle.errors import CycleError
from jcm.cycle.models import IssuanceRequest, JcDecision, JcNotification, MonitoringReport, Project, Verification
from jcm.cycle.services.allocation import current_allocation_row, side_allocation, split_by_side
from jcm.cycle.services.common import DecisionInput, acting_as, forms_of, lock, rule_set_of, take_step, translations_of
from jcm.cycle.services.facts import crediting_period, project_facts
from jcm.cycle.services.relations import PARTICIPANT_ROLES, check_relation
from jcm.registry.models import Registry

TPE_ACTIONS = frozenset({"verify", "return_for_correction"})
LIVE = frozenset({s.value for s in IssuanceState} - {IssuanceState.WITHDRAWN.value})


def _other_periods(report: MonitoringReport | None, project: Project) -> tuple[Period, ...]:
    qs = MonitoringReport.objects.filter(project=project, state__in=LIVE)
    if report is not None:
        qs = qs.exclude(pk=report.pk)
    return tuple(Period(r.period_start, r.period_end) for r in qs)


def _offset(rule_zone: Any, day: datetime.date) -> str:
    off = datetime.datetime(day.year, day.month, day.day, tzinfo=rule_zone).strftime("%z")
    return f"{off[:3]}:{off[3:]}"


def create_monitoring_report(
    *, actor: Any, project: Project | int, period_start: datetime.date, period_end: datetime.date,
    now: datetime.datetime, parameters: Mapping[str, Any] | None = None, parameters_file: Path | None = None,
    meter_files: Sequence[Path] | None = None, monitored: Mapping[str, Any] | None = None,
    workbook: Path | None = None, tz: str | None = None, claimed: int | None = None,
) -> MonitoringReport:
    """A participant prepares the monitoring report for ``[period_start, period_end)``; the MRV engine
    computes RE/PE/ER from the meter data or spreadsheet and the parameters (stored as a Calculation).

    The claimed amount defaults to the computed ER. Raises CycleError: role / project (relation),
    period (overlap, outside the crediting period, before operation), methodology (no executable
    methodology), and the MRV engine's MrvError for bad monitoring data — nothing is stored then."""
    from jcm.mrv.services import run_calculation, run_workbook_check

    if period_end <= period_start:
        raise CycleError("period", _("a monitoring period ends after it starts (the end is exclusive)"))
    with transaction.atomic():
        p: Project = lock(Project, project if isinstance(project, int) else project.pk)
        acting = acting_as(actor, p.pair, PARTICIPANT_ROLES)
        if acting.role not in PARTICIPANT_ROLES:
            raise CycleError("role", _("only the project participants prepare monitoring reports"),
                             "role_not_allowed")
        check_relation(acting, p)
        if p.state in (ProjectState.WITHDRAWN.value, ProjectState.REJECTED.value):
            raise CycleError("project", _("%(p)s is %(s)s") % {"p": p, "s": p.state}, "wrong_state")
        rule_set = rule_set_of(p.pair, now)
        period = Period(period_start, period_end)
        problems = monitoring_period_problems(
            period, others=_other_periods(None, p), crediting_period=crediting_period(p),
            operation_started_on=p.operation_started_on,
            in_sequence=rule_set.parameters.monitoring_periods_in_sequence.value)
        if problems:
            raise CycleError("period", Message.joined(problems), "guard")
        label = f"{p.reference} {period}"
        if workbook is not None:
            calc = run_workbook_check(workbook=workbook, actor=actor, now=now, label=label)
        else:
            if not p.mrv_methodology_id:
                raise CycleError("methodology", _("%(p)s has no executable MRV methodology") % {"p": p})
            zone = rule_set.calendar.zone
            offset = tz or _offset(zone, period_start)
            text = f"{period_start.isoformat()}T00:00{offset}/{period_end.isoformat()}T00:00{offset}"
            calc = run_calculation(
                jcm_id=p.mrv_methodology_id, meter_files=meter_files, parameters_file=parameters_file,
                parameters=parameters, periods=[text], monitored=[monitored] if monitored is not None else None,
                actor=actor, now=now, label=label,
            )
        number = (MonitoringReport.objects.filter(project=p).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
        er = max(calc.er_total, 0)
        r = MonitoringReport.objects.create(
            project=p, number=number, period_start=period_start, period_end=period_end, calculation=calc,
            reference_emissions=calc.re_total, project_emissions=calc.pe_total, emission_reductions=calc.er_total,
            claimed=er if claimed is None else claimed, created_at=now, updated_at=now,
        )
        from jcm.audit.services import record_event

        record_event(action="cycle.issuance.create_report", target=r, at=now, actor=actor,
                     after={"period": str(period), "calculation": str(calc.public_id), "RE": calc.re_total,
                            "PE": calc.pe_total, "ER": calc.er_total, "claimed": r.claimed})
    return r


def _latest_verification(r: MonitoringReport) -> Verification | None:
    return r.verifications.filter(outcome="verified").order_by("-at", "-id").first()


def act_on_report(
    *, actor: Any, report: MonitoringReport | int, action: str, now: datetime.datetime, reason: str = "",
    decision: DecisionInput | None = None, role: str | None = None, verified: int | None = None,
    findings: Sequence[str] = (), requested: int | None = None, total: int | None = None,
) -> MonitoringReport:
    """Take ``action`` (an action of the issuance machine) on a monitoring report.

    ``verify`` takes ``verified`` (≤ claimed) and ``findings``; ``return_for_correction`` the findings
    as ``reason``; ``request_issuance`` takes ``requested`` (≤ verified) and applies the latest declared
    allocation; ``notify_issuance`` takes the decision and ``total`` (default: the requested amount),
    splits it by side and records one notification per side — then :func:`execute_notifications` issues.
    Raises CycleError naming the field; nothing is written then.
    """
    with transaction.atomic():
        r: MonitoringReport = lock(MonitoringReport, report if isinstance(report, int) else report.pk)
        p = Project.objects.select_related("pair__partner").get(pk=r.project_id)
        acting = acting_as(actor, p.pair, ISSUANCE.roles_for(action) if action in ISSUANCE.actions else (),
                           role=role)
        if action in ISSUANCE.actions and acting.role in ISSUANCE.roles_for(action):
            check_relation(acting, p, tpe_function="verification" if action in TPE_ACTIONS else None)
        rule_set = rule_set_of(p.pair, now)
        subject = {"monitoring_report": r}
        ctx = project_facts(p, rule_set, tpe_function="verification" if action in TPE_ACTIONS else None,
                            with_hits=action in ("request_issuance", "notify_issuance"))
        ctx |= {"forms_submitted": forms_of(subject), "translations_submitted": translations_of(subject),
                "monitoring_period": Period(r.period_start, r.period_end),
                "other_monitoring_periods": _other_periods(r, p), "claimed": r.claimed}
        last = _latest_verification(r)
        ctx["verified"] = verified if action == "verify" else (last.verified if last else None)
        open_request = r.issuance_requests.filter(status=IssuanceRequest.Status.OPEN).order_by("-id").first()
        details: dict[str, Any] = {}
        allocation = current_allocation_row(p)
        if action == "request_issuance":
            ctx["requested"] = requested
            ctx["already_requested"] = r.issuance_requests.filter(
                status=IssuanceRequest.Status.NOTIFIED).aggregate(s=Sum("requested"))["s"] or 0
            details["requested"] = requested
        if action == "notify_issuance" and open_request is not None:
            amount = open_request.requested if total is None else total
            sides = split_by_side(open_request.allocation, amount) if amount > 0 else {"japan": 0, "partner": 0}
            ctx |= {"requested": open_request.requested, "notified_japan": sides["japan"],
                    "notified_partner": sides["partner"]}
            details["notified"] = sides
        if action == "verify" or action == "return_for_correction":
            details["findings"] = list(findings) or ([reason] if reason else [])
        if action == "verify" and r.calculation_id:
            details["calculation_published"] = str(r.calculation.public_id)
        take_step(obj=r, subject=subject, pair=p.pair, action=action, acting=acting, now=now, context=ctx,
                  decision=decision, reason=reason, details=details)
        _after(action, r, p, acting, now, decision, details, open_request, allocation, verified, requested)
    return r


def _after(action: str, r: MonitoringReport, p: Project, acting: Any, now: datetime.datetime,
           decision: DecisionInput | None, details: dict[str, Any], open_request: IssuanceRequest | None,
           allocation: Any, verified: int | None, requested: int | None) -> None:
    tpe = None
    if action in TPE_ACTIONS:
        from jcm.cycle.services.relations import assigned_tpe

        assignment = assigned_tpe(p, "verification")
        tpe = assignment.tpe if assignment else None
    if action == "verify" and tpe is not None:
        Verification.objects.create(report=r, tpe=tpe, outcome="verified", verified=verified,
                                    findings=details["findings"], at=now, by=acting.user)
        if r.calculation_id:
            # A verified monitoring report's figures are public: so is the calculation behind them.
            from jcm.mrv.services import publish_for_verification

            publish_for_verification(calculation=r.calculation_id)
    elif action == "return_for_correction" and tpe is not None:
        Verification.objects.create(report=r, tpe=tpe, outcome="returned", findings=details["findings"], at=now,
                                    by=acting.user)
    elif action == "request_issuance":
        if allocation is None:
            raise CycleError("allocation", _("declare the percentage of credit allocation first"))
        IssuanceRequest.objects.create(report=r, requested=requested, allocation=allocation, submitted_at=now,
                                       submitted_by=acting.user)
    elif action in ("mark_issuance_incomplete", "withdraw_issuance_request", "reject_issuance") and open_request:
        open_request.status = {"mark_issuance_incomplete": "returned", "withdraw_issuance_request": "withdrawn",
                               "reject_issuance": "rejected"}[action]
        open_request.save(update_fields=["status"])
    elif action == "notify_issuance" and open_request is not None and decision is not None:
        _notify(r, p, open_request, decision, details["notified"])


def _notify(r: MonitoringReport, p: Project, request: IssuanceRequest, decision: DecisionInput,
            sides: dict[str, int]) -> None:
    row = JcDecision.objects.get(pair=p.pair, number=decision.number.strip())
    total = sides["japan"] + sides["partner"]
    for side in ("japan", "partner"):
        party = "JP" if side == "japan" else p.pair.partner.code
        registry = Registry.objects.filter(party=party).order_by("pk").first()
        if registry is None and sides[side] > 0:
            raise CycleError("registry", _("no registry of %(party)s on the platform") % {"party": party})
        JcNotification.objects.create(
            request=request, decision=row, side=side, registry_code=registry.code if registry else "",
            quantity=sides[side], total=total, allocation=side_allocation(request.allocation, side),
            idempotency_key=f"cycle-issue-{request.pk}-{side}",
        )
    request.status = IssuanceRequest.Status.NOTIFIED
    request.save(update_fields=["status"])
