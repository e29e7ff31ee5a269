"""M1 — Installation of Solar PV System (family), incl. grid/captive, storage and day-category variants.

RE_p = Σ_i EG_i,p × EF_RE,i ; PE_p = 0 (structure [V] from the jcm.go.jp summaries, equations [K]).
"""

from __future__ import annotations

from datetime import date

from jcm.mrv.core.methodologies._common import (
    DIESEL_MOST_EFFICIENT,
    EF_RANGE,
    GAP,
    INDONESIA_EF_NOTE,
    MN_CAPTIVE,
    MN_GRID,
    MONITORED,
    PROJECT,
    D,
    K,
    V,
    energy,
    sum_equations,
    zero_pe,
)
from jcm.mrv.core.spec import (
    Aggregation,
    DefaultValue,
    Direction,
    EligibilityCriterion,
    Equation,
    Grain,
    Methodology,
    MonitoringOption,
    Parameter,
    Source,
    ValidRange,
)

ELIGIBILITY = (
    EligibilityCriterion(
        1, "The project installs solar PV system(s), grid-connected or connected to an internal grid."
    ),
    EligibilityCriterion(
        2,
        "PV modules are certified for design qualification (IEC 61215, IEC 61646 or IEC 62108) "
        "and safety qualification (IEC 61730-1 and IEC 61730-2).",
    ),
    EligibilityCriterion(
        3, "(Some versions) Equipment to monitor PV output (and irradiance) is installed at the site."
    ),
    EligibilityCriterion(
        4,
        "(Some versions) A plan ensures PV modules are not released to the environment and are "
        "disposed of properly at end of life.",
    ),
)
EG = energy("EG", "EG_i,p", "Quantity of electricity generated (AC output) by project PV system i in period p")
RE_I = Equation.of(
    "RE_i",
    "RE_i,p",
    "EG * EF_RE",
    "tCO2/p",
    per_unit=True,
    description="reference emissions displaced by PV system i",
)
RE = sum_equations("RE_i", "RE_i,p", "RE", "RE_p")
PE = zero_pe("PV generation uses no fuel; project emissions are zero")


def _ef_re(default: DefaultValue | None = None, choices: tuple[DefaultValue, ...] = (), note: str = "") -> Parameter:
    confidence = V if default is not None else GAP
    return Parameter(
        "EF_RE",
        "EF_RE,i",
        "Conservative CO2 emission factor of the grid and/or captive electricity "
        "displaced by PV system i (fixed ex ante per connection case)",
        "tCO2/MWh",
        PROJECT,
        default=default,
        choices=choices,
        options=(MonitoringOption.A,),
        valid_range=EF_RANGE,
        confidence=confidence,
        note=note
        or "value per connection case from the methodology's "
        "additional information on emission factors (not in the reference: [GAP])",
    )


def _pv(
    jcm_id: str,
    version: str,
    country: str,
    url: str,
    *,
    title: str = "Installation of Solar PV System",
    approved: date | None = None,
    proponent: str = "",
    status: str = "approved",
    ef: Parameter | None = None,
    notes: tuple[str, ...] = (),
    source_confidence: str = "V",
) -> Methodology:
    conf = V if source_confidence == "V" else GAP
    return Methodology(
        jcm_id,
        version,
        title,
        country,
        1,
        "solar_pv",
        status,
        (EG, ef or _ef_re()),
        (RE_I, RE, PE),
        (
            Source(f"{jcm_id} methodology page", url, conf),
            Source("jcm-methodologies.md M1 (equations [K])", None, K),
        ),
        ELIGIBILITY,
        approved,
        proponent,
        notes=notes,
    )


TH_AM001 = _pv(
    "TH_AM001",
    "1.0",
    "TH",
    "https://www.jcm.go.jp/th-jp/methodologies/39",
    approved=date(2016, 8, 23),
    proponent="Pacific Consultants Co., Ltd.",
    notes=("Revision proposed as TH_PM017 (public inputs 21 May–4 Jun 2020, IGES).",),
)
KE_AM002 = _pv(
    "KE_AM002",
    "1.0",
    "KE",
    "https://www.jcm.go.jp/ke-jp/methodologies/52",
    approved=date(2017, 3, 23),
    proponent="Pacific Consultants Co., Ltd.",
)
VN_AM007 = _pv(
    "VN_AM007",
    "1.0",
    "VN",
    "https://www.jcm.go.jp/vn-jp/methodologies/45",
    approved=date(2017, 10, 10),
    proponent="IGES",
    notes=("EG_i,p is the PV electricity consumed on site or sold to the power company.",),
)
MN_AM003 = _pv(
    "MN_AM003",
    "2.0",
    "MN",
    "https://www.jcm-mongolia.com/?page_id=12462&lang=en",
    approved=date(2017, 1, 30),
    proponent="IGES",
    ef=_ef_re(
        MN_GRID,
        (MN_GRID, MN_CAPTIVE),
        "0.797 for the national grid; 0.533 where the internal grid "
        "is also connected to a captive generator or not connected to the national grid",
    ),
    notes=(
        "The Darkhan model-project application (W2) also deducted auxiliary grid consumption; "
        "the approved methodology sets PE = 0 [K].",
    ),
)
MV_AM001 = _pv(
    "MV_AM001",
    "1.0",
    "MV",
    "https://www.jcm.go.jp/mv-jp/methodologies/19",
    title="Displacement of Grid and Captive Genset Electricity by Solar PV System",
    approved=date(2015, 3, 25),
    proponent="Pacific Consultants Co., Ltd.",
    ef=_ef_re(
        note="one conservative EF for grid and/or captive genset electricity; Maldives value "
        "not in the reference ([GAP])"
    ),
)
CL_AM001 = _pv(
    "CL_AM001",
    "1.0",
    "CL",
    "https://www.jcm.go.jp/cl-jp/methodologies/68",
    title="Installation of Solar PV System (Chile)",
    status="proposed",
    proponent="IGES (proposed)",
)
PW_AM001 = _pv(
    "PW_AM001",
    "?",
    "PW",
    "https://www.jcm.go.jp/pw-jp/methodologies",
    title="Palau solar PV methodology",
    proponent="Pacific Consultants Co., Ltd.",
    source_confidence="GAP",
    notes=("Listing page not found in the reference; title and version unconfirmed.",),
)
BD_PM002 = _pv(
    "BD_PM002",
    "proposed",
    "BD",
    "https://www.jcm.go.jp/bd-jp/methodologies/49",
    status="proposed",
    title="Installation of Solar PV System (proposed)",
    proponent="IGES",
    ef=_ef_re(
        DIESEL_MOST_EFFICIENT,
        note="three choices: national grid EF, diesel generator EF "
        "(0.533 most efficient diesel generator) or gas power generator EF; grid and gas values "
        "not in the reference ([GAP])",
    ),
)

