"""M6 — power generation by waste heat recovery (WHR) in the cement industry.

RE_p = Σ_i EG_WHR,i,p × EF_elec ; PE_p = 0 (no fossil fuel raises steam) — equations [K].
"""

from __future__ import annotations

from datetime import date

from jcm.mrv.core.methodologies._common import (
    GAP,
    INDONESIA_EF_NOTE,
    MONITORED,
    D,
    K,
    V,
    ef_elec,
    energy,
    sum_equations,
    zero_pe,
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

EG_WHR = energy(
    "EG_WHR",
    "EG_WHR,i,p",
    "Net electricity supplied by WHR unit i to the cement production facility in period p",
)
DAYS = Parameter(
    "D",
    "D_p",
    "Number of days in the monitoring period (role in the equations not in the reference)",
    "day",
    MONITORED,
    per_unit=False,
    options=(MonitoringOption.C,),
    valid_range=ValidRange(D(0), D(3660)),
    confidence=GAP,
    lowers_er=Direction.NONE,
    note="recorded and range-checked; not used in RE/PE ([GAP])",
)
EQUATIONS = (
    Equation.of("RE_i", "RE_i,p", "EG_WHR * EF_elec", "tCO2/p", per_unit=True),
    sum_equations("RE_i", "RE_i,p", "RE", "RE_p"),
    zero_pe("no fossil fuel is fired to raise steam; project emissions are zero"),
)
ELIGIBILITY = (
    EligibilityCriterion(
        1,
        "Waste heat is recovered from the suspension preheater (PH) and/or clinker cooler (AQC) "
        "of an existing or new kiln.",
    ),
    EligibilityCriterion(2, "No fossil fuel is fired to generate steam for the WHR system."),
    EligibilityCriterion(3, "Electricity generated is used within the cement plant."),
)
ID_AM001 = Methodology(
    "ID_AM001",
    "?",
    "Power Generation by Waste Heat Recovery in Cement Industry",
    "ID",
    1,
    "cement_whr",
    "approved",
    (
        EG_WHR,
        ef_elec(
            note=INDONESIA_EF_NOTE,
            description="CO2 emission factor of the grid electricity imported by "
            "the cement plant that WHR output replaces",
        ),
    ),
    EQUATIONS,
    (
        Source(
            "ID013 PDD applying ID_AM001 (PT Semen Indonesia Tuban)",
            "http://businessdocbox.com/Green_Solutions/89142596-Jcm-project-design-document-form.html",
            V,
        ),
        Source("jcm-methodologies.md M6 (equations [K])", None, K),
    ),
    ELIGIBILITY,
    notes=("Methodology page not found in the reference; version unconfirmed.",),
)
MM_AM005 = Methodology(
    "MM_AM005",
    "1.0",
    "Power Generation by Waste Heat Recovery in Cement Industry",
    "MM",
    1,
    "cement_whr",
    "approved",
    (
        EG_WHR,
        DAYS,
        ef_elec(description="CO2 emission factor of the grid and/or captive electricity replaced"),
    ),
    EQUATIONS,
    (
        Source(
            "MM_AM005 methodology page (proposed as MM_PM005)",
            "https://www.jcm.go.jp/mm-jp/methodologies/112",
            V,
        ),
        Source("jcm-methodologies.md M6 (equations [K])", None, K),
    ),
    ELIGIBILITY,
    date(2020, 4, 20),
    "IGES",
)
METHODOLOGIES = (ID_AM001, MM_AM005)
