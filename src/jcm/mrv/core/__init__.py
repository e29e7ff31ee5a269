"""Pure core of the MRV engine (no Django): methodology specs, equations, calculation, trace."""

from jcm.mrv.core.engine import calculate
from jcm.mrv.core.errors import (
    InputFormatError,
    Location,
    MissingParameter,
    MrvError,
    OutOfRange,
    PeriodError,
    UnitError,
    UnknownMethodology,
)
from jcm.mrv.core.periods import Period, check_no_overlap, parse_offset, parse_period
from jcm.mrv.core.registry import get_methodology, list_methodologies
from jcm.mrv.core.results import CalculationResult, Correction, EligibilityOutcome, PeriodResult, TraceStep
from jcm.mrv.core.spec import Methodology, Parameter, ParameterKind
from jcm.mrv.core.values import CalibrationFinding, InputValue, PeriodInputs, ProjectParameters, Provenance

__all__ = [
    "CalculationResult",
    "CalibrationFinding",
    "Correction",
    "EligibilityOutcome",
    "InputFormatError",
    "InputValue",
    "Location",
    "Methodology",
    "MissingParameter",
    "MrvError",
    "OutOfRange",
    "Parameter",
    "ParameterKind",
    "Period",
    "PeriodError",
    "PeriodInputs",
    "PeriodResult",
    "ProjectParameters",
    "Provenance",
    "TraceStep",
    "UnitError",
    "UnknownMethodology",
    "calculate",
    "check_no_overlap",
    "get_methodology",
    "list_methodologies",
    "parse_offset",
    "parse_period",
]
