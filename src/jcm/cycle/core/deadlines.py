"""Deadlines and windows from a rule set and the instant they open.

A window of N days opened at instant ``t`` is counted in the rule set's time zone:

- ``D`` is the local date of ``t``; with ``first_day: next`` day 1 is the day after ``D``, with
  ``first_day: same`` day 1 is ``D`` itself;
- calendar days count every day; working days skip the rule set's weekend days and holidays
  (a ``same``-day start on a non-working day counts from the next working day);
- the window is the half-open interval ``[t, closes_at)``, where ``closes_at`` is local midnight
  at the end of day N — so an input at 23:59:59 local time on day N is in time, one at 00:00 the
  next day is not.

A day count with ``days: null`` (GAP) has no deadline: :func:`window` returns None.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jcm.cycle.core.rulesets import Calendar, DayCount, DayKind, FirstDay, RuleSet


@dataclass(frozen=True, slots=True)
class Window:
    """``[opens_at, closes_at)`` in aware datetimes, with the rule it came from."""

    key: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    days: int
    kind: DayKind
    extended: bool
    rule_set_id: str
    confidence: str

    def is_open(self, at: datetime.datetime) -> bool:
        _aware(at, "at")
        return self.opens_at <= at < self.closes_at

    def has_closed(self, at: datetime.datetime) -> bool:
        _aware(at, "at")
        return at >= self.closes_at

    def days_left(self, at: datetime.datetime) -> int:
        """Whole local days left before the window closes (0 once it has closed)."""
        if self.has_closed(at):
            return 0
        zone = self.closes_at.tzinfo
        return (self.closes_at.date() - at.astimezone(zone).date()).days


def _aware(value: datetime.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def is_working_day(day: datetime.date, calendar: Calendar) -> bool:
    return day.isoweekday() not in calendar.weekend and day not in calendar.holidays


def last_day(start: datetime.date, days: int, kind: DayKind, calendar: Calendar) -> datetime.date:
    """The local date of day ``days`` of a window opened on local date ``start``."""
    if days < 1:
        raise ValueError(f"a window lasts at least one day, got {days}")
    first_day = calendar.first_day.value
    if kind is DayKind.CALENDAR:
        return start + datetime.timedelta(days=days if first_day is FirstDay.NEXT else days - 1)
    day = start if first_day is FirstDay.SAME else start + datetime.timedelta(days=1)
    counted = 0
    while True:
        if is_working_day(day, calendar):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def window(
    rule_set: RuleSet,
    key: str,
    opens_at: datetime.datetime,
    *,
    extended: bool = False,
) -> Window | None:
    """The window ``key`` (a deadline key of the rule set) opened at ``opens_at``, or None if GAP.

    ``extended=True`` uses ``extendable_to`` (e.g. JC consideration 60 → 90 days); ValueError if
    the rule has no extension.
    """
    _aware(opens_at, "opens_at")
    rule: DayCount = rule_set.deadline(key)
    if rule.days is None:
        return None
    days = rule.days
    if extended:
        if rule.extendable_to is None:
            raise ValueError(f"the {key} window of rule set {rule_set.id} cannot be extended")
        days = rule.extendable_to
    zone = rule_set.calendar.zone
    local_start = opens_at.astimezone(zone).date()
    end_day = last_day(local_start, days, rule.kind, rule_set.calendar)
    following = end_day + datetime.timedelta(days=1)
    closes_at = datetime.datetime(following.year, following.month, following.day, tzinfo=zone)
    return Window(
        key=key,
        opens_at=opens_at,
        closes_at=closes_at,
        days=days,
        kind=rule.kind,
        extended=extended,
        rule_set_id=rule_set.id,
        confidence=rule.confidence,
    )


def local_date(rule_set: RuleSet, at: datetime.datetime) -> datetime.date:
    """The date of instant ``at`` in the rule set's time zone (the date decisions are dated on)."""
    _aware(at, "at")
    return at.astimezone(rule_set.calendar.zone).date()
