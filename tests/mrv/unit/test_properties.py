"""Properties that must hold for any input: ER ≤ RE, corrections never raise ER, splitting never gains."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given as hgiven
from hypothesis import settings
from hypothesis import strategies as st

from jcm.mrv.core import CalibrationFinding, PeriodInputs, ProjectParameters, calculate, get_methodology

from .helpers import YEAR_2017, given, measured

energy = st.decimals(min_value=0, max_value=100_000, places=3)
cop = st.decimals(min_value=Decimal("0.5"), max_value=10, places=2)
ef = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1.5"), places=3)
pct = st.decimals(min_value=0, max_value=20, places=2)


def _params(jcm_id: str, values: list) -> ProjectParameters:  # type: ignore[type-arg]
    m = get_methodology(jcm_id)
    return ProjectParameters(
        tuple(
            v.__class__(
                v.key,
                v.value,
                m.parameter(v.key).unit,
                v.provenance,
                v.source,  # type: ignore[union-attr]
                v.unit_id,
            )
            for v in values
        )
    )


@settings(max_examples=60, deadline=None)
@hgiven(ec=energy, cop_pj=cop, cop_re=cop, ef_=ef, error=pct)
def test_chiller_er_never_exceeds_re_and_calibration_never_raises_er(ec, cop_pj, cop_re, ef_, error) -> None:  # type: ignore[no-untyped-def]
    m = get_methodology("TH_AM005")
    values = [
        given("COP_PJ", cop_pj),
        given("COP_RE", cop_re),
        given("T_cool_out", 34),
        given("T_chill_out", 8),
        given("EF_elec", ef_),
    ]
    base = _params("TH_AM005", values)
    inputs = [PeriodInputs(YEAR_2017, (measured("EC_PJ", ec),))]
    plain = calculate(m, periods=inputs, parameters=base).periods[0]
    assert plain.er <= plain.re
    corrected = calculate(
        m,
        periods=inputs,
        parameters=ProjectParameters(base.values, (CalibrationFinding("EC_PJ", error, "late calibration"),)),
    ).periods[0]
    assert corrected.er_exact <= plain.er_exact
    assert corrected.er <= plain.er
    assert corrected.corrections[0].er_effect <= 0


@settings(max_examples=60, deadline=None)
@hgiven(
    sent=energy,
    loss_share=st.decimals(min_value=0, max_value=Decimal("0.2"), places=3),
    r_ll=st.decimals(min_value=Decimal("0.05"), max_value=1, places=3),
    error=pct,
)
def test_transmission_corrections_move_both_meters_conservatively(sent, loss_share, r_ll, error) -> None:  # type: ignore[no-untyped-def]
    m = get_methodology("MN_AM001")
    inputs = [
        PeriodInputs(
            YEAR_2017,
            (
                measured("E_sent", sent),
                measured("E_received", sent * (1 - loss_share)),
                measured("R_LL", r_ll, "ohm/km"),
            ),
        )
    ]
    base = _params("MN_AM001", [given("R_ACSR", "0.12")])
    plain = calculate(m, periods=inputs, parameters=base).periods[0]
    findings = (CalibrationFinding("E_sent", error, "meter A"), CalibrationFinding("E_received", error, "meter B"))
    corrected = calculate(m, periods=inputs, parameters=ProjectParameters(base.values, findings)).periods[0]
    assert plain.er <= plain.re
    assert corrected.er_exact <= plain.er_exact


@settings(max_examples=80, deadline=None)
@hgiven(first=energy, second=energy, ef_=ef)
def test_splitting_a_period_never_yields_more_credits(first, second, ef_) -> None:  # type: ignore[no-untyped-def]
    m = get_methodology("TH_AM001")
    params = _params("TH_AM001", [given("EF_RE", ef_)])
    h1, h2 = YEAR_2017.split(YEAR_2017.start.replace(month=7))
    whole = calculate(m, periods=[PeriodInputs(YEAR_2017, (measured("EG", first + second),))], parameters=params)
    halves = calculate(
        m,
        periods=[PeriodInputs(h1, (measured("EG", first),)), PeriodInputs(h2, (measured("EG", second),))],
        parameters=params,
    )
    assert halves.total_er <= whole.total_er
    assert halves.periods[0].er <= halves.periods[0].re


def test_gap_in_summed_readings_is_not_filled_when_that_would_raise_er() -> None:
    m = get_methodology("TH_AM001")
    eg = measured("EG", 100)
    eg = eg.__class__(
        eg.key, eg.value, eg.unit, eg.provenance, eg.source, eg.unit_id, readings=90, max_reading=Decimal(2)
    )
    p = calculate(
        m,
        periods=[PeriodInputs(YEAR_2017, (eg,), expected_readings=100)],
        parameters=_params("TH_AM001", [given("EF_RE", "0.5")]),
    ).periods[0]
    assert p.re == 50 and p.corrections[0].kind == "gap" and "counted as zero" in p.corrections[0].reason


def test_gap_in_received_energy_is_filled_with_the_largest_reading() -> None:
    m = get_methodology("MN_AM001")
    rec = measured("E_received", 900)
    rec = rec.__class__(
        rec.key, rec.value, rec.unit, rec.provenance, rec.source, rec.unit_id, readings=98, max_reading=Decimal(10)
    )
    sent = measured("E_sent", 1000)
    sent = sent.__class__(sent.key, sent.value, sent.unit, sent.provenance, sent.source, sent.unit_id, readings=100)
    r_ll = measured("R_LL", "0.1", "ohm/km")
    p = calculate(
        m,
        periods=[PeriodInputs(YEAR_2017, (sent, rec, r_ll), expected_readings=100)],
        parameters=_params("MN_AM001", [given("R_ACSR", "0.12")]),
    ).periods[0]
    gap = p.corrections[0]
    assert (gap.before, gap.after) == (900, 920) and "largest reading" in gap.reason
    corrected = [s for s in p.trace if s.provenance.value == "corrected"]
    assert [(s.symbol, s.value, s.inputs) for s in corrected] == [("E_received,i,p", 920, ("E_received[1]",))]
    assert corrected[0].ref in p.step("PE_i[1]").inputs
