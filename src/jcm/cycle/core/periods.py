"""Half-open date periods, monitoring periods and crediting periods.

A :class:`Period` is ``[start, end)``: it contains ``start`` and not ``end``. The published form
"1 Jan 2017 – 31 Dec 2017" is ``Period(date(2017, 1, 1), date(2018, 1, 1))``.

Rules (jcm-rules.md §2.2, §2.5):
- monitoring periods of a project never overlap; with ``in_sequence`` (rule-set parameter
  ``monitoring_periods_in_sequence``, [K]) a new one also starts no earlier than the end of the
  latest one;
- they stay inside the crediting period, but may start before registration, at the start of
  operation (SA001 was registered 13 Jul 2018 and first credited from 25 Jan 2017) — so the lower
  bound is the start of operation when known, else the start of the crediting period;
- they never start before operation started.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from jcm.cycle.core.messages import N_, Message


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"a period ends after it starts; got [{self.start.isoformat()}, {self.end.isoformat()})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day < self.end

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, outer: Period) -> bool:
        return outer.start <= self.start and self.end <= outer.end

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def period_from_inclusive(first_day: datetime.date, last_day: datetime.date) -> Period:
    """The half-open period of a published inclusive range "first_day – last_day"."""
    return Period(first_day, last_day + datetime.timedelta(days=1))


def monitoring_period_problems(
    period: Period,
    *,
    others: Iterable[Period],
    crediting_period: Period | None,
    operation_started_on: datetime.date | None,
    in_sequence: bool,
) -> tuple[str, ...]:
    """Every reason ``period`` cannot be a new monitoring period of the project (empty if it can).

    ``others`` are the project's other live monitoring periods (not withdrawn).
    """
    problems: list[str] = []
    earlier = sorted(others)
    for other in earlier:
        if period.overlaps(other):
            problems.append(Message(N_("the monitoring period %(period)s overlaps the monitoring period %(other)s"),
                                    period=period, other=other))
    if in_sequence and earlier:
        latest_end = max(o.end for o in earlier)
        if period.start < latest_end and not any(period.overlaps(o) for o in earlier):
            problems.append(Message(
                N_("the monitoring period %(period)s starts before the end of the latest monitoring period "
                   "(%(end)s); periods follow one another"), period=period, end=latest_end.isoformat()))
    if operation_started_on is not None and period.start < operation_started_on:
        problems.append(Message(N_("the monitoring period %(period)s starts before operation started (%(date)s)"),
                                period=period, date=operation_started_on.isoformat()))
    if crediting_period is None:
        problems.append(Message(N_("the project has no crediting period yet")))
    else:
        lower = operation_started_on if operation_started_on is not None else crediting_period.start
        lower = min(lower, crediting_period.start)
        if period.start < lower:
            problems.append(Message(
                N_("the monitoring period %(period)s starts before the crediting period %(crediting)s and before "
                   "operation started") if operation_started_on is not None else
                N_("the monitoring period %(period)s starts before the crediting period %(crediting)s"),
                period=period, crediting=crediting_period))
        if period.end > crediting_period.end:
            problems.append(Message(N_("the monitoring period %(period)s ends after the crediting period %(crediting)s ends"),
                                    period=period, crediting=crediting_period))
    return tuple(problems)


def crediting_period_problems(
    period: Period,
    *,
    operation_started_on: datetime.date | None,
    eligible_operation_start_from: datetime.date | None,
    latest_end: datetime.date | None,
    max_years: int | None,
) -> tuple[str, ...]:
    """Every reason ``period`` cannot be a crediting period under the rule-set parameters given."""
    problems: list[str] = []
    if (
        operation_started_on is not None
        and eligible_operation_start_from is not None
        and operation_started_on < eligible_operation_start_from
    ):
        problems.append(Message(
            N_("operation started on %(started)s, before the eligible start date %(eligible)s"),
            started=operation_started_on.isoformat(), eligible=eligible_operation_start_from.isoformat()))
    if latest_end is not None and period.end > latest_end + datetime.timedelta(days=1):
        problems.append(Message(
            N_("the crediting period %(period)s runs past the latest end the rule set allows (%(end)s)"),
            period=period, end=latest_end.isoformat()))
    if max_years is not None:
        try:
            limit = period.start.replace(year=period.start.year + max_years)
        except ValueError:  # 29 February
            limit = period.start.replace(year=period.start.year + max_years, day=28) + datetime.timedelta(days=1)
        if period.end > limit:
            problems.append(Message(N_("the crediting period %(period)s is longer than %(years)s years"), period=period,
                                    years=max_years))
    return tuple(problems)
