"""The periodic checkpoint publisher.

``publish_checkpoints_every(...)`` is the loop behind ``jcm ledger checkpoint --every SECONDS``;
``publish_checkpoint_task`` is one run as a Django task (``django.tasks``), for a scheduler or a
worker. Both act as the system (audit actor "system") and publish only when the journal has grown
since the latest checkpoint (:func:`jcm.registry.services.journal.publish_checkpoint`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.tasks import task
from django.utils import timezone

from jcm.audit.core.periodic import run_every
from jcm.registry.services.journal import CheckpointRun, publish_checkpoint


def summary(run: CheckpointRun, now: datetime.datetime) -> str:
    """One line saying what a run did (the CLI prints it, once per run of the loop)."""
    if run.created:
        return f"{now.isoformat()} checkpoint {run.sequence} {run.hash}" + (" (signed)" if run.signature else "")
    if run.reason == "empty":
        return f"{now.isoformat()} no checkpoint: the journal has no entries yet"
    return f"{now.isoformat()} no checkpoint: no new entry since checkpoint {run.sequence}"


def publish_checkpoints_every(
    *,
    every: float,
    clock: Callable[[], datetime.datetime],
    sleep: Callable[[float], None],
    emit: Callable[[str], None],
    iterations: int | None = None,
) -> int:
    """Run :func:`publish_checkpoint` at ``clock()`` now, then every ``every`` seconds, until
    ``iterations`` runs are done (None: until interrupted — KeyboardInterrupt propagates). ``emit``
    gets one line per run; a run that fails is reported as ``<instant> error: ...`` and the loop goes
    on (the next run tries again). Returns the number of runs. Raises ValueError for ``every`` <= 0
    or ``iterations`` < 1."""
    return run_every(
        lambda now: summary(publish_checkpoint(actor=None, now=now), now),
        every=every,
        clock=clock,
        sleep=sleep,
        emit=emit,
        iterations=iterations,
    )


@task()
def publish_checkpoint_task(now: str | None = None) -> dict[str, object]:
    """One run of the publisher as a Django task; ``now`` is an ISO 8601 instant with a UTC offset
    (default: the current time). Returns what it did: ``created``, ``sequence``, ``hash``, ``reason``,
    ``signature``."""
    at = datetime.datetime.fromisoformat(now) if now else timezone.now()
    run = publish_checkpoint(actor=None, now=at)
    return {"created": run.created, "sequence": run.sequence, "hash": run.hash, "reason": run.reason,
            "signature": run.signature}
