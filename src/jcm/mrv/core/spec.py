"""Declarative methodology specification: parameters, equations, eligibility, rounding."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jcm.mrv.core.expressions import Expression


class Confidence(StrEnum):
    """Provenance tags of the reference notes (jcm-methodologies.md §0)."""

    VERIFIED = "V"  # stated in a public source
    DERIVED = "D"  # derived by arithmetic from cited numbers
    COMMON = "K"  # commonly reported, not confirmed against the approved PDF
    GAP = "GAP"  # not found; configurable

    @property
    def confirmed(self) -> bool:
        return self in {Confidence.VERIFIED, Confidence.DERIVED}


class ParameterKind(StrEnum):
    MONITORED = "monitored"
    FIXED_EX_ANTE = "fixed_ex_ante"
    PROJECT_SPECIFIC = "project_specific"


class MonitoringOption(StrEnum):
    A = "A"  # public data measured by others
    B = "B"  # transaction amounts measured by meters, evidenced by invoices
    C = "C"  # PP-operated measuring equipment


class Aggregation(StrEnum):
    """How meter readings of a monitored parameter become one value per period."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"


class Direction(StrEnum):
    """Which way a value moves to lower ER (used to explain corrections)."""

    DOWN = "down"
    UP = "up"
    NONE = "none"


class Grain(StrEnum):
    """What the unit index i of per-unit parameters stands for."""

    DEVICE = "device"
    DAY = "day"


@dataclass(frozen=True)
class Source:
    text: str
    url: str | None = None
    confidence: Confidence = Confidence.VERIFIED

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "url": self.url,
            "confidence": self.confidence.value,
            "confirmed": self.confidence.confirmed,
        }


@dataclass(frozen=True)
class DefaultValue:
    value: Decimal
    source: Source
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"value": str(self.value), "label": self.label, "source": self.source.to_dict()}


@dataclass(frozen=True)
class ValidRange:
    low: Decimal | None = None
    high: Decimal | None = None
    low_open: bool = False  # True: low itself is not allowed

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None and value > self.high)

    def describe(self) -> str:
        low = "-∞" if self.low is None else str(self.low)
        high = "+∞" if self.high is None else str(self.high)
        return f"{'(' if self.low_open or self.low is None else '['}{low}, {high}]"


@dataclass(frozen=True)
class Parameter:
    key: str  # identifier used in equations, meter files and parameter files
    symbol: str  # symbol as printed in the methodology, e.g. "EC_PJ,i,p"
    description: str
    unit: str
    kind: ParameterKind
    per_unit: bool = True
    default: DefaultValue | None = None
    choices: tuple[DefaultValue, ...] = ()
    options: tuple[MonitoringOption, ...] = ()
    valid_range: ValidRange = ValidRange()
    confidence: Confidence = Confidence.COMMON
    aggregation: Aggregation = Aggregation.SUM
    lowers_er: Direction = Direction.DOWN
    note: str = ""

    @property
    def confirmed(self) -> bool:
        own = self.confidence.confirmed
        return own and (self.default is None or self.default.source.confidence.confirmed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "symbol": self.symbol,
            "description": self.description,
            "unit": self.unit,
            "kind": self.kind.value,
            "per_unit": self.per_unit,
            "default": self.default.to_dict() if self.default else None,
            "choices": [c.to_dict() for c in self.choices],
            "monitoring_options": [o.value for o in self.options],
            "valid_range": {
                "low": None if self.valid_range.low is None else str(self.valid_range.low),
                "high": None if self.valid_range.high is None else str(self.valid_range.high),
                "low_open": self.valid_range.low_open,
            },
            "aggregation": self.aggregation.value,
            "lowers_er": self.lowers_er.value,
            "confidence": self.confidence.value,
            "confirmed": self.confirmed,
            "note": self.note,
        }


@dataclass(frozen=True)
class Equation:
    """``key = expression``; per_unit equations are evaluated once per unit i, in order."""

    key: str
    symbol: str
    expression: Expression
    unit: str
    per_unit: bool
    description: str = ""
    fallback: bool = False  # only evaluated when the value is not given as an input
    confidence: Confidence = Confidence.COMMON

    @classmethod
    def of(
        cls,
        key: str,
        symbol: str,
        source: str,
        unit: str,
        *,
        per_unit: bool,
        description: str = "",
        fallback: bool = False,
        confidence: Confidence = Confidence.COMMON,
    ) -> Equation:
        return cls(key, symbol, Expression.parse(source), unit, per_unit, description, fallback, confidence)


