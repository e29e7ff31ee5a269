"""The result of a calculation: a JSON-serialisable tree of plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jcm.mrv.core.periods import Period
from jcm.mrv.core.values import Provenance


@dataclass(frozen=True)
class TraceStep:
    """One number in the calculation: an input (with provenance) or an equation's result."""

    ref: str  # unique within the period, e.g. "RE_i[inv-1]"
    symbol: str
    value: Decimal
    unit: str
    provenance: Provenance
    unit_id: str | None = None
    equation: str | None = None  # "RE_i,p = EG_i,p × EF_RE,i" for computed steps
    inputs: tuple[str, ...] = ()  # refs of the steps used
    source: str | None = None
    confirmed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "symbol": self.symbol,
            "value": str(self.value),
            "unit": self.unit,
            "provenance": self.provenance.value,
            "unit_id": self.unit_id,
            "equation": self.equation,
            "inputs": list(self.inputs),
            "source": self.source,
            "confirmed": self.confirmed,
        }


@dataclass(frozen=True)
class Correction:
    """A conservative data correction applied to one monitored value."""

    ref: str
    kind: str  # "calibration" or "gap"
    before: Decimal
    after: Decimal
    reason: str
    er_effect: Decimal  # change of RE − PE caused by this correction (never > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "before": str(self.before),
            "after": str(self.after),
            "reason": self.reason,
            "er_effect": str(self.er_effect),
        }


@dataclass(frozen=True)
class EligibilityOutcome:
    number: int
    unit_id: str | None
    passed: bool
    check: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "unit_id": self.unit_id, "passed": self.passed, "check": self.check}


@dataclass(frozen=True)
class PeriodResult:
    period: Period
    re: Decimal  # tCO2/p, full precision
    pe: Decimal  # tCO2/p, full precision
    er_exact: Decimal  # RE − PE before rounding
    er: int  # whole tCO2, rounded per the methodology
    trace: tuple[TraceStep, ...]
    corrections: tuple[Correction, ...] = ()
    eligibility: tuple[EligibilityOutcome, ...] = ()

    def step(self, ref: str) -> TraceStep:
        for s in self.trace:
            if s.ref == ref:
                return s
        raise KeyError(ref)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.to_dict(),
            "re": str(self.re),
            "pe": str(self.pe),
            "er_exact": str(self.er_exact),
            "er": self.er,
            "trace": [s.to_dict() for s in self.trace],
            "corrections": [c.to_dict() for c in self.corrections],
            "eligibility": [e.to_dict() for e in self.eligibility],
        }


@dataclass(frozen=True)
class CalculationResult:
    jcm_id: str
    version: str
    title: str
    periods: tuple[PeriodResult, ...]
    unconfirmed: tuple[str, ...]  # spec items marked [K]/[GAP] in the reference

    @property
    def total_er(self) -> int:
        return sum(p.er for p in self.periods)

    @property
    def credits(self) -> int:
        """Whole credits the periods can support (a negative ER gives none)."""
        return sum(max(p.er, 0) for p in self.periods)

    def to_dict(self) -> dict[str, Any]:
        return {
            "methodology": {"jcm_id": self.jcm_id, "version": self.version, "title": self.title},
            "periods": [p.to_dict() for p in self.periods],
            "total_er": self.total_er,
            "credits": self.credits,
            "unconfirmed": list(self.unconfirmed),
        }
