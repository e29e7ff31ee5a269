"""Each meter reading is checked against its parameter's valid range when the file is read, not only
the period totals: a negative reading hidden among larger ones is refused, naming file, row, column
and the range; nothing is computed from the file then."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from jcm.mrv.core import OutOfRange, get_methodology, parse_period
from jcm.mrv.inputs.meters import read_meter_periods

HEADER = "device_id,timestamp,parameter,value,unit\n"
JAN = parse_period("2024-01-01T00:00+07:00/2024-02-01T00:00+07:00")
FEB = parse_period("2024-02-01T00:00+07:00/2024-03-01T00:00+07:00")


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "meters.csv"
    path.write_text(HEADER + body)
    return path


def test_a_negative_reading_is_refused_even_when_the_total_is_positive(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "inv-1,2024-01-01T08:00:00+07:00,EG,1500,kWh\n"
        "inv-1,2024-01-02T08:00:00+07:00,EG,1200,kWh\n"
        "inv-1,2024-01-03T08:00:00+07:00,EG,-300,kWh\n"  # total 2400 kWh > 0, this reading < 0
        "inv-1,2024-01-04T08:00:00+07:00,EG,-5,kWh\n",
    )
    with pytest.raises(OutOfRange) as info:
        read_meter_periods(path, get_methodology("MN_AM003"), [JAN])
    where = info.value.location
    assert (where.file, where.row, where.column) == (str(path), 3, "value")
    text = str(info.value)
    assert "EG" in text and "[0, +∞] MWh" in text and "-300" in text and "line 4" in text


def test_the_range_is_checked_in_the_parameters_unit_across_periods(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "a,2024-01-05T08:00:00+07:00,EG,1,MWh\n"
        "a,2024-02-05T08:00:00+07:00,EG,2,MWh\n"
        "a,2024-02-06T08:00:00+07:00,EG,-0.001,GWh\n",
    )
    with pytest.raises(OutOfRange, match="row 3, column 'value'"):
        read_meter_periods(path, get_methodology("MN_AM003"), [JAN, FEB])


def test_zero_readings_pass_and_readings_outside_every_period_are_ignored(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "a,2024-01-05T02:00:00+07:00,EG,0,MWh\n"  # night: nothing generated
        "a,2024-01-05T12:00:00+07:00,EG,3,MWh\n"
        "a,2023-12-31T12:00:00+07:00,EG,-9,MWh\n",  # outside the period: ignored, as before
    )
    (jan,) = read_meter_periods(path, get_methodology("MN_AM003"), [JAN])
    assert jan.monitored[0].value == Decimal(3)


def test_an_averaged_or_maximum_parameter_checks_the_full_range_per_reading(tmp_path: Path) -> None:
    """MN_AM001's line resistance R_LL must be in (0, 10] ohm/km; one reading of 12 is refused."""
    path = _csv(
        tmp_path,
        "line-1,2024-01-05T00:00:00+08:00,R_LL,0.3,ohm/km\n"
        "line-1,2024-01-06T00:00:00+08:00,R_LL,12,ohm/km\n",
    )
    with pytest.raises(OutOfRange, match=r"row 2, column 'value'.*\(0, 10\] ohm/km"):
        read_meter_periods(path, get_methodology("MN_AM001"), [JAN])


def test_parquet_readings_are_checked_and_the_footer_lets_a_clean_file_through(tmp_path: Path) -> None:
    stamps = [datetime(2024, 1, 1, h, tzinfo=UTC) for h in (1, 2, 3)]
    bad = tmp_path / "bad.parquet"
    pl.DataFrame(
        {"device_id": ["a"] * 3, "timestamp": stamps, "parameter": ["EG"] * 3, "value": [0.5, -0.25, 0.4],
         "unit": ["MWh"] * 3}
    ).write_parquet(bad)
    with pytest.raises(OutOfRange) as info:
        read_meter_periods(bad, get_methodology("MN_AM003"), [JAN])
    assert (info.value.location.row, info.value.location.column) == (2, "value")
    good = tmp_path / "good.parquet"
    pl.DataFrame(
        {"device_id": ["a"] * 3, "timestamp": stamps, "parameter": ["EG"] * 3, "value": [0.5, 0.0, 0.4],
         "unit": ["MWh"] * 3}
    ).write_parquet(good)
    (period,) = read_meter_periods(good, get_methodology("MN_AM003"), [JAN])
    assert period.monitored[0].value == Decimal("0.9")
