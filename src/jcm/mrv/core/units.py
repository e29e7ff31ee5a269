"""Exact unit conversion at the input boundary (a small explicit table, Decimal factors).

Each unit belongs to a dimension and converts to that dimension's base unit by
``base = value * factor + offset``. Offsets (temperatures) are allowed only for
aggregations that are not sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jcm.mrv.core.errors import Location, UnitError


@dataclass(frozen=True)
class UnitDef:
    dimension: str
    factor: Decimal
    offset: Decimal = Decimal(0)


_D = Decimal
UNITS: dict[str, UnitDef] = {
    # energy, base MWh
    "Wh": UnitDef("energy", _D("0.000001")),
    "kWh": UnitDef("energy", _D("0.001")),
    "MWh": UnitDef("energy", _D(1)),
    "GWh": UnitDef("energy", _D(1000)),
    "MJ": UnitDef("energy", _D(1) / _D("3600")),
    "GJ": UnitDef("energy", _D(1) / _D("3.6")),
    "TJ": UnitDef("energy", _D(1000) / _D("3.6")),
    # power, base kW
    "W": UnitDef("power", _D("0.001")),
    "kW": UnitDef("power", _D(1)),
    "MW": UnitDef("power", _D(1000)),
    # emission factors
    "tCO2/MWh": UnitDef("ef_elec", _D(1)),
    "kgCO2/kWh": UnitDef("ef_elec", _D(1)),
    "tCO2/GJ": UnitDef("ef_fuel", _D(1)),
    "kgCO2/GJ": UnitDef("ef_fuel", _D("0.001")),
    "tCO2/TJ": UnitDef("ef_fuel", _D("0.001")),
    "tCO2": UnitDef("mass_co2", _D(1)),
    "kgCO2": UnitDef("mass_co2", _D("0.001")),
    # temperature, base degC
    "degC": UnitDef("temperature", _D(1)),
    "K": UnitDef("temperature", _D(1), _D("-273.15")),
    # time
    "h": UnitDef("time", _D(1)),
    "min": UnitDef("time", _D(1) / _D(60)),
    "day": UnitDef("days", _D(1)),
    "h/day": UnitDef("hours_per_day", _D(1)),
    # efficacy, resistance, ratios
    "lm/W": UnitDef("efficacy", _D(1)),
    "ohm/km": UnitDef("resistance_per_length", _D(1)),
    "ohm": UnitDef("resistance", _D(1)),
    "-": UnitDef("dimensionless", _D(1)),
    "%": UnitDef("percent", _D(1)),
}

ALIASES: dict[str, str] = {
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "wh": "Wh",
    "gj": "GJ",
    "mj": "MJ",
    "tj": "TJ",
    "kw": "kW",
    "mw": "MW",
    "w": "W",
    "°c": "degC",
    "degc": "degC",
    "celsius": "degC",
    "c": "degC",
    "k": "K",
    "days": "day",
    "d": "day",
    "hours": "h",
    "hour": "h",
    "t-co2/mwh": "tCO2/MWh",
    "tco2e/mwh": "tCO2/MWh",
    "kg-co2/kwh": "kgCO2/kWh",
    "tco2": "tCO2",
    "tco2e": "tCO2",
    "ω/km": "ohm/km",
    "ohm/km": "ohm/km",
    "": "-",
    "dimensionless": "-",
    "ratio": "-",
    "1": "-",
}


def normalise_unit(text: str) -> str | None:
    """Canonical spelling of a unit, or None when unknown. ``MWh/p`` means MWh per period."""
    cleaned = text.strip()
    if cleaned.endswith("/p"):
        cleaned = cleaned[:-2]
    if cleaned in UNITS:
        return cleaned
    return ALIASES.get(cleaned.lower())


def conversion(from_unit: str, to_unit: str, *, where: Location, for_sum: bool) -> tuple[Decimal, Decimal]:
    """(factor, offset) such that ``value_in_to = value_in_from * factor + offset``.

    Raises UnitError naming ``where`` if a unit is unknown, the dimensions differ, or an
    offset unit is used for a summed quantity.
    """
    src_name = normalise_unit(from_unit)
    dst_name = normalise_unit(to_unit)
    if src_name is None:
        raise UnitError(f"unknown unit {from_unit!r} (expected {to_unit})", where)
    if dst_name is None:
        raise UnitError(f"unknown target unit {to_unit!r}", where)
    src, dst = UNITS[src_name], UNITS[dst_name]
    if src.dimension != dst.dimension:
        raise UnitError(
            f"unit {from_unit!r} ({src.dimension}) cannot be converted to {to_unit} ({dst.dimension})", where
        )
    factor = src.factor / dst.factor
    offset = (src.offset - dst.offset) / dst.factor
    if for_sum and offset != 0:
        raise UnitError(f"unit {from_unit!r} has an offset and cannot be summed into {to_unit}", where)
    return factor, offset


def convert(value: Decimal, from_unit: str, to_unit: str, *, where: Location, for_sum: bool = False) -> Decimal:
    factor, offset = conversion(from_unit, to_unit, where=where, for_sum=for_sum)
    return value * factor + offset
