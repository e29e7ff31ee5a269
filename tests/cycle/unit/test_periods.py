"""Half-open periods, monitoring periods and crediting periods."""

from __future__ import annotations

import pytest

from jcm.cycle.core.periods import (
    Period,
    crediting_period_problems,
    monitoring_period_problems,
    period_from_inclusive,
)

from .support import D

CREDITING = Period(D(2018, 7, 13), D(2031, 1, 1))


def problems(period: Period, others: tuple[Period, ...] = (), *, operation: object = D(2017, 1, 25),
             crediting: Period | None = CREDITING, in_sequence: bool = True) -> tuple[str, ...]:
    return monitoring_period_problems(period, others=others, crediting_period=crediting,
                                      operation_started_on=operation, in_sequence=in_sequence)  # type: ignore[arg-type]


def test_half_open() -> None:
    p = period_from_inclusive(D(2017, 1, 1), D(2017, 12, 31))
    assert p == Period(D(2017, 1, 1), D(2018, 1, 1)) and p.days == 365
    assert p.contains(D(2017, 12, 31)) and not p.contains(D(2018, 1, 1))
    assert not p.overlaps(Period(D(2018, 1, 1), D(2018, 6, 1)))  # adjacent periods do not overlap
    assert p.overlaps(Period(D(2017, 12, 31), D(2018, 6, 1)))
    with pytest.raises(ValueError, match="ends after it starts"):
        Period(D(2018, 1, 1), D(2018, 1, 1))


def test_first_period_may_start_at_operation_before_registration() -> None:
    # SA001: operating 25 Jan 2017, registered 13 Jul 2018, first issuance 25 Jan 2017 - 31 Aug 2018.
    assert problems(Period(D(2017, 1, 25), D(2018, 9, 1))) == ()
    assert problems(Period(D(2017, 1, 1), D(2018, 9, 1))) == (
        "the monitoring period [2017-01-01, 2018-09-01) starts before operation started (2017-01-25)",
        "the monitoring period [2017-01-01, 2018-09-01) starts before the crediting period "
        "[2018-07-13, 2031-01-01) and before operation started",
    )


def test_without_known_operation_start_the_crediting_period_bounds_it() -> None:
    assert "starts before the crediting period" in problems(Period(D(2018, 1, 1), D(2018, 9, 1)), operation=None)[0]


def test_periods_never_overlap_and_follow_one_another() -> None:
    first = Period(D(2017, 1, 25), D(2018, 9, 1))
    assert problems(Period(D(2018, 9, 1), D(2019, 9, 1)), (first,)) == ()
    assert problems(Period(D(2018, 8, 1), D(2019, 9, 1)), (first,)) == (
        "the monitoring period [2018-08-01, 2019-09-01) overlaps the monitoring period [2017-01-25, 2018-09-01)",)
    second = Period(D(2019, 9, 1), D(2020, 9, 1))
    gap_filler = Period(D(2018, 9, 1), D(2019, 1, 1))
    assert problems(gap_filler, (first, second)) == (
        "the monitoring period [2018-09-01, 2019-01-01) starts before the end of the latest monitoring period "
        "(2020-09-01); periods follow one another",)
    assert problems(gap_filler, (first, second), in_sequence=False) == ()


def test_stays_inside_the_crediting_period() -> None:
    assert problems(Period(D(2030, 1, 1), D(2031, 1, 1))) == ()
    assert problems(Period(D(2030, 1, 1), D(2031, 1, 2))) == (
        "the monitoring period [2030-01-01, 2031-01-02) ends after the crediting period [2018-07-13, 2031-01-01) ends",)
    assert problems(Period(D(2020, 1, 1), D(2021, 1, 1)), crediting=None) == ("the project has no crediting period yet",)


def test_crediting_period_rules() -> None:
    kw = {"operation_started_on": D(2014, 1, 1), "eligible_operation_start_from": D(2013, 1, 1),
          "latest_end": D(2030, 12, 31), "max_years": None}
    assert crediting_period_problems(Period(D(2014, 1, 1), D(2031, 1, 1)), **kw) == ()  # type: ignore[arg-type]
    assert crediting_period_problems(Period(D(2014, 1, 1), D(2031, 1, 2)), **kw) != ()  # type: ignore[arg-type]
    assert crediting_period_problems(
        Period(D(2020, 2, 29), D(2030, 3, 2)), operation_started_on=None, eligible_operation_start_from=None,
        latest_end=None, max_years=10) == ("the crediting period [2020-02-29, 2030-03-02) is longer than 10 years",)
    assert crediting_period_problems(
        Period(D(2020, 2, 29), D(2030, 3, 1)), operation_started_on=None, eligible_operation_start_from=None,
        latest_end=None, max_years=10) == ()
