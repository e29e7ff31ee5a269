"""CDM TOOL07 (Tool to calculate the emission factor for an electricity system): OM, BM and CM.

EF_grid,CM,y = EF_grid,OM,y × w_OM + EF_grid,BM,y × w_BM (formulas [K], CM step checked by W4 [D]).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jcm.mrv.core.errors import Location, MrvError, OutOfRange
from jcm.mrv.core.results import TraceStep
from jcm.mrv.core.values import Provenance

GJ_PER_MWH = Decimal("3.6")


class ProjectType(StrEnum):
    WIND_SOLAR = "wind_solar"
    OTHER = "other"


def default_weights(project_type: ProjectType, crediting_period: int = 1) -> tuple[Decimal, Decimal]:
    """(w_OM, w_BM): wind/solar 0.75/0.25 in all periods; others 0.5/0.5 first, 0.25/0.75 later."""
    if crediting_period < 1:
        raise OutOfRange(f"crediting period {crediting_period} must be 1 or more", Location(field="crediting_period"))
    if project_type is ProjectType.WIND_SOLAR:
        return Decimal("0.75"), Decimal("0.25")
    return (Decimal("0.5"), Decimal("0.5")) if crediting_period == 1 else (Decimal("0.25"), Decimal("0.75"))


@dataclass(frozen=True)
class PlantYear:
    """Generation EG_m,y (MWh) and emission factor EF_EL,m,y (tCO2/MWh) of one power unit m."""

    name: str
    generation_mwh: Decimal
    ef: Decimal


def ef_from_fuel(fuel: Decimal, ncv_gj_per_unit: Decimal, ef_co2_t_per_gj: Decimal, generation_mwh: Decimal) -> Decimal:
    """Option A1: EF_EL,m,y = FC × NCV × EF_CO2 / EG."""
    if generation_mwh <= 0:
        raise OutOfRange("generation must be positive", Location(field="generation_mwh"))
    return fuel * ncv_gj_per_unit * ef_co2_t_per_gj / generation_mwh


def ef_from_efficiency(ef_co2_t_per_gj: Decimal, efficiency: Decimal) -> Decimal:
    """Option A2: EF_EL,m,y = EF_CO2 × 3.6 / η (η as a fraction)."""
    if not Decimal(0) < efficiency <= 1:
        raise OutOfRange(f"efficiency {efficiency} must be a fraction in (0, 1]", Location(field="efficiency"))
    return ef_co2_t_per_gj * GJ_PER_MWH / efficiency


def generation_weighted_ef(units: Sequence[PlantYear], what: str) -> Decimal:
    """Σ_m EG_m × EF_EL,m / Σ_m EG_m (simple OM option A, or BM over the sample units)."""
    total = sum((u.generation_mwh for u in units), Decimal(0))
    if not units or total <= 0:
        raise MrvError(f"{what}: needs at least one unit with positive generation", Location(field=what))
    return sum((u.generation_mwh * u.ef for u in units), Decimal(0)) / total


@dataclass(frozen=True)
class CombinedMargin:
    om: Decimal
    bm: Decimal
    w_om: Decimal
    w_bm: Decimal
    cm: Decimal
    trace: tuple[TraceStep, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "om": str(self.om),
            "bm": str(self.bm),
            "w_om": str(self.w_om),
            "w_bm": str(self.w_bm),
            "cm": str(self.cm),
            "trace": [s.to_dict() for s in self.trace],
        }


def combined_margin(
    *,
    om: Decimal,
    bm: Decimal,
    w_om: Decimal,
    w_bm: Decimal,
    om_source: str = "given",
    bm_source: str = "given",
) -> CombinedMargin:
    """EF_grid,CM = EF_grid,OM × w_OM + EF_grid,BM × w_BM, full precision. Weights must sum to 1."""
    for name, value in (("om", om), ("bm", bm)):
        if not Decimal(0) <= value <= Decimal(3):
            raise OutOfRange(f"EF_grid,{name.upper()} = {value} tCO2/MWh is outside [0, 3]", Location(field=name))
    for name, value in (("w_om", w_om), ("w_bm", w_bm)):
        if not Decimal(0) <= value <= 1:
            raise OutOfRange(f"{name} = {value} must be in [0, 1]", Location(field=name))
    if w_om + w_bm != 1:
        raise OutOfRange(f"weights must sum to 1 (w_OM {w_om} + w_BM {w_bm} = {w_om + w_bm})", Location(field="w_om"))
    cm = om * w_om + bm * w_bm
    unit = "tCO2/MWh"
    trace = (
        TraceStep("EF_OM", "EF_grid,OM,y", om, unit, Provenance.PROJECT_SPECIFIC, source=om_source),
        TraceStep("EF_BM", "EF_grid,BM,y", bm, unit, Provenance.PROJECT_SPECIFIC, source=bm_source),
        TraceStep("w_OM", "w_OM", w_om, "-", Provenance.DEFAULT, source="TOOL07 weights"),
        TraceStep("w_BM", "w_BM", w_bm, "-", Provenance.DEFAULT, source="TOOL07 weights"),
        TraceStep(
            "EF_CM",
            "EF_grid,CM,y",
            cm,
            unit,
            Provenance.COMPUTED,
            equation="EF_grid,CM,y = EF_grid,OM,y × w_OM + EF_grid,BM,y × w_BM",
            inputs=("EF_OM", "w_OM", "EF_BM", "w_BM"),
            confirmed=False,
        ),
    )
    return CombinedMargin(om, bm, w_om, w_bm, cm, trace)
