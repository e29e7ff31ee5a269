"""M5 — energy-efficient, high colour rendering LED downlight/spotlight.

RE_p = Σ_i EC_PJ,i,p × (η_PJ,i / η_RE,i) × EF_elec ; PE_p = Σ_i EC_PJ,i,p × EF_elec (equations [K]).
Where EC is not metered: EC_PJ,i,p = P_PJ,i × H_i × OD_p / 1000 (rated kW × h/day × opening days) [K].
"""

from __future__ import annotations

from datetime import date

from jcm.mrv.core.methodologies._common import (
    GAP,
    INDONESIA_EF_NOTE,
    MONITORED,
    POSITIVE,
    PROJECT,
    D,
    K,
    V,
    ef_elec,
    energy,
    sum_equations,
)
from jcm.mrv.core.spec import (
    Direction,
    EligibilityCriterion,
    Equation,
    Methodology,
    MonitoringOption,
    Parameter,
    Source,
    ValidRange,
)

EFFICACY = ValidRange(D(0), D(300), low_open=True)
PARAMETERS = (
    energy(
        "EC_PJ",
        "EC_PJ,i,p",
        "Power consumption of project lighting i in period p (metered); when absent it "
        "is estimated from rated power, operating hours and opening days",
    ),
    Parameter(
        "P_PJ",
        "P_PJ,i",
        "Rated power consumption of project lighting i",
        "kW",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=POSITIVE,
        confidence=K,
        lowers_er=Direction.DOWN,
    ),
    Parameter(
        "H_PJ",
        "H_i",
        "Daily operating hours of project lighting i",
        "h/day",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=ValidRange(D(0), D(24)),
        confidence=K,
        lowers_er=Direction.DOWN,
    ),
    Parameter(
        "OD",
        "OD_p",
        "Opening days of the facilities in period p",
        "day",
        MONITORED,
        per_unit=False,
        options=(MonitoringOption.C,),
        valid_range=ValidRange(D(0), D(366)),
        confidence=V,
        lowers_er=Direction.DOWN,
    ),
    Parameter(
        "eff_PJ",
        "η_PJ,i",
        "Luminous efficacy of project lighting i",
        "lm/W",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=EFFICACY,
        confidence=K,
        lowers_er=Direction.DOWN,
    ),
    Parameter(
        "eff_RE",
        "η_RE,i",
        "Luminous efficacy of reference lighting (default not in the reference: [GAP])",
        "lm/W",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=EFFICACY,
        confidence=GAP,
        lowers_er=Direction.UP,
    ),
    ef_elec(note=INDONESIA_EF_NOTE),
)
EQUATIONS = (
    Equation.of(
        "EC_PJ",
        "EC_PJ,i,p",
        "P_PJ * H_PJ * OD / 1000",
        "MWh/p",
        per_unit=True,
        fallback=True,
        description="estimate used only when EC_PJ,i,p is not metered (kW × h/day × days / 1000)",
    ),
    Equation.of("RE_i", "RE_i,p", "EC_PJ * eff_PJ / eff_RE * EF_elec", "tCO2/p", per_unit=True),
    Equation.of("PE_i", "PE_i,p", "EC_PJ * EF_elec", "tCO2/p", per_unit=True),
    sum_equations("RE_i", "RE_i,p", "RE", "RE_p"),
    sum_equations("PE_i", "PE_i,p", "PE", "PE_p"),
)
ELIGIBILITY = (
    EligibilityCriterion(
        1,
        "LED downlight/spotlight installed in indoor facilities requiring high colour rendering "
        "(Ra threshold not in the reference).",
    ),
    EligibilityCriterion(
        2,
        "Luminous efficacy of the project lighting exceeds the reference efficacy.",
        lambda v: v["eff_PJ"] > v["eff_RE"],
        "η_PJ,i > η_RE,i",
    ),
)


def _led(jcm_id: str, country: str, url: str, approved: date, proposed_as: str) -> Methodology:
    return Methodology(
        jcm_id,
        "1.0",
        "Introduction of energy efficient and high colour rendering LED downlight/spotlight",
        country,
        3,
        "led_lighting",
        "approved",
        PARAMETERS,
        EQUATIONS,
        (
            Source(f"{jcm_id} methodology page (proposed as {proposed_as})", url, V),
            Source("jcm-methodologies.md M5 (equations [K])", None, K),
        ),
        ELIGIBILITY,
        approved,
        "FAST RETAILING CO., LTD.",
    )


ID_AM020 = _led("ID_AM020", "ID", "https://www.jcm.go.jp/id-jp/methodologies/98", date(2019, 10, 31), "ID_PM030")
TH_AM016 = _led("TH_AM016", "TH", "https://www.jcm.go.jp/th-jp/methodologies/130", date(2022, 6, 17), "TH_PM019")
METHODOLOGIES = (ID_AM020, TH_AM016)
