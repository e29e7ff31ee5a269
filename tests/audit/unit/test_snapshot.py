from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from jcm.audit.core.clock import fixed_clock
from jcm.audit.core.snapshot import jsonable


def test_snapshot_keeps_decimals_exact_and_refuses_floats():
    assert jsonable({"ef": Decimal("0.7970"), "on": date(2024, 1, 2), "n": (1, 2)}) == {
        "ef": "0.7970", "on": "2024-01-02", "n": [1, 2]}
    with pytest.raises(TypeError):
        jsonable({"x": 0.1})


def test_fixed_clock_needs_aware_time():
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert fixed_clock(at)() == at
    with pytest.raises(ValueError):
        fixed_clock(datetime(2026, 1, 1))
