"""A hand-computed case for every shipped JCM ID (arithmetic shown in each row's comment)."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from jcm.mrv.core import list_methodologies

from .helpers import given, measured, run

CASES = {
    # PV family: RE = Σ EG × EF_RE, PE = 0
    "TH_AM001": (
        [measured("EG", "120.5", unit_id="inv-1"), measured("EG", 80, unit_id="inv-2")],
        [given("EF_RE", "0.5")],
        "100.25",
        "0",
        100,
    ),  # 200.5 × 0.5
    "KE_AM002": ([measured("EG", 1000)], [given("EF_RE", "0.3")], "300", "0", 300),
    "VN_AM007": ([measured("EG", "250.4")], [given("EF_RE", "0.6766")], "169.42064", "0", 169),
    "MN_AM003": ([measured("EG", 100)], [given("EF_RE", "0.533")], "53.3", "0", 53),  # captive case
    "MV_AM001": ([measured("EG", 291)], [given("EF_RE", "0.533")], "155.103", "0", 155),
    "CL_AM001": ([measured("EG", 500)], [given("EF_RE", "0.4")], "200", "0", 200),
    "PW_AM001": ([measured("EG", "100.1")], [given("EF_RE", "0.533")], "53.3533", "0", 53),
    "BD_PM002": ([measured("EG", 10)], [], "5.33", "0", 5),  # default 0.533 (diesel)
    # storage: (100 − 20 + 18) × 0.619 = 60.662
    "ID_AM017": (
        [measured("EG", 100), measured("EC_BT", 20), measured("EG_BT", 18)],
        [given("EF_RE", "0.619")],
        "60.662",
        "0",
        60,
    ),
    # day category: 10 × 0.6 (grid day) + 12 × 0.533 (off-grid day) = 12.396
    "KH_AM002": (
        [
            measured("EG", 10, unit_id="2024-01-01"),
            measured("CAT", 1, "-", "2024-01-01"),
            measured("EG", 12, unit_id="2024-01-02"),
            measured("CAT", 0, "-", "2024-01-02"),
        ],
        [given("EF_grid", "0.6")],
        "12.396",
        "0",
        12,
    ),
    # chillers: standard conditions 37/7 °C -> COP_tc = COP_PJ; RE = 347.2 × 6.2/5.5 × 0.5
    "ID_AM002": (
        [measured("EC_PJ", "347.2")],
        [
            given("COP_PJ", "6.2"),
            given("COP_RE", "5.5"),
            given("T_cool_out", 37, "degC"),
            given("T_chill_out", 7, "degC"),
            given("EF_elec", "0.5"),
        ],
        None,
        "173.6",
        22,
    ),
    # 32/7 °C: COP_tc = 6.6 × (32 − 7 + 3)/(37 − 7 + 3) = 5.6; RE = 100 × 5.6/5 × 0.5 = 56; PE = 50
    "TH_AM005": (
        [measured("EC_PJ", 100)],
        [
            given("COP_PJ", "6.6"),
            given("COP_RE", 5),
            given("T_cool_out", 32, "degC"),
            given("T_chill_out", 7, "degC"),
            given("EF_elec", "0.5"),
        ],
        "56",
        "50",
        6,
    ),
    # 35/6 °C: COP_tc = 6.6 × 32/33 = 6.4; RE = 200 × 6.4/5 × 0.4 = 102.4; PE = 80
    "TH_AM003": (
        [measured("EC_PJ", 200)],
        [
            given("COP_PJ", "6.6"),
            given("COP_RE", 5),
            given("T_cool_out", 35, "degC"),
            given("T_chill_out", 6, "degC"),
            given("EF_elec", "0.4"),
        ],
        "102.4",
        "80",
        22,
    ),
    # two chillers: 50 × 6/5 × 0.1 + 40 × 7.5/5 × 0.1 = 12; PE = 90 × 0.1 = 9
    "CR_AM002": (
        [measured("EC_PJ", 50, unit_id="ch-1"), measured("EC_PJ", 40, unit_id="ch-2")],
        [
            given("COP_PJ", 6, unit_id="ch-1"),
            given("COP_PJ", "7.5", unit_id="ch-2"),
            given("COP_RE", 5),
            given("T_cool_out", 37, "degC"),
            given("T_chill_out", 7, "degC"),
            given("EF_elec", "0.1"),
        ],
        "12",
        "9",
        3,
    ),
    # refrigerators / AC: RE = EC × COP_PJ/COP_RE × EF
    "ID_AM003": (
        [measured("EC_PJ", 135)],
        [given("COP_PJ", "1.63"), given("EF_elec", "0.814")],
        "135.6975",
        "109.89",
        25,
    ),
    "MM_AM002": (
        [measured("EC_PJ", 200)],
        [given("COP_PJ", 2), given("COP_RE", "1.6"), given("EF_elec", "0.8")],
        "200",
        "160",
        40,
    ),
    "TH_AM011": (
        [measured("EC_PJ", 80)],
        [given("COP_PJ", "3.3"), given("COP_RE", 3), given("EF_elec", "0.5")],
        "44",
        "40",
        4,
    ),
    "ID_AM004": (
        [measured("EC_PJ", 60)],
        [given("COP_PJ", "4.2"), given("COP_RE", "3.5"), given("EF_elec", "0.619")],
        "44.568",
        "37.14",
        7,
    ),
    # LED metered: 10 × 100/80 × 0.619 = 7.7375; PE 6.19
    "ID_AM020": (
        [measured("EC_PJ", 10)],
        [given("eff_PJ", 100, "lm/W"), given("eff_RE", 80, "lm/W"), given("EF_elec", "0.619")],
        "7.7375",
        "6.19",
        1,
    ),
    # LED estimated: EC = 2 kW × 12 h/day × 300 days / 1000 = 7.2 MWh; RE = 7.2 × 120/90 × 0.5 = 4.8
    "TH_AM016": (
        [measured("OD", 300, "day", None)],
        [
            given("P_PJ", 2, "kW", "L-1"),
            given("H_PJ", 12, "h/day"),
            given("eff_PJ", 120, "lm/W"),
            given("eff_RE", 90, "lm/W"),
            given("EF_elec", "0.5"),
        ],
        "4.8",
        "3.6",
        1,
    ),
    # cement WHR: (5000 + 4500 + 4000 + 3500) × 0.619 = 10,523
    "ID_AM001": (
        [measured("EG_WHR", v, unit_id=f"WHR-{n}") for n, v in enumerate((5000, 4500, 4000, 3500), 1)],
        [given("EF_elec", "0.619")],
        "10523",
        "0",
        10523,
    ),
    "MM_AM005": (
        [measured("EG_WHR", "1000.5"), measured("D", 365, "day", None)],
        [given("EF_elec", "0.9")],
        "900.45",
        "0",
        900,
    ),
    # transmission: PE = (1000 − 980) × 0.797 = 15.94; RE = 15.94 × 0.12/0.1 = 19.128
    "MN_AM001": (
        [
            measured("E_sent", 1000, unit_id="L1"),
            measured("E_received", 980, unit_id="L1"),
            measured("R_LL", "0.1", "ohm/km", "L1"),
        ],
        [given("R_ACSR", "0.12", "ohm/km")],
        "19.128",
        "15.94",
        3,
    ),
}


def test_every_shipped_methodology_has_a_hand_computed_case() -> None:
    assert sorted(CASES) == [m.jcm_id for m in list_methodologies()]


@pytest.mark.parametrize("jcm_id", sorted(CASES))
def test_hand_computed_case(jcm_id: str) -> None:
    monitored, project, re, pe, er = CASES[jcm_id]
    period = run(jcm_id, monitored, project).periods[0]
    if re is not None:
        assert period.re == Decimal(re)
    assert period.pe == Decimal(pe)
    assert period.er == er
    with localcontext(prec=60):
        assert period.er_exact == period.re - period.pe
