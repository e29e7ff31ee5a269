"""The cycle's clock: close public-input windows whose time is up, flag overdue checks and JC
considerations, retry pending issuances, and tell each actor what awaits them.

``run_deadlines(now=...)`` is a plain function (the CLI calls it); ``run_deadlines_task`` is the same
as a Django task (``django.tasks``; the default immediate backend needs no broker). Re-running at the
same or a later instant changes nothing more than the first run did.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from jcm.accounts.core.roles import Role
from jcm.audit.core.periodic import run_every
from jcm.audit.services import record_event
from jcm.cycle.errors import CycleError
from jcm.cycle.models import MethodologyVersion, Project, Window
from jcm.cycle.services.common import lock, system_actor, take_step

CLOSE_ACTION = {"methodology_public_input": "close_public_input", "pdd_public_input": "close_pdd_public_input"}


@dataclass
class DeadlineRun:
    closed: list[str] = field(default_factory=list)  # windows closed (public input)
    flagged: list[str] = field(default_factory=list)  # overdue windows flagged
    issued: list[int] = field(default_factory=list)  # notifications executed
    failed: list[int] = field(default_factory=list)  # notifications still failing
    notices: int = 0  # e-mails sent
    problems: list[str] = field(default_factory=list)


def _close(window_id: int, now: datetime.datetime, run: DeadlineRun) -> None:
    with transaction.atomic():
        w = lock(Window, window_id)
        if w.closed_at is not None:
            return
        action = CLOSE_ACTION[w.key]
        if w.methodology_version_id:
            obj = lock(MethodologyVersion, w.methodology_version_id)
            pair, subject = obj.methodology.pair, {"methodology_version": obj}
        else:
            obj = lock(Project, w.project_id)
            pair, subject = obj.pair, {"project": obj}
        take_step(obj=obj, subject=subject, pair=pair, action=action, acting=system_actor(Role.JC_SECRETARIAT),
                  now=now, details={"closed_by": "clock"})
        run.closed.append(f"{w.key}:{obj}")


def _flag(window_id: int, now: datetime.datetime, run: DeadlineRun) -> None:
    with transaction.atomic():
        w = lock(Window, window_id)
        if w.closed_at is not None or w.overdue_flagged_at is not None:
            return
        w.overdue_flagged_at = now
        w.save(update_fields=["overdue_flagged_at"])
        record_event(action="cycle.deadline.overdue", target=w, at=now, actor=None,
                     after={"key": w.key, "closes_at": w.closes_at, "subject": str(w.subject)})
        run.flagged.append(f"{w.key}:{w.subject}")


def run_deadlines(*, now: datetime.datetime) -> DeadlineRun:
    """Close expired public-input windows, flag overdue windows, retry issuances, send "what awaits you"."""
    from jcm.cycle.notifications import notify_awaiting
    from jcm.cycle.services.issuance import execute_notifications

    run = DeadlineRun()
    due = Window.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("closes_at", "pk")
    for w in list(due):
        if w.key in CLOSE_ACTION:
            try:
                _close(w.pk, now, run)
            except CycleError as exc:
                run.problems.append(f"{w.key} {w.pk}: {exc}")
        elif w.overdue_flagged_at is None:
            _flag(w.pk, now, run)
    for ex in execute_notifications(now=now):
        (run.issued if ex.status == "issued" else run.failed).append(ex.notification)
    run.notices = notify_awaiting(now=now)
    return run


def summary(run: DeadlineRun, now: datetime.datetime) -> str:
    """One line saying what a run did (the CLI prints it, once per run of the loop)."""
    return (f"{now.isoformat()} closed {len(run.closed)} window(s), flagged {len(run.flagged)} overdue, "
            f"issued {len(run.issued)}, still failing {len(run.failed)}, {run.notices} notice(s) sent")


def run_deadlines_every(
    *, every: float, clock: Callable[[], datetime.datetime], sleep: Callable[[float], None],
    emit: Callable[[str], None], iterations: int | None = None,
) -> int:
    """Run :func:`run_deadlines` at ``clock()`` now, then every ``every`` seconds, until ``iterations`` runs
    are done (None: until interrupted — KeyboardInterrupt propagates to the caller). ``emit`` gets one line
    per run; a run that fails is reported as ``error: ...`` and the loop goes on (the next run retries: runs
    are idempotent). Returns the number of runs. Raises ValueError for ``every`` <= 0 or ``iterations``
    < 1 (:func:`jcm.audit.core.periodic.run_every`)."""
    return run_every(
        lambda now: summary(run_deadlines(now=now), now),
        every=every, clock=clock, sleep=sleep, emit=emit, iterations=iterations,
    )


@task()
def run_deadlines_task(now: str | None = None) -> dict[str, object]:
    """The clock as a Django task; ``now`` is an ISO 8601 instant (default: the current time)."""
    at = datetime.datetime.fromisoformat(now) if now else timezone.now()
    run = run_deadlines(now=at)
    return {"closed": run.closed, "flagged": run.flagged, "issued": run.issued, "failed": run.failed,
            "notices": run.notices, "problems": run.problems}