EligibilityCheck = Callable[[Mapping[str, Decimal]], bool]


@dataclass(frozen=True)
class EligibilityCriterion:
    number: int
    text: str
    check: EligibilityCheck | None = field(default=None, compare=False)
    check_text: str = ""  # what the machine check tests, in words
    confidence: Confidence = Confidence.COMMON

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "machine_check": self.check_text or None,
            "confidence": self.confidence.value,
            "confirmed": self.confidence.confirmed,
        }


class RoundingMode(StrEnum):
    FLOOR = "floor"  # ROUNDDOWN(RE − PE, 0), the spreadsheet convention (§1.3)


@dataclass(frozen=True)
class Rounding:
    mode: RoundingMode = RoundingMode.FLOOR
    confidence: Confidence = Confidence.COMMON
    text: str = "ER_p = ROUNDDOWN(RE_p − PE_p, 0): RE and PE in full precision, ER rounded down once"


@dataclass(frozen=True)
class Methodology:
    jcm_id: str
    version: str
    title: str
    partner_country: str  # ISO 3166 alpha-2, e.g. "TH"; the country pair is JP–partner
    sectoral_scope: int
    family: str
    status: str  # "approved" or "proposed"
    parameters: tuple[Parameter, ...]
    equations: tuple[Equation, ...]
    sources: tuple[Source, ...]
    eligibility: tuple[EligibilityCriterion, ...] = ()
    approved_on: date | None = None
    proponent: str = ""
    grain: Grain = Grain.DEVICE
    re_key: str = "RE"
    pe_key: str = "PE"
    rounding: Rounding = Rounding()
    confidence: Confidence = Confidence.COMMON  # of the equations as a whole
    notes: tuple[str, ...] = ()

    @property
    def country_pair(self) -> tuple[str, str]:
        return ("JP", self.partner_country)

    def parameter(self, key: str) -> Parameter | None:
        for p in self.parameters:
            if key in (p.key, p.symbol):
                return p
        return None

    def unconfirmed(self) -> tuple[str, ...]:
        """Everything in the spec that the reference marks [K] or [GAP]."""
        flags = [f"parameter {p.symbol}" for p in self.parameters if not p.confirmed]
        flags += [f"equation {e.symbol}" for e in self.equations if not e.confidence.confirmed]
        flags += [f"eligibility criterion {c.number}" for c in self.eligibility if not c.confidence.confirmed]
        if not self.rounding.confidence.confirmed:
            flags.append("rounding rule")
        return tuple(flags)

    def to_dict(self) -> dict[str, Any]:
        return {
            "jcm_id": self.jcm_id,
            "version": self.version,
            "title": self.title,
            "country_pair": list(self.country_pair),
            "sectoral_scope": self.sectoral_scope,
            "family": self.family,
            "status": self.status,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "proponent": self.proponent,
            "grain": self.grain.value,
            "parameters": [p.to_dict() for p in self.parameters],
            "equations": [
                {
                    "key": e.key,
                    "symbol": e.symbol,
                    "unit": e.unit,
                    "per_unit": e.per_unit,
                    "text": f"{e.symbol} = {render_text(self, e)}",
                    "fallback": e.fallback,
                    "description": e.description,
                    "confidence": e.confidence.value,
                    "confirmed": e.confidence.confirmed,
                }
                for e in self.equations
            ],
            "emission_reductions": f"ER_p = {self.rounding.text.split('= ', 1)[1]}",
            "rounding": {"mode": self.rounding.mode.value, "confirmed": self.rounding.confidence.confirmed},
            "eligibility": [c.to_dict() for c in self.eligibility],
            "sources": [s.to_dict() for s in self.sources],
            "confidence": self.confidence.value,
            "unconfirmed": list(self.unconfirmed()),
            "notes": list(self.notes),
        }


def symbol_of(methodology: Methodology, key: str) -> str:
    param = methodology.parameter(key)
    if param is not None:
        return param.symbol
    for eq in methodology.equations:
        if eq.key == key:
            return eq.symbol
    return key


def render_text(methodology: Methodology, equation: Equation) -> str:
    return equation.expression.render(lambda k: symbol_of(methodology, k))
