"""Small builders so golden tests read like the monitoring report they check."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from jcm.mrv.core import (
    CalculationResult,
    InputValue,
    Period,
    PeriodInputs,
    ProjectParameters,
    Provenance,
    calculate,
    get_methodology,
)

YEAR_2017 = Period(datetime(2017, 1, 1, tzinfo=UTC), datetime(2018, 1, 1, tzinfo=UTC))


def measured(key: str, value: str | int, unit: str = "MWh", unit_id: str | None = "1") -> InputValue:
    return InputValue(key, Decimal(str(value)), unit, Provenance.MEASUREMENT, "monitoring report", unit_id)


def given(key: str, value: str | int, unit: str | None = None, unit_id: str | None = None) -> InputValue:
    return InputValue(key, Decimal(str(value)), unit or "-", Provenance.PROJECT_SPECIFIC, "PDD", unit_id)


def run(
    jcm_id: str,
    monitored: list[InputValue],
    project: list[InputValue] | None = None,
    period: Period = YEAR_2017,
    **kwargs: object,
) -> CalculationResult:
    m = get_methodology(jcm_id)
    fixed = []
    for v in project or []:
        param = m.parameter(v.key)
        unit = param.unit if param is not None and v.unit == "-" else v.unit
        fixed.append(InputValue(v.key, v.value, unit, v.provenance, v.source, v.unit_id))
    return calculate(
        m,
        periods=[PeriodInputs(period, tuple(monitored), **kwargs)],  # type: ignore[arg-type]
        parameters=ProjectParameters(tuple(fixed)),
    )
