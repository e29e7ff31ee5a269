"""Executing the JC's notifications: each side's registry records the notification in its inbox
(``jcm.registry.services.record_jc_notification``) and issues against it (``...services.issue``), once.

The idempotency key of a notification is fixed when the JC decides (``cycle-issue-<request>-<side>``):
re-running replays the registry's stored result instead of issuing again, so a notification is never
executed twice; one that failed keeps its error and is retried by the next run (or by
``run_deadlines``). When both sides have issued, the participants are e-mailed once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.core.roles import Role
from jcm.cycle.errors import CycleError
from jcm.cycle.models import JcNotification, MonitoringReport, Project
from jcm.cycle.services.common import Acting, acting_as, lock, system_actor, take_step

ROLE_OF_SIDE = {"japan": Role.REGISTRY_MANAGER_JAPAN, "partner": Role.REGISTRY_MANAGER_PARTNER}
ACTION_OF_SIDE = {"japan": "record_issuance_japan", "partner": "record_issuance_partner"}


@dataclass(frozen=True, slots=True)
class Execution:
    notification: int
    side: str
    status: str  # issued | failed | already
    quantity: int
    replayed: bool = False
    error: str = ""


def execute_notifications(*, now: datetime.datetime, report: MonitoringReport | int | None = None,
                          actor: Any = None) -> list[Execution]:
    """Issue every pending or failed notification (of ``report``, or of the whole platform).

    Safe to run again at any time. ``actor`` (optional) is a registry manager acting for their side;
    None executes as the system."""
    qs = JcNotification.objects.exclude(status=JcNotification.Status.ISSUED).order_by("pk")
    if report is not None:
        qs = qs.filter(request__report_id=report if isinstance(report, int) else report.pk)
    out = []
    for n in list(qs):
        out.append(execute_notification(notification=n.pk, now=now, actor=actor))
    return out


def check_executor(actor: Any, notification: JcNotification, project: Project) -> Acting:
    """The actor may execute this side: they hold its registry manager role in the project's pair and
    manage the registry the notification names. CycleError (role or registry, ``relation``) otherwise."""
    from jcm.registry.models import Registry
    from jcm.registry.permissions import manages

    role = ROLE_OF_SIDE[notification.side]
    acting = acting_as(actor, project.pair, {role}, role=role)
    registry = Registry.objects.filter(code=notification.registry_code).first()
    if registry is None or not manages(actor, registry):
        raise CycleError("registry", _("you do not manage the registry %(code)s of this side")
                         % {"code": notification.registry_code or "-"}, "relation")
    return acting


def execute_notification(*, notification: int, now: datetime.datetime, actor: Any = None) -> Execution:
    """Execute one side of a JC notification: its registry issues, then the report records it.

    With ``actor``, the actor is checked first (registry manager of that side, of that registry): a
    refusal raises CycleError before the registry is asked and writes nothing. A registry error marks
    the notification failed (to retry) and is returned, not raised."""
    from jcm.registry.core.errors import NotificationConsumed
    from jcm.registry.queries import jc_notification
    from jcm.registry.services import issue, record_jc_notification

    n = JcNotification.objects.select_related("request__report__project__pair__partner", "decision").get(
        pk=notification)
    if n.status == JcNotification.Status.ISSUED:
        return Execution(n.pk, n.side, "already", n.quantity)
    r = n.request.report
    p = r.project
    role = ROLE_OF_SIDE[n.side]
    if actor is not None:
        check_executor(actor, n, p)
    result = None
    serials: list[list[int]] = []
    issuance_reference = ""
    if n.quantity > 0:
        # The registry's record of this JC notification (its inbox; reference = the notification's key),
        # then the issuance that executes it, in one transaction: exactly the notified quantity, once.
        reference = f"{p.project_id or p.key}-MR{r.number:02d}-{n.registry_code}"
        try:
            with transaction.atomic():
                inbox = jc_notification(n.idempotency_key)
                if inbox is None:
                    record_jc_notification(
                        idempotency_key=f"{n.idempotency_key}-notice", registry=n.registry_code,
                        reference=n.idempotency_key, decision=n.decision.number, project=p.project_id or p.key,
                        monitoring_period=r.period_label, vintage=(r.period_end - datetime.timedelta(days=1)).year,
                        approach=f"JCM_JP_{p.pair.partner.code}", quantity=n.quantity,
                        allocation=[tuple(a) for a in n.allocation], actor=actor, now=now,
                    )
                try:
                    result = issue(idempotency_key=n.idempotency_key, registry=n.registry_code,
                                   notification=n.idempotency_key, reference=reference, actor=actor, now=now)
                    serials, issuance_reference = result.ranges, result.details.get("issuance", "")
                except NotificationConsumed:  # executed before under another actor's key: take its result
                    if inbox is None or not inbox.issuance:
                        raise
                    serials, issuance_reference = inbox.serials, inbox.issuance
        except Exception as exc:
            JcNotification.objects.filter(pk=n.pk).update(
                status=JcNotification.Status.FAILED, attempts=n.attempts + 1, last_error=str(exc)[:2000])
            return Execution(n.pk, n.side, "failed", n.quantity, error=str(exc))
    with transaction.atomic():
        n = lock(JcNotification, n.pk)
        if n.status == JcNotification.Status.ISSUED:
            return Execution(n.pk, n.side, "already", n.quantity)
        report = lock(MonitoringReport, r.pk)
        project = Project.objects.select_related("pair__partner").get(pk=report.project_id)
        acting = acting_as(actor, project.pair, {role}, role=role) if actor is not None else system_actor(role)
        take_step(obj=report, subject={"monitoring_report": report}, pair=project.pair,
                  action=ACTION_OF_SIDE[n.side], acting=acting, now=now,
                  context={"notified_japan": None, "notified_partner": None},
                  details={"notification": n.pk, "quantity": n.quantity,
                           "serials": serials, "replayed": bool(result and result.replayed)})
        n.status, n.attempts, n.last_error = JcNotification.Status.ISSUED, n.attempts + 1, ""
        n.issued_at = now
        n.serials = serials
        n.issuance_reference = issuance_reference
        n.save(update_fields=["status", "attempts", "last_error", "issued_at", "serials", "issuance_reference"])
        done = report.state == "issued"
    if done:
        from jcm.cycle.notifications import notify_issued

        notify_issued(report_id=report.pk, now=now)
    return Execution(n.pk, n.side, "issued", n.quantity, replayed=bool(result and result.replayed))


__all__ = ["CycleError", "Execution", "execute_notification", "execute_notifications"]