# ID_AM017: PV with storage battery — battery losses (charged − discharged) are not credited [K].
EC_BT = energy(
    "EC_BT",
    "EC_BT,i,p",
    "Electricity charged into the storage battery of system i in period p",
    lowers_er=Direction.UP,
)
EG_BT = energy("EG_BT", "EG_BT,i,p", "Electricity discharged from the storage battery of system i in period p")
EG_NET = Equation.of(
    "EG_net",
    "EG_net,i,p",
    "EG - EC_BT + EG_BT",
    "MWh/p",
    per_unit=True,
    description="PV output net of storage battery losses",
)
RE_I_BT = Equation.of("RE_i", "RE_i,p", "EG_net * EF_RE", "tCO2/p", per_unit=True)
ID_AM017 = Methodology(
    "ID_AM017",
    "1.0",
    "Installation of Solar PV System and Storage Battery System",
    "ID",
    1,
    "solar_pv",
    "approved",
    (EG, EC_BT, EG_BT, _ef_re(note=INDONESIA_EF_NOTE)),
    (EG_NET, RE_I_BT, RE, PE),
    (
        Source("ID_AM017 methodology page", "https://www.jcm.go.jp/id-jp/methodologies/78", V),
        Source("jcm-methodologies.md M1: battery charge/discharge accounting per option ([K])", None, K),
    ),
    ELIGIBILITY,
    date(2018, 11, 28),
    "IGES",
    notes=("Displaced electricity accounts for battery charge/discharge; the option-specific form is [K].",),
)

# KH_AM002: the category of each day d decides which EF applies.
EG_D = energy("EG", "EG_d", "Electricity generated by the project PV systems on day d")
CAT_D = Parameter(
    "CAT",
    "CAT_d",
    "Category of the day d: 1 = grid-supplied day, 0 = off-grid (diesel) day",
    "-",
    MONITORED,
    choices=(
        DefaultValue(D(1), Source("KH_AM002 summary", None, V), "grid day"),
        DefaultValue(D(0), Source("KH_AM002 summary", None, V), "off-grid day"),
    ),
    options=(MonitoringOption.C,),
    valid_range=ValidRange(D(0), D(1)),
    confidence=K,
    aggregation=Aggregation.MIN,
    lowers_er=Direction.NONE,
    note="readings within a day are combined by minimum: any off-grid reading makes an off-grid day",
)
EF_GRID_KH = Parameter(
    "EF_grid",
    "EF_grid",
    "Conservative EF of the national grid of Cambodia",
    "tCO2/MWh",
    PROJECT,
    per_unit=False,
    options=(MonitoringOption.A,),
    valid_range=EF_RANGE,
    confidence=GAP,
)
EF_DIESEL_KH = Parameter(
    "EF_diesel",
    "EF_diesel",
    "Conservative EF of diesel generators in off-grid areas",
    "tCO2/MWh",
    PROJECT,
    per_unit=False,
    default=DIESEL_MOST_EFFICIENT,
    options=(MonitoringOption.A,),
    valid_range=EF_RANGE,
    confidence=K,
)
KH_AM002 = Methodology(
    "KH_AM002",
    "1.0",
    "Installation of Solar PV System",
    "KH",
    1,
    "solar_pv",
    "approved",
    (EG_D, CAT_D, EF_GRID_KH, EF_DIESEL_KH),
    (
        Equation.of("EF_d", "EF_d", "if_(CAT == 1, EF_grid, EF_diesel)", "tCO2/MWh", per_unit=True),
        Equation.of("RE_i", "RE_d", "EG * EF_d", "tCO2/p", per_unit=True),
        sum_equations("RE_i", "RE_d", "RE", "RE_p"),
        PE,
    ),
    (
        Source("KH_AM002 methodology page", "https://www.jcm.go.jp/kh-jp/methodologies/46", V),
        Source("jcm-methodologies.md M1: day-based form RE_p = Σ_d EG_d × EF_d ([K])", None, K),
    ),
    ELIGIBILITY,
    date(2017, 2, 4),
    "IGES",
    grain=Grain.DAY,
    notes=("Unit index i is the day d: meter readings are summed per calendar day (project timezone).",),
)

METHODOLOGIES = (
    TH_AM001,
    KE_AM002,
    KH_AM002,
    VN_AM007,
    MN_AM003,
    MV_AM001,
    CL_AM001,
    ID_AM017,
    BD_PM002,
    PW_AM001,
)
