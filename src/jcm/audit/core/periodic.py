"""A job run now and then every so many seconds: the loop behind the ``--every`` commands
(``jcm ledger checkpoint --every``, ``jcm cycle deadlines --every``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime


def run_every(
    job: Callable[[datetime], str],
    *,
    every: float,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    emit: Callable[[str], None],
    iterations: int | None = None,
) -> int:
    """Run ``job(clock())`` now, then every ``every`` seconds, until ``iterations`` runs are done
    (None: until interrupted -- KeyboardInterrupt propagates). ``emit`` gets the line each run returns;
    a run that fails is reported as ``<instant> error: ...`` and the loop goes on (the next run tries
    again). Returns the number of runs. Raises ValueError for ``every`` <= 0 or ``iterations`` < 1."""
    if every <= 0:
        raise ValueError("every must be a positive number of seconds")
    if iterations is not None and iterations < 1:
        raise ValueError("iterations must be at least 1")
    runs = 0
    while iterations is None or runs < iterations:
        now = clock()
        try:
            emit(job(now))
        except Exception as exc:  # the loop must outlive one failed run
            emit(f"{now.isoformat()} error: {type(exc).__name__}: {exc}")
        runs += 1
        if iterations is not None and runs >= iterations:
            break
        sleep(every)
    return runs
