"""Bad input gives a domain error naming where and why, and no result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from jcm.mrv.core import (
    MissingParameter,
    MrvError,
    OutOfRange,
    Period,
    PeriodError,
    PeriodInputs,
    UnitError,
    UnknownMethodology,
    calculate,
    get_methodology,
    parse_period,
)

from .helpers import YEAR_2017, given, measured, run


def test_unknown_methodology_names_the_id_and_nearby_ones() -> None:
    with pytest.raises(UnknownMethodology) as info:
        get_methodology("TH_AM999")
    assert "TH_AM999" in str(info.value) and "TH_AM001" in str(info.value)


def test_missing_project_specific_parameter_names_symbol_and_where_to_give_it() -> None:
    with pytest.raises(MissingParameter, match=r"missing EF_RE,i for unit 1 .*parameters file"):
        run("TH_AM001", [measured("EG", 10)])


def test_value_outside_valid_range_names_parameter_value_and_source() -> None:
    with pytest.raises(OutOfRange, match=r"EF_RE,i = 7 tCO2/MWh is outside the valid range \(0, 1.5\]"):
        run("TH_AM001", [measured("EG", 10)], [given("EF_RE", 7)])


def test_value_not_among_the_methodologys_choices() -> None:
    with pytest.raises(OutOfRange, match=r"0.797 .*0.533"):
        run("MN_AM003", [measured("EG", 10)], [given("EF_RE", "0.6")])


def test_negative_meter_total_is_rejected() -> None:
    with pytest.raises(OutOfRange, match="EG_i,p of unit 1 = -5"):
        run("TH_AM001", [measured("EG", -5)], [given("EF_RE", "0.5")])


def test_wrong_unit_names_parameter() -> None:
    with pytest.raises(UnitError, match=r"'degC'.*cannot be converted to MWh") as info:
        run("TH_AM001", [measured("EG", 10, "degC")], [given("EF_RE", "0.5")])
    assert info.value.location.field == "EG"


def test_unknown_unit() -> None:
    with pytest.raises(UnitError, match="unknown unit 'furlongs'"):
        run("TH_AM001", [measured("EG", 10, "furlongs")], [given("EF_RE", "0.5")])


def test_kwh_is_converted_exactly() -> None:
    period = run("TH_AM001", [measured("EG", 1500, "kWh")], [given("EF_RE", "0.5")]).periods[0]
    assert period.step("EG[1]").value == 1.5 and period.re == 0.75


def test_fixed_ex_ante_value_cannot_be_overridden() -> None:
    with pytest.raises(OutOfRange, match="fixed ex ante by TH_AM005 at 37"):
        run("TH_AM005", [measured("EC_PJ", 1)], [given("T_cool_std", 35, "degC")])


def test_unknown_parameter_in_the_project_values() -> None:
    with pytest.raises(MrvError, match="has no parameter 'XYZ'"):
        run("TH_AM001", [measured("EG", 1)], [given("XYZ", 1)])


def test_empty_period_is_rejected() -> None:
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(PeriodError, match="empty"):
        Period(moment, moment)


def test_period_without_offset_is_rejected() -> None:
    with pytest.raises(PeriodError, match="no UTC offset"):
        parse_period("2024-01-01T00:00/2024-02-01T00:00+07:00")
    with pytest.raises(PeriodError, match="date without a UTC offset"):
        parse_period("2024-01-01/2024-02-01")
    tz7 = timezone(timedelta(hours=7))
    assert parse_period("2024-01-01/2024-02-01", default_tz=tz7).start == datetime(2024, 1, 1, tzinfo=tz7)


def test_overlapping_periods_are_rejected() -> None:
    m = get_methodology("TH_AM001")
    a = PeriodInputs(parse_period("2024-01-01T00:00Z/2024-07-01T00:00Z"), (measured("EG", 1),))
    b = PeriodInputs(parse_period("2024-06-01T00:00Z/2025-01-01T00:00Z"), (measured("EG", 1),))
    with pytest.raises(PeriodError, match="overlap"):
        calculate(m, periods=[a, b])


def test_no_period_and_no_data() -> None:
    m = get_methodology("TH_AM001")
    with pytest.raises(PeriodError):
        calculate(m, periods=[])
    with pytest.raises(MissingParameter, match="no monitored unit"):
        calculate(m, periods=[PeriodInputs(YEAR_2017, ())])
