"""Plain value types flowing into the engine: measured and given values, period inputs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jcm.mrv.core.periods import Period


class Provenance(StrEnum):
    MEASUREMENT = "measurement"
    DEFAULT = "default"
    PROJECT_SPECIFIC = "project_specific"
    COMPUTED = "computed"
    CORRECTED = "corrected"


@dataclass(frozen=True)
class InputValue:
    """One value of a parameter, already in the parameter's unit.

    ``unit_id`` is the unit index i (device or day); None means project-level, or — for a
    per-unit parameter given in a parameters file — "the same for every unit".
    ``source`` says where it came from (file and rows, sheet and cell, default's source).
    """

    key: str
    value: Decimal
    unit: str
    provenance: Provenance
    source: str
    unit_id: str | None = None
    readings: int | None = None  # number of meter readings aggregated into value
    max_reading: Decimal | None = None  # largest single reading, in the parameter's unit


@dataclass(frozen=True)
class CalibrationFinding:
    """A measuring instrument was found out of calibration (or calibrated late).

    The monitored value is moved by ``error_pct`` percent in whichever direction lowers ER
    (JCM Guidelines for Developing PDD and MR §5.2).
    """

    key: str
    error_pct: Decimal
    reason: str
    unit_id: str | None = None  # None: every unit of this parameter


@dataclass(frozen=True)
class PeriodInputs:
    """Monitored values of one monitoring period.

    ``expected_readings`` (per unit and monitored parameter) enables conservative gap
    correction for summed quantities: missing intervals are filled with the value that
    lowers ER (zero, or the period's largest reading).
    """

    period: Period
    monitored: tuple[InputValue, ...]
    expected_readings: int | None = None


@dataclass(frozen=True)
class ProjectParameters:
    """Project-specific and fixed values plus calibration findings (a parameters file)."""

    values: tuple[InputValue, ...] = ()
    calibration: tuple[CalibrationFinding, ...] = ()
    source: str = "parameters"
