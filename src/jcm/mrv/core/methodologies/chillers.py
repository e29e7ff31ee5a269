"""M2 — Energy saving by introduction of high-efficiency centrifugal chillers (family).

RE_p = Σ_i EC_PJ,i,p × (COP_PJ,tc,i / COP_RE,i) × EF_elec ; PE_p = Σ_i EC_PJ,i,p × EF_elec, with the
project COP converted to standardized temperature conditions (equations [K]; ratio direction [D] by W1).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from jcm.mrv.core.methodologies._common import (
    CAPTIVE_DIESEL_CDM,
    COP_RANGE,
    FIXED,
    GAP,
    INDONESIA_EF_NOTE,
    MONITORED,
    PROJECT,
    D,
    K,
    V,
    ef_elec,
    energy,
    sum_equations,
)
from jcm.mrv.core.spec import (
    DefaultValue,
    Direction,
    EligibilityCriterion,
    Equation,
    Methodology,
    MonitoringOption,
    Parameter,
    Source,
    ValidRange,
)

_STD = Source("Standardizing conditions of the chiller methodologies (jcm-methodologies.md M2)", None, K)
TEMP = ValidRange(D(-20), D(80))


def _fixed(key: str, symbol: str, description: str, value: str, unit: str = "degC") -> Parameter:
    return Parameter(
        key,
        symbol,
        description,
        unit,
        FIXED,
        per_unit=False,
        default=DefaultValue(D(value), _STD),
        valid_range=TEMP,
        confidence=K,
        lowers_er=Direction.NONE,
    )


def _project(key: str, symbol: str, description: str, unit: str, rng: ValidRange, lowers: Direction) -> Parameter:
    return Parameter(
        key,
        symbol,
        description,
        unit,
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=rng,
        confidence=K,
        lowers_er=lowers,
    )


PARAMETERS = (
    energy("EC_PJ", "EC_PJ,i,p", "Power consumption of project chiller i in period p"),
    Parameter(
        "EI_grid",
        "EI_grid,p",
        "Electricity imported from the grid to the project site in period p "
        "(decides the grid vs captive EF; recorded, not used in RE/PE)",
        "MWh",
        MONITORED,
        per_unit=False,
        options=(MonitoringOption.C,),
        valid_range=ValidRange(D(0), D(1_000_000)),
        confidence=V,
        lowers_er=Direction.NONE,
        note="plausibility bound 1,000,000 MWh/p: W3 printed 42,826,880 'MWh/p', evidently kWh",
    ),
    _project(
        "COP_PJ",
        "COP_PJ,i",
        "COP of project chiller i at rated conditions (manufacturer specification)",
        "-",
        COP_RANGE,
        Direction.DOWN,
    ),
    _project(
        "T_cool_out",
        "T_cooling-out,i",
        "Cooling water outlet temperature of project chiller i at rated conditions",
        "degC",
        TEMP,
        Direction.DOWN,
    ),
    _project(
        "T_chill_out",
        "T_chilled-out,i",
        "Chilled water outlet temperature of project chiller i at rated conditions",
        "degC",
        TEMP,
        Direction.UP,
    ),
    Parameter(
        "COP_RE",
        "COP_RE,i",
        "Reference COP for the cooling capacity band of chiller i (default table not in the reference: [GAP])",
        "-",
        PROJECT,
        options=(MonitoringOption.A,),
        valid_range=COP_RANGE,
        confidence=GAP,
        lowers_er=Direction.UP,
    ),
    _fixed(
        "T_cool_std",
        "T_cooling-out,std",
        "Cooling water outlet temperature of standardizing conditions",
        "37",
    ),
    _fixed(
        "T_chill_std",
        "T_chilled-out,std",
        "Chilled water outlet temperature of standardizing conditions",
        "7",
    ),
    _fixed(
        "TD_chilled",
        "TD_chilled",
        "Temperature difference between refrigerant evaporating and chilled water outlet temperatures",
        "1.5",
    ),
    _fixed(
        "TD_cooling",
        "TD_cooling",
        "Temperature difference between refrigerant condensing and cooling water outlet temperatures",
        "1.5",
    ),
)
EQUATIONS = (
    Equation.of(
        "COP_PJ_tc",
        "COP_PJ,tc,i",
        "COP_PJ * (T_cool_out - T_chill_out + TD_chilled + TD_cooling) "
        "/ (T_cool_std - T_chill_std + TD_chilled + TD_cooling)",
        "-",
        per_unit=True,
        description="project COP converted to standardized temperature conditions",
    ),
    Equation.of("RE_i", "RE_i,p", "EC_PJ * COP_PJ_tc / COP_RE * EF_elec", "tCO2/p", per_unit=True),
    Equation.of("PE_i", "PE_i,p", "EC_PJ * EF_elec", "tCO2/p", per_unit=True),
    sum_equations("RE_i", "RE_i,p", "RE", "RE_p"),
    sum_equations("PE_i", "PE_i,p", "PE", "PE_p"),
)


def _cop_above_6(values: Mapping[str, Decimal]) -> bool:
    return values["COP_PJ"] > 6


ELIGIBILITY = (
    EligibilityCriterion(
        1, "Project chiller is a centrifugal water chiller using a centrifugal compressor.", confidence=V
    ),
    EligibilityCriterion(
        2,
        "COP of the project chiller is more than 6.0 (FY2013 proposal; approved versions use a "
        "capacity-banded threshold on COP_PJ,tc,i, thresholds not in the reference).",
        _cop_above_6,
        "COP_PJ,i > 6.0",
        K,
    ),
    EligibilityCriterion(
        3,
        "Regular checks by the manufacturer or an authorised agent at least four times a year.",
        confidence=V,
    ),
    EligibilityCriterion(4, "Ozone Depletion Potential (ODP) of the refrigerant is zero.", confidence=V),
    EligibilityCriterion(5, "A plan for recovery and destruction of the refrigerant is prepared.", confidence=V),
)


def _chiller(
    jcm_id: str,
    version: str,
    title: str,
    country: str,
    url: str | None,
    approved: date | None,
    proponent: str = "",
    ef_note: str = "",
    notes: tuple[str, ...] = (),
    with_grid_import: bool = False,
) -> Methodology:
    params = tuple(p for p in PARAMETERS if with_grid_import or p.key != "EI_grid")
    ef = ef_elec(
        choices=(),
        note=ef_note
        or "grid EF of the host country, or captive EF (default "
        f"{CAPTIVE_DIESEL_CDM.value} for diesel generators [K]); the lower applies when both supply the site",
    )
    return Methodology(
        jcm_id,
        version,
        title,
        country,
        3,
        "centrifugal_chiller",
        "approved",
        (*params, ef),
        EQUATIONS,
        (
            Source(f"{jcm_id} methodology page", url, V if url else GAP),
            Source("jcm-methodologies.md M2 (equations [K])", None, K),
        ),
        ELIGIBILITY,
        approved,
        proponent,
        notes=notes,
    )


_TITLE = "Energy Saving by Introduction of High Efficiency Centrifugal Chiller"
ID_AM002 = _chiller(
    "ID_AM002",
    "02.0",
    _TITLE,
    "ID",
    None,
    None,
    ef_note=INDONESIA_EF_NOTE,
    with_grid_import=True,
    notes=("Spreadsheet JCM_ID_AM002_ver02.0 (named in the ID009 monitoring report).",),
)
TH_AM005 = _chiller(
    "TH_AM005",
    "3.0",
    "Energy Saving by Introduction of High Efficiency Non-Inverter Type Centrifugal Chiller",
    "TH",
    "https://www.jcm.go.jp/th-jp/methodologies/144",
    date(2023, 10, 11),
    "The Joint Committee",
)
TH_AM003 = _chiller(
    "TH_AM003",
    "02.0",
    "Energy Saving by Introduction of High Efficiency Inverter Type Centrifugal Chiller",
    "TH",
    "https://www.jcm.go.jp/th-jp/jc_decisions",
    date(2023, 10, 11),
)
CR_AM002 = _chiller(
    "CR_AM002",
    "1.0",
    _TITLE + " (Costa Rica)",
    "CR",
    "https://www.jcm.go.jp/cr-jp/jc_decisions",
    date(2018, 3, 12),
)

METHODOLOGIES = (ID_AM002, TH_AM005, TH_AM003, CR_AM002)
