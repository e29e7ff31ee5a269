"""M3 natural-refrigerant refrigerators and M4 inverter air conditioning: the COP-ratio family.

RE_p = Σ_i EC_PJ,i,p × (COP_PJ,i / COP_RE,i) × EF_elec ; PE_p = Σ_i EC_PJ,i,p × EF_elec
(equations [K], numerically consistent with the ID_AM003 PDD, worked example W1 [D]).
"""

from __future__ import annotations

from datetime import date

from jcm.mrv.core.methodologies._common import (
    COP_RANGE,
    GAP,
    INDONESIA_EF_NOTE,
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
)

ID_AM003_PDD = Source(
    "ID_AM003 PDD (PT Adib Global Food Supplies): highest COP among refrigerators sold in Indonesia",
    "http://businessdocbox.com/Green_Solutions/91152413-Jcm-project-design-document-form.html",
    V,
)
EQUATIONS = (
    Equation.of(
        "RE_i",
        "RE_i,p",
        "EC_PJ * COP_PJ / COP_RE * EF_elec",
        "tCO2/p",
        per_unit=True,
        description="reference emissions: project consumption scaled by the COP ratio",
    ),
    Equation.of("PE_i", "PE_i,p", "EC_PJ * EF_elec", "tCO2/p", per_unit=True),
    sum_equations("RE_i", "RE_i,p", "RE", "RE_p"),
    sum_equations("PE_i", "PE_i,p", "PE", "PE_p"),
)


def _params(equipment: str, cop_re_default: DefaultValue | None, ef_note: str) -> tuple[Parameter, ...]:
    return (
        energy("EC_PJ", "EC_PJ,i,p", f"Power consumption of project {equipment} i in period p"),
        Parameter(
            "COP_PJ",
            "COP_PJ,i",
            f"COP of project {equipment} i (cooling capacity / electricity consumption, manufacturer catalogue)",
            "-",
            PROJECT,
            options=(MonitoringOption.A,),
            valid_range=COP_RANGE,
            confidence=K,
            lowers_er=Direction.DOWN,
        ),
        Parameter(
            "COP_RE",
            "COP_RE,i",
            f"Reference COP: maximum COP among {equipment}s commercially available in "
            "the host country, by type/capacity",
            "-",
            PROJECT,
            default=cop_re_default,
            options=(MonitoringOption.A,),
            valid_range=COP_RANGE,
            confidence=V if cop_re_default else GAP,
            lowers_er=Direction.UP,
            note="" if cop_re_default else "category defaults not in the reference ([GAP])",
        ),
        ef_elec(note=ef_note),
    )


REFRIGERATOR_ELIGIBILITY = (
    EligibilityCriterion(
        1, "The project refrigerator uses natural refrigerant (NH3 and/or CO2) with ODP 0 and low GWP."
    ),
    EligibilityCriterion(2, "Refrigerator type and capacity are within the range defined by the methodology."),
    EligibilityCriterion(3, "A plan prevents the release of refrigerant."),
    EligibilityCriterion(
        4,
        "The project COP exceeds the reference COP.",
        lambda v: v["COP_PJ"] > v["COP_RE"],
        "COP_PJ,i > COP_RE,i",
    ),
)
AC_ELIGIBILITY = (
    EligibilityCriterion(1, "The project installs inverter-type air conditioning for cooling in a grocery store."),
    EligibilityCriterion(
        2,
        "The project COP exceeds the reference COP for its capacity band.",
        lambda v: v["COP_PJ"] > v["COP_RE"],
        "COP_PJ,i > COP_RE,i",
    ),
)
_FRIDGE = "Installation of Energy-efficient Refrigerators Using Natural Refrigerant"


def _fridge(
    jcm_id: str,
    version: str,
    title: str,
    country: str,
    url: str | None,
    approved: date | None,
    proponent: str = "",
    cop_re: DefaultValue | None = None,
    ef_note: str = "",
    notes: tuple[str, ...] = (),
) -> Methodology:
    return Methodology(
        jcm_id,
        version,
        title,
        country,
        3,
        "natural_refrigerant_refrigerator",
        "approved",
        _params("refrigerator", cop_re, ef_note),
        EQUATIONS,
        (
            Source(f"{jcm_id} methodology page", url, V if url else GAP),
            Source("jcm-methodologies.md M3 (equations [K], checked by W1 [D])", None, K),
        ),
        REFRIGERATOR_ELIGIBILITY,
        approved,
        proponent,
        notes=notes,
    )


ID_AM003 = _fridge(
    "ID_AM003",
    "?",
    _FRIDGE + " at Food Industry Cold Storage and Frozen Food Processing Plant",
    "ID",
    None,
    None,
    cop_re=DefaultValue(D("1.32"), ID_AM003_PDD, "IQF type refrigerator, Indonesia"),
    ef_note=INDONESIA_EF_NOTE,
    notes=("Title per [K]; referenced by the PT Adib PDD. COP_RE 1.32 applies to IQF type.",),
)
MM_AM002 = _fridge(
    "MM_AM002",
    "1.0",
    _FRIDGE + " at Cold Storage",
    "MM",
    "https://www.jcm.go.jp/mm-jp/methodologies/99",
    date(2020, 1, 16),
    "Ryobi Holdings Co., Ltd.",
)
TH_AM011 = _fridge(
    "TH_AM011",
    "?",
    _FRIDGE + " at Cold Storage",
    "TH",
    "https://www.jcm.go.jp/th-jp/jc_decisions",
    date(2021, 9, 20),
)
ID_AM004 = Methodology(
    "ID_AM004",
    "2.0",
    "Installation of Inverter-Type Air Conditioning System for Cooling for Grocery Store",
    "ID",
    3,
    "inverter_air_conditioning",
    "approved",
    _params("air conditioning system", None, INDONESIA_EF_NOTE),
    EQUATIONS,
    (
        Source(
            "ID_AM004 methodology page (proposed as ID_PM013)",
            "https://www.jcm.go.jp/id-jp/methodologies/27",
            V,
        ),
        Source("jcm-methodologies.md M4 (equations [K])", None, K),
    ),
    AC_ELIGIBILITY,
    date(2015, 11, 10),
    "myclimate Japan Co., Ltd.",
    notes=("COP_RE defaults by capacity band are not in the reference ([GAP]).",),
)

METHODOLOGIES = (ID_AM003, MM_AM002, TH_AM011, ID_AM004)
