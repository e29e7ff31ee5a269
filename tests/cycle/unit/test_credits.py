"""Quantities (verified ≤ claimed, issuance ≤ verified) and credit allocation percentages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jcm.cycle.core.credits import (
    AllocationShare,
    CreditAllocation,
    Side,
    allocation_problems,
    issuance_request_refusal,
    notification_refusal,
    verification_refusal,
)

J, P = Side.JAPAN, Side.PARTNER


def test_verification() -> None:
    assert verification_refusal(claimed=144, verified=144) is None
    assert verification_refusal(claimed=144, verified=140) is None
    assert "exceeds the amount claimed" in (verification_refusal(claimed=144, verified=145) or "")
    assert "whole number" in (verification_refusal(claimed=144, verified=1.5) or "")  # type: ignore[arg-type]
    assert "whole number" in (verification_refusal(claimed=True, verified=0) or "")
    assert "negative" in (verification_refusal(claimed=144, verified=-1) or "")


def test_issuance_request() -> None:
    assert issuance_request_refusal(verified=355, requested=355) is None
    assert issuance_request_refusal(verified=355, requested=100, already_requested=255) is None
    assert "exceeds the verified reductions (355 t)" in (issuance_request_refusal(verified=355, requested=356) or "")
    assert "at least 1 t" in (issuance_request_refusal(verified=355, requested=0) or "")


def test_notification() -> None:
    # Bangladesh 2022: 144 t notified, 73 t to the Government of Japan.
    assert notification_refusal(verified=144, requested=144, japan=73, partner=71) is None
    assert "exceeds the requested amount" in (notification_refusal(verified=144, requested=140, japan=73, partner=71) or "")
    assert "exceeds the verified reductions" in (
        notification_refusal(verified=100, requested=144, japan=73, partner=71) or "")
    assert "reject the request instead" in (notification_refusal(verified=1, requested=1, japan=0, partner=0) or "")
    assert "partner's amount" in (notification_refusal(verified=1, requested=1, japan=1, partner=-1) or "")


def alloc(*shares: tuple[str, Side, str]) -> CreditAllocation:
    return CreditAllocation(tuple(AllocationShare(n, s, Decimal(p)) for n, s, p in shares))


def test_valid_allocations() -> None:
    assert allocation_problems(alloc(("GoJ", J, "50"), ("Mayekawa", J, "10"), ("ID side", P, "40"))) == ()
    # Private projects may give Japan's government 0% and everything to one side (unless the rule set says otherwise).
    assert allocation_problems(alloc(("JP Co", J, "100"))) == ()
    assert allocation_problems(alloc(("GoJ", J, "33.33"), ("A", P, "33.33"), ("B", P, "33.34"))) == ()


@pytest.mark.parametrize(("allocation", "kwargs", "expected"), [
    (alloc(("GoJ", J, "50"), ("A", P, "40")), {},
     "the percentages sum to 90 (Japan's side 50, the partner's side 40), not 100"),
    (alloc(("GoJ", J, "50"), ("GoJ", P, "50")), {}, "GoJ appears more than once in the allocation"),
    (alloc(("GoJ", J, "150"), ("A", P, "-50")), {}, "GoJ's percentage must be between 0 and 100, got 150"),
    (alloc(("GoJ", J, "50.005"), ("A", P, "49.995")), {}, "GoJ's percentage has more than two decimals (50.005)"),
    (alloc(("GoJ", J, "50"), ("A", P, "50")), {"participants": {"GoJ"}},
     "A is not a party to the project's Modalities of Communication"),
    (alloc(("JP Co", J, "100")), {"requires_both_sides": True}, "the rule set requires a share for the partner side"),
    (alloc((" ", J, "100")), {}, "a share names no participant"),
    (CreditAllocation(()), {}, "the allocation names no participant"),
])
def test_allocation_problems(allocation: CreditAllocation, kwargs: dict[str, object], expected: str) -> None:
    assert expected in allocation_problems(allocation, **kwargs)  # type: ignore[arg-type]


def test_non_decimal_percentages() -> None:
    bad = CreditAllocation((AllocationShare("GoJ", J, 50.0),))  # type: ignore[arg-type]
    assert allocation_problems(bad) == ("GoJ's percentage must be a decimal number, got 50.0",)
