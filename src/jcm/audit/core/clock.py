"""Injected time. Services take a ``now`` argument; callers at the edge use ``system_now``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_now() -> datetime:
    """The current time, timezone-aware in UTC. Only the outermost layer (views, CLI) calls this."""
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always answers ``at`` (tests, replays)."""
    if at.tzinfo is None:
        raise ValueError("a clock must answer timezone-aware datetimes")
    return lambda: at
