"""Monitoring periods: half-open [start, end) with timezone-aware datetimes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise

from jcm.mrv.core.errors import Location, PeriodError


@dataclass(frozen=True, order=True)
class Period:
    """A monitoring period p = [start, end). Both ends are timezone-aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is None or value.utcoffset() is None:
                raise PeriodError(f"period {name} {value.isoformat()} has no UTC offset", Location(field="period"))
        if self.end <= self.start:
            raise PeriodError(
                f"period is empty: end {self.end.isoformat()} is not after start {self.start.isoformat()}",
                Location(field="period"),
            )

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end

    def label(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def split(self, at: datetime) -> tuple[Period, Period]:
        """Two adjacent periods [start, at) and [at, end)."""
        return Period(self.start, at), Period(at, self.end)

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _parse_moment(text: str, default_tz: timezone | None, what: str) -> datetime:
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if default_tz is None:
                raise PeriodError(
                    f"period {what} {text!r} is a date without a UTC offset; give a full timestamp "
                    "such as 2024-01-01T00:00+07:00 or a default timezone",
                    Location(field="period"),
                )
            return datetime.combine(day, time(0), default_tz)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise PeriodError(
            f"period {what} {text!r} is not an ISO 8601 timestamp ({exc})", Location(field="period")
        ) from exc
    if moment.tzinfo is None:
        if default_tz is None:
            raise PeriodError(f"period {what} {text!r} has no UTC offset", Location(field="period"))
        moment = moment.replace(tzinfo=default_tz)
    return moment


def parse_period(text: str, *, default_tz: timezone | None = None) -> Period:
    """Parse ``START/END`` (ISO 8601 interval). The end is exclusive.

    Raises PeriodError when either end lacks an offset (and no default_tz is given), when the
    text is malformed, or when the period is empty.
    """
    if text.count("/") != 1:
        raise PeriodError(
            f"period {text!r} must be START/END, e.g. 2024-01-01T00:00+07:00/2025-01-01T00:00+07:00",
            Location(field="period"),
        )
    start_text, end_text = text.split("/")
    return Period(_parse_moment(start_text, default_tz, "start"), _parse_moment(end_text, default_tz, "end"))


def parse_offset(text: str) -> timezone:
    """Parse ``+07:00``, ``-0530`` or ``UTC`` into a fixed-offset timezone."""
    if text.upper() in {"UTC", "Z"}:
        return UTC
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace(":", "")
    if len(digits) != 4 or not digits.isdigit():
        raise PeriodError(f"timezone {text!r} must be an offset like +07:00", Location(field="tz"))
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def check_no_overlap(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Return the periods sorted by start; raise PeriodError if any two overlap."""
    ordered = tuple(sorted(periods))
    for before, after in pairwise(ordered):
        if before.overlaps(after):
            raise PeriodError(
                f"monitoring periods {before.label()} and {after.label()} overlap", Location(field="period")
            )
    return ordered
