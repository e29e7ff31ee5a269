"""TPE eligibility: pair, function, scope, date, status — each refusal names its reason."""

from __future__ import annotations

import pytest

from jcm.cycle.core.tpe import DesignationStatus as S
from jcm.cycle.core.tpe import TpeDesignation, TpeFunction, tpe_refusal

from .support import D

VAL, VER = TpeFunction.VALIDATION, TpeFunction.VERIFICATION
# Japan Management Association style: validation 1-3, verification 1-3 plus 14 granted later.
ROWS = (
    TpeDesignation("TPE-MN-014", "MN", VAL, frozenset({1, 2, 3}), D(2017, 9, 8), D(2027, 9, 7)),
    TpeDesignation("TPE-MN-014", "MN", VER, frozenset({1, 2, 3}), D(2017, 9, 8), D(2027, 9, 7)),
    TpeDesignation("TPE-MN-014", "MN", VER, frozenset({14}), D(2022, 1, 1), D(2024, 12, 31)),
    TpeDesignation("TPE-MN-009", "MN", VAL, frozenset({1}), D(2015, 1, 1), None, S.WITHDRAWN, D(2021, 4, 1)),
    TpeDesignation("TPE-MN-010", "MN", VAL, frozenset({1}), D(2015, 1, 1), None, S.SUSPENDED, D(2025, 1, 1)),
    TpeDesignation("TPE-ID-003", "ID", VAL, frozenset({1}), None, None),
)


def check(tpe: str, function: TpeFunction, scopes: tuple[int, ...], on: object, partner: str = "MN") -> str | None:
    return tpe_refusal(ROWS, tpe_id=tpe, partner_code=partner, function=function, scopes=scopes, on=on)  # type: ignore[arg-type]


def test_eligible() -> None:
    assert check("TPE-MN-014", VAL, (1, 3), D(2026, 1, 1)) is None
    assert check("TPE-MN-014", VER, (1, 14), D(2023, 6, 1)) is None
    assert check("TPE-MN-014", VAL, (1,), D(2027, 9, 7)) is None  # "until" is the last valid day
    assert check("TPE-MN-009", VAL, (1,), D(2021, 3, 31)) is None  # before the withdrawal
    assert check("TPE-ID-003", VAL, (1,), D(2014, 1, 1), partner="ID") is None


@pytest.mark.parametrize(("tpe", "function", "scopes", "on", "partner", "reason"), [
    ("TPE-XX-001", VAL, (1,), D(2026, 1, 1), "MN", "TPE-XX-001 is not a designated TPE"),
    ("TPE-ID-003", VAL, (1,), D(2026, 1, 1), "MN", "TPE-ID-003 is not designated in the pair JP-MN"),
    ("TPE-MN-009", VER, (1,), D(2020, 1, 1), "MN", "TPE-MN-009 is not designated for verification in the pair JP-MN"),
    ("TPE-MN-014", VAL, (1, 14), D(2023, 1, 1), "MN",
     "TPE-MN-014 is not designated for validation in sectoral scope 14 in the pair JP-MN"),
    ("TPE-MN-014", VAL, (1,), D(2017, 9, 7), "MN",
     "TPE-MN-014's designation for validation in sectoral scope 1 in the pair JP-MN is not in force on 2017-09-07: "
     "designated only from 2017-09-08"),
    ("TPE-MN-014", VER, (14,), D(2025, 1, 1), "MN",
     "TPE-MN-014's designation for verification in sectoral scope 14 in the pair JP-MN is not in force on 2025-01-01: "
     "expired on 2024-12-31"),
    ("TPE-MN-009", VAL, (1,), D(2021, 4, 1), "MN",
     "TPE-MN-009's designation for validation in sectoral scope 1 in the pair JP-MN is not in force on 2021-04-01: "
     "withdrawn since 2021-04-01"),
    ("TPE-MN-010", VAL, (1,), D(2025, 6, 1), "MN",
     "TPE-MN-010's designation for validation in sectoral scope 1 in the pair JP-MN is not in force on 2025-06-01: "
     "suspended since 2025-01-01"),
    ("TPE-MN-014", VAL, (), D(2025, 6, 1), "MN", "the project has no sectoral scope"),
])
def test_refusals(tpe: str, function: TpeFunction, scopes: tuple[int, ...], on: object, partner: str,
                  reason: str) -> None:
    refusal = check(tpe, function, scopes, on, partner)
    assert refusal is not None and refusal.startswith(reason), refusal


def test_status_without_date_applies_always() -> None:
    row = TpeDesignation("TPE-MN-020", "MN", VAL, frozenset({1}), D(2015, 1, 1), None, S.WITHDRAWN)
    assert not row.in_force_on(D(2016, 1, 1))
    assert row.refusal_on(D(2016, 1, 1)) == "withdrawn"


def test_state_on_a_day_for_the_public_pages() -> None:
    from jcm.cycle.core.tpe import DesignationState as St

    def state(tpe: str, function: TpeFunction, on: object, scope: int = 1) -> St:
        row = next(d for d in ROWS if d.tpe_id == tpe and d.function is function and scope in d.scopes)
        return row.state_on(on)  # type: ignore[arg-type]

    assert state("TPE-MN-014", VAL, D(2026, 1, 1)) is St.IN_FORCE
    assert state("TPE-MN-014", VAL, D(2017, 9, 7)) is St.NOT_YET
    assert state("TPE-MN-014", VAL, D(2027, 9, 7)) is St.IN_FORCE  # the last valid day
    assert state("TPE-MN-014", VER, D(2025, 1, 1), scope=14) is St.EXPIRED
    assert state("TPE-MN-009", VAL, D(2021, 4, 1)) is St.WITHDRAWN
    assert state("TPE-MN-010", VAL, D(2024, 12, 31)) is St.IN_FORCE  # suspended only from 2025-01-01
    assert state("TPE-MN-010", VAL, D(2025, 1, 1)) is St.SUSPENDED
