"""Building blocks shared by the methodology families: sources, defaults, common parameters."""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.core.spec import (
    Confidence,
    DefaultValue,
    Direction,
    Equation,
    MonitoringOption,
    Parameter,
    ParameterKind,
    Source,
    ValidRange,
)

D = Decimal
V, K, GAP = Confidence.VERIFIED, Confidence.COMMON, Confidence.GAP
MONITORED, FIXED, PROJECT = (
    ParameterKind.MONITORED,
    ParameterKind.FIXED_EX_ANTE,
    ParameterKind.PROJECT_SPECIFIC,
)
OPT_C = (MonitoringOption.C,)
OPT_BC = (MonitoringOption.B, MonitoringOption.C)
POSITIVE = ValidRange(D(0), None, low_open=True)
NON_NEGATIVE = ValidRange(D(0), None)
EF_RANGE = ValidRange(D(0), D("1.5"), low_open=True)  # tCO2/MWh; every grid/captive EF in the reference is below
COP_RANGE = ValidRange(D(0), D(20), low_open=True)

MONGOLIA_EF_DOC = Source(
    "Additional information on calculating the conservative EF of Mongolia (data 2013–2015)",
    "https://docslib.org/doc/5116172/c-group-c-countries-armenia-azerbaijan-belarus-kazakhstan-the-kyrgyz-"
    "republic-mongolia-russia-tajikistan-turkmenistan-and-uzbekistan",
    V,
)
MN_GRID = DefaultValue(
    D("0.797"),
    MONGOLIA_EF_DOC,
    "national grid (CES, WES, AUES, EES, SES), incl. internal grid without captive generator",
)
MN_CAPTIVE = DefaultValue(
    D("0.533"), MONGOLIA_EF_DOC, "internal grid connected to national grid and captive generator, or off-grid"
)
DIESEL_MOST_EFFICIENT = DefaultValue(
    D("0.533"),
    Source(
        "Emission factor of the most efficient diesel power generator in the world (JCM PV methodologies; "
        "3.6 × 0.0726 / 0.49 = 0.53339)",
        MONGOLIA_EF_DOC.url,
        V,
    ),
    "captive / diesel generator",
)
CAPTIVE_DIESEL_CDM = DefaultValue(
    D("0.8"),
    Source(
        "Conservative default for diesel captive generators, CDM small-scale tables (jcm-methodologies.md §1.4)",
        None,
        K,
    ),
    "captive diesel generator (energy-saving methodologies)",
)
INDONESIA_EF_NOTE = (
    "Indonesian JCM EFs (Case 1 / Case 2): Jamali 0.619/0.533, Sumatra 0.458/0.458, "
    "Bangka-Belitung 0.628/0.533, Barito 0.653/0.533, Khatulistiwa 0.549/0.533, Mahakam 0.534/0.533, "
    "Sulutgo 0.274, Sulselbar 0.243 … (table truncated in the reference; confirm per grid)"
)


def ef_elec(
    *,
    per_unit: bool = False,
    default: DefaultValue | None = None,
    choices: tuple[DefaultValue, ...] = (),
    confidence: Confidence = K,
    note: str = "",
    key: str = "EF_elec",
    symbol: str = "EF_elec",
    description: str = "CO2 emission factor of the electricity consumed (grid, or captive where it "
    "applies; the lower one when both)",
) -> Parameter:
    return Parameter(
        key,
        symbol,
        description,
        "tCO2/MWh",
        PROJECT,
        per_unit=per_unit,
        default=default,
        choices=choices,
        options=(MonitoringOption.A,),
        valid_range=EF_RANGE,
        confidence=confidence,
        lowers_er=Direction.DOWN,
        note=note,
    )


def energy(
    key: str,
    symbol: str,
    description: str,
    *,
    lowers_er: Direction = Direction.DOWN,
    confidence: Confidence = K,
    options: tuple[MonitoringOption, ...] = OPT_C,
    note: str = "",
) -> Parameter:
    return Parameter(
        key,
        symbol,
        description,
        "MWh",
        MONITORED,
        options=options,
        valid_range=NON_NEGATIVE,
        confidence=confidence,
        lowers_er=lowers_er,
        note=note,
    )


def sum_equations(per_unit_key: str, per_unit_symbol: str, total_key: str, total_symbol: str) -> Equation:
    return Equation.of(
        total_key,
        total_symbol,
        f"sum({per_unit_key})",
        "tCO2/p",
        per_unit=False,
        description=f"sum of {per_unit_symbol} over all units i",
    )


def zero_pe(text: str) -> Equation:
    return Equation.of("PE", "PE_p", "0", "tCO2/p", per_unit=False, description=text)
