"""M7 — MN_AM001 energy-saving transmission lines (LL-ACSR/SA replacing ACSR) in the Mongolian grid.

PE_p = Σ_i (E_sent,i,p − E_received,i,p) × EF_grid ; RE_p = Σ_i PE_i,p × (R_ACSR,i / R_LL,i)
(resistive loss scales with conductor resistance at equal current; exact form [K]).
"""

from __future__ import annotations

from datetime import date

from jcm.mrv.core.methodologies._common import (
    EF_RANGE,
    MN_GRID,
    MONITORED,
    PROJECT,
    D,
    K,
    V,
    energy,
    sum_equations,
)
from jcm.mrv.core.spec import (
    Aggregation,
    Direction,
    EligibilityCriterion,
    Equation,
    Methodology,
    MonitoringOption,
    Parameter,
    Source,
    ValidRange,
)

RESISTANCE = ValidRange(D(0), D(10), low_open=True)
PARAMETERS = (
    energy("E_sent", "E_sent,i,p", "Electricity sent at the origin of transmission line i in period p"),
    energy(
        "E_received",
        "E_received,i,p",
        "Electricity received at the receipt point of line i in period p",
        lowers_er=Direction.UP,
    ),
    Parameter(
        "R_LL",
        "R_LL-ACSR,i",
        "Measured DC resistance of the project LL-ACSR/SA conductor of line i",
        "ohm/km",
        MONITORED,
        options=(MonitoringOption.C,),
        valid_range=RESISTANCE,
        confidence=V,
        aggregation=Aggregation.MAX,
        lowers_er=Direction.UP,
    ),
    Parameter(
        "R_ACSR",
        "R_ACSR,i",
        "DC resistance of the reference ACSR conductor per Mongolian Standard MNS5870:2008",
        "ohm/km",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=RESISTANCE,
        confidence=K,
        lowers_er=Direction.DOWN,
    ),
    Parameter(
        "EF_grid",
        "EF_grid",
        "CO2 emission factor of the Mongolian grid (monitored per the methodology "
        "summary; default: JCM conservative EF)",
        "tCO2/MWh",
        PROJECT,
        per_unit=False,
        default=MN_GRID,
        options=(MonitoringOption.A,),
        valid_range=EF_RANGE,
        confidence=K,
        lowers_er=Direction.DOWN,
    ),
)
EQUATIONS = (
    Equation.of(
        "PE_i",
        "PE_i,p",
        "(E_sent - E_received) * EF_grid",
        "tCO2/p",
        per_unit=True,
        description="transmission loss of the project conductor × EF",
    ),
    Equation.of(
        "RE_i",
        "RE_i,p",
        "PE_i * R_ACSR / R_LL",
        "tCO2/p",
        per_unit=True,
        description="loss the reference ACSR conductor would have had at the same current",
    ),
    sum_equations("RE_i", "RE_i,p", "RE", "RE_p"),
    sum_equations("PE_i", "PE_i,p", "PE", "PE_p"),
)
ELIGIBILITY = (
    EligibilityCriterion(
        1, "ACSR conductor is replaced by low-loss LL-ACSR/SA conductor in the Mongolian grid.", confidence=V
    ),
    EligibilityCriterion(
        2,
        "The project conductor has lower DC resistance than the reference ACSR conductor.",
        lambda v: v["R_LL"] < v["R_ACSR"],
        "R_LL-ACSR,i < R_ACSR,i",
    ),
    EligibilityCriterion(
        3,
        "Power received does not exceed power sent.",
        lambda v: v["E_received"] <= v["E_sent"],
        "E_received,i,p ≤ E_sent,i,p",
    ),
)
MN_AM001 = Methodology(
    "MN_AM001",
    "1.0",
    "Installation of energy-saving transmission lines in the Mongolian Grid",
    "MN",
    2,
    "transmission_line",
    "approved",
    PARAMETERS,
    EQUATIONS,
    (
        Source(
            "MN_AM001 methodology page (proposed as MN_PM001)",
            "https://www.jcm.go.jp/mn-jp/methodologies/5",
            V,
        ),
        Source("jcm-methodologies.md M7 (equations [K], exact form [?])", None, K),
    ),
    ELIGIBILITY,
    date(2014, 2, 20),
    "Hitachi, Ltd.",
)
METHODOLOGIES = (MN_AM001,)
