"""Deadlines: calendar and working days, day 1, half-open windows, time zones, extensions, GAPs."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from jcm.cycle.core.deadlines import local_date, window
from jcm.cycle.core.rulesets import DayKind, FirstDay, RuleSet, Tagged

from .support import D, rule_set

LEGACY = rule_set("default-legacy.v1")
JST = datetime.timezone(datetime.timedelta(hours=9))


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz: datetime.tzinfo = JST) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, mi, s, tzinfo=tz)


def with_rule(rules: RuleSet, key: str, **changes: object) -> RuleSet:
    rule = dataclasses.replace(rules.deadline(key), **changes)  # type: ignore[arg-type]
    return dataclasses.replace(rules, deadlines={**rules.deadlines, key: rule})


def with_calendar(rules: RuleSet, **changes: object) -> RuleSet:
    return dataclasses.replace(rules, calendar=dataclasses.replace(rules.calendar, **changes))  # type: ignore[arg-type]


def test_seven_calendar_days_from_the_day_after() -> None:
    w = window(LEGACY, "methodology_completeness_check", at(2026, 11, 2, 10))
    assert w is not None
    assert w.closes_at == at(2026, 11, 10)  # day 1 = 3 Nov, day 7 = 9 Nov, closes at midnight
    assert (w.days, w.kind, w.confidence, w.rule_set_id) == (7, DayKind.CALENDAR, "V", "default-legacy.v1")
    assert w.is_open(at(2026, 11, 9, 23, 59, 59))
    assert not w.is_open(at(2026, 11, 10)) and w.has_closed(at(2026, 11, 10))
    assert not w.is_open(at(2026, 11, 2, 9, 59))  # before it opened
    assert w.days_left(at(2026, 11, 2, 10)) == 8 and w.days_left(at(2026, 11, 11)) == 0


def test_public_input_windows() -> None:
    w15 = window(LEGACY, "methodology_public_input", at(2026, 1, 1, 12))
    w30 = window(LEGACY, "pdd_public_input", at(2026, 1, 1, 12))
    assert w15 is not None and w30 is not None
    assert (w15.closes_at, w30.closes_at) == (at(2026, 1, 17), at(2026, 2, 1))
    assert w30.confidence == "K"


def test_jc_consideration_60_extendable_to_90() -> None:
    base = window(LEGACY, "methodology_jc_consideration", at(2026, 1, 1, 12))
    longer = window(LEGACY, "methodology_jc_consideration", at(2026, 1, 1, 12), extended=True)
    assert base is not None and longer is not None
    assert (base.days, longer.days, longer.extended) == (60, 90, True)
    assert longer.closes_at - base.closes_at == datetime.timedelta(days=30)
    with pytest.raises(ValueError, match="cannot be extended"):
        window(LEGACY, "pdd_public_input", at(2026, 1, 1), extended=True)


def test_gap_deadlines_have_no_window() -> None:
    assert window(LEGACY, "registration_jc_consideration", at(2026, 1, 1)) is None
    assert window(LEGACY, "validation", at(2026, 1, 1)) is None
    with pytest.raises(KeyError):
        window(LEGACY, "no_such_deadline", at(2026, 1, 1))


def test_counted_in_the_rule_set_time_zone() -> None:
    # 20:00 UTC on 1 Nov is 05:00 on 2 Nov in Tokyo: the window counts from 2 Nov.
    w = window(LEGACY, "methodology_completeness_check", datetime.datetime(2026, 11, 1, 20, tzinfo=datetime.UTC))
    assert w is not None and w.closes_at == at(2026, 11, 10)
    jakarta = with_calendar(LEGACY, timezone=Tagged("Asia/Jakarta", "GAP", "test"))
    wj = window(jakarta, "methodology_completeness_check", datetime.datetime(2026, 11, 1, 20, tzinfo=datetime.UTC))
    assert wj is not None and wj.closes_at.isoformat() == "2026-11-10T00:00:00+07:00"
    assert local_date(jakarta, datetime.datetime(2026, 11, 1, 20, tzinfo=datetime.UTC)) == D(2026, 11, 2)


def test_same_day_counting() -> None:
    same = with_calendar(LEGACY, first_day=Tagged(FirstDay.SAME, "GAP", "test"))
    w = window(same, "methodology_completeness_check", at(2026, 11, 2, 10))
    assert w is not None and w.closes_at == at(2026, 11, 9)


def test_working_days_skip_weekends_and_holidays() -> None:
    working = with_rule(LEGACY, "methodology_completeness_check", kind=DayKind.WORKING)
    friday = at(2026, 11, 6, 15)
    w = window(working, "methodology_completeness_check", friday)
    assert w is not None and w.closes_at == at(2026, 11, 18)  # 9,10,11,12,13,16,17 Nov
    holiday = with_calendar(working, holidays=frozenset({D(2026, 11, 10)}))
    wh = window(holiday, "methodology_completeness_check", friday)
    assert wh is not None and wh.closes_at == at(2026, 11, 19)
    same = with_calendar(working, first_day=Tagged(FirstDay.SAME, "GAP", "test"))
    saturday = window(same, "methodology_completeness_check", at(2026, 11, 7, 9))
    assert saturday is not None and saturday.closes_at == at(2026, 11, 18)


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        window(LEGACY, "pdd_public_input", datetime.datetime(2026, 1, 1))
    w = window(LEGACY, "pdd_public_input", at(2026, 1, 1))
    assert w is not None
    with pytest.raises(ValueError, match="timezone-aware"):
        w.is_open(datetime.datetime(2026, 1, 2))
