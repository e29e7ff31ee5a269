"""Meter files (CSV/Parquet, long format), parameters files and monitoring spreadsheets."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from jcm.mrv.core import InputFormatError, MrvError, PeriodInputs, UnitError, calculate, get_methodology, parse_period
from jcm.mrv.inputs.meters import read_meter_periods
from jcm.mrv.inputs.params_file import load_parameters
from jcm.mrv.inputs.workbook_check import check_workbook
from jcm.mrv.inputs.workbook_layout import VALUE_COL, calc_cells, input_rows
from jcm.mrv.inputs.workbook_template import write_template

from .helpers import YEAR_2017, measured

HEADER = "device_id,timestamp,parameter,value,unit\n"
JAN = parse_period("2024-01-01T00:00+07:00/2024-02-01T00:00+07:00")
FEB = parse_period("2024-02-01T00:00+07:00/2024-03-01T00:00+07:00")


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "meters.csv"
    path.write_text(HEADER + body)
    return path


def test_csv_readings_are_summed_per_device_and_period_with_units_converted(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "inv-1,2024-01-01T08:00:00+07:00,EG,1500,kWh\n"
        "inv-1,2024-01-31T23:59:00+07:00,EG,0.5,MWh\n"
        "inv-2,2024-01-15T01:00:00Z,EG,100,kWh\n"
        "inv-1,2024-02-01T00:00:00+07:00,EG,7,MWh\n"  # first instant of February
        "inv-1,2023-12-31T23:59:00+07:00,EG,9,MWh\n",
    )  # before both periods: ignored
    m = get_methodology("MN_AM003")
    jan, feb = read_meter_periods(path, m, [FEB, JAN])
    assert {(v.unit_id, v.value, v.readings) for v in jan.monitored} == {("inv-1", 2, 2), ("inv-2", Decimal("0.1"), 1)}
    assert [(v.unit_id, v.value) for v in feb.monitored] == [("inv-1", 7)]
    result = calculate(m, periods=[jan, feb])
    assert [p.re for p in result.periods] == [Decimal("1.6737"), Decimal("5.579")]


def test_timestamp_without_offset_names_file_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "inv-1,2024-01-01T08:00:00+07:00,EG,1,kWh\ninv-1,2024-01-01T09:00:00,EG,1,kWh\n")
    with pytest.raises(InputFormatError) as info:
        read_meter_periods(path, get_methodology("MN_AM003"), [JAN])
    assert info.value.location.row == 2 and info.value.location.column == "timestamp"
    assert str(path) in str(info.value) and "UTC offset" in str(info.value)


def test_bad_value_unknown_parameter_and_unit_name_row_and_column(tmp_path: Path) -> None:
    m = get_methodology("MN_AM003")
    with pytest.raises(InputFormatError, match="row 1, column 'value'"):
        read_meter_periods(_csv(tmp_path, "inv-1,2024-01-01T08:00:00+07:00,EG,abc,kWh\n"), m, [JAN])
    with pytest.raises(InputFormatError, match=r"row 2, column 'parameter'.*monitors no parameter"):
        read_meter_periods(
            _csv(tmp_path, "a,2024-01-01T08:00:00+07:00,EG,1,kWh\na,2024-01-01T08:00:00+07:00,T,1,degC\n"), m, [JAN]
        )
    with pytest.raises(InputFormatError, match=r"row 2, column 'unit'.*cannot be converted"):
        read_meter_periods(
            _csv(tmp_path, "a,2024-01-01T08:00:00+07:00,EG,1,kWh\na,2024-01-01T09:00:00+07:00,EG,1,degC\n"), m, [JAN]
        )
    with pytest.raises(InputFormatError, match="missing column 'unit'"):
        (tmp_path / "bad.csv").write_text("device_id,timestamp,parameter,value\n")
        read_meter_periods(tmp_path / "bad.csv", m, [JAN])


def test_parquet_with_timezone_aware_timestamps_uses_the_single_period_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    stamps = [datetime(2024, 1, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, 2, tzinfo=UTC)]
    pl.DataFrame(
        {
            "device_id": ["a", "a"],
            "timestamp": stamps,
            "parameter": ["EG", "EG"],
            "value": [0.1, 0.2],
            "unit": ["MWh", "MWh"],
        }
    ).write_parquet(path)
    (period,) = read_meter_periods(path, get_methodology("MN_AM003"), [JAN])
    assert period.monitored[0].value == Decimal("0.3")  # exact: 0.1 + 0.2 summed as micro-units
    naive = tmp_path / "naive.parquet"
    pl.DataFrame(
        {"device_id": ["a"], "timestamp": [datetime(2024, 1, 1)], "parameter": ["EG"], "value": [1.0], "unit": ["MWh"]}
    ).write_parquet(naive)
    with pytest.raises(InputFormatError, match=r"column 'timestamp'.*no UTC offset"):
        read_meter_periods(naive, get_methodology("MN_AM003"), [JAN])


def test_day_category_methodology_groups_readings_by_local_day(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "pv,2024-01-01T10:00:00+07:00,EG,4,MWh\npv,2024-01-01T23:30:00+07:00,EG,6,MWh\n"
        "grid,2024-01-01T12:00:00+07:00,CAT,1,-\n"
        "pv,2024-01-02T10:00:00+07:00,EG,12,MWh\ngrid,2024-01-02T12:00:00+07:00,CAT,1,-\n"
        "grid,2024-01-02T18:00:00+07:00,CAT,0,-\n",
    )
    m = get_methodology("KH_AM002")
    (jan,) = read_meter_periods(path, m, [JAN])
    params = tmp_path / "p.yaml"
    params.write_text("values:\n  EF_grid: 0.6\n")
    period = calculate(m, periods=[jan], parameters=load_parameters(params, m).parameters).periods[0]
    assert period.step("CAT[2024-01-02]").value == 0  # any off-grid reading makes an off-grid day
    assert period.re == Decimal("12.396")


def test_parameters_file_yaml_and_json(tmp_path: Path) -> None:
    m = get_methodology("CR_AM002")
    path = tmp_path / "p.yaml"
    path.write_text(
        "methodology: CR_AM002\nvalues:\n  COP_PJ: {ch-1: 6, ch-2: {value: 7.5, source: catalogue}}\n"
        "  COP_RE: 5\n  T_cool_out: 37\n  T_chill_out: 7\n  EF_elec: {value: 0.1, unit: kgCO2/kWh}\n"
        "calibration:\n  - {parameter: EC_PJ, unit: ch-1, error_pct: 2, reason: late}\n"
        "meter: {interval_minutes: 15}\n"
    )
    loaded = load_parameters(path, m)
    assert loaded.meter.interval is not None and loaded.meter.interval.total_seconds() == 900
    inputs = [PeriodInputs(YEAR_2017, (measured("EC_PJ", 50, unit_id="ch-1"), measured("EC_PJ", 40, unit_id="ch-2")))]
    period = calculate(m, periods=inputs, parameters=loaded.parameters).periods[0]
    # ch-1 metered 50 MWh, 2 % calibration error taken downwards: 49 MWh; RE = 49 × 1.2 × 0.1 + 6 = 11.88
    assert period.corrections[0].after == 49 and period.re == Decimal("11.88") and period.er == 2
    assert "catalogue" in (period.step("COP_PJ[ch-2]").source or "")
    (tmp_path / "p.json").write_text('{"values": {"EF_RE": "0.797"}, "oops": 1}')
    with pytest.raises(InputFormatError, match="field 'oops'"):
        load_parameters(tmp_path / "p.json", get_methodology("MN_AM003"))
    (tmp_path / "q.json").write_text('{"values": {"EF_RE": "abc"}}')
    with pytest.raises(InputFormatError, match=r"field 'values.EF_RE'.*not a number"):
        load_parameters(tmp_path / "q.json", get_methodology("MN_AM003"))


def _cache(path: Path, values: dict[str, object], sheet_index: int) -> None:
    """Put cached values into formula cells, as a spreadsheet application does on save."""
    src = zipfile.ZipFile(path)
    items = {n: src.read(n) for n in src.namelist()}
    src.close()
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    xml = items[name].decode()
    for cell, value in values.items():
        xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)(<f>.*?</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", xml)
        assert n == 1, cell
    items[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for n, data in items.items():
            out.writestr(n, data)


def test_workbook_round_trip_reports_differences_cell_by_cell(tmp_path: Path) -> None:
    m = get_methodology("ID_AM003")
    path = write_template(m, tmp_path / "id_am003.xlsx", period=parse_period("2015-01-01T00:00Z/2016-01-01T00:00Z"))
    wb = load_workbook(path)
    ws = wb["MRS(input)"]
    cell = {r.param.key: f"{VALUE_COL[r.table]}{r.row}" for r in input_rows(m, ("1",))}
    assert (cell["EC_PJ"], cell["COP_PJ"], cell["EF_elec"]) == ("E9", "D13", "D15")
    ws["E9"] = 135  # Table 1 (e): EC_PJ,i,p of monitoring point 1
    ws["D13"], ws["D15"] = 1.63, 0.814  # Table 2: COP_PJ,i and EF_elec (COP_RE keeps its default 1.32)
    wb.save(path)
    unfilled = check_workbook(path)
    assert unfilled.result.periods[0].er == 25
    assert all(d.reason.startswith("no cached value") for d in unfilled.differences)
    cells = {c.key: c.cell for c in calc_cells(m, ("1",), "MRS(input)")}
    _cache(
        path,
        {
            cells["RE_i"]: "135.6975",
            cells["PE_i"]: "109.89",
            cells["RE"]: "135.6975",
            cells["PE"]: "109.89",
            cells["ER"]: "26",
        },
        sheet_index=4,
    )
    report = check_workbook(path)
    assert [(d.sheet, d.cell, d.workbook, d.engine) for d in report.differences] == [
        ("MRS(calc_process)", cells["ER"], "26", "25")
    ]


def test_malformed_workbook_names_sheet_and_cell(tmp_path: Path) -> None:
    m = get_methodology("ID_AM003")
    path = write_template(m, tmp_path / "w.xlsx", period=parse_period("2015-01-01T00:00Z/2016-01-01T00:00Z"))
    wb = load_workbook(path)
    wb["MRS(input)"]["E9"] = "lots"
    wb.save(path)
    with pytest.raises(InputFormatError, match=r"sheet 'MRS\(input\)', cell E9.*not a number"):
        check_workbook(path)
    wb["MRS(input)"]["E9"] = 1
    wb["MRS(input)"]["B4"] = "2015-01-01T00:00"
    wb.save(path)
    with pytest.raises(InputFormatError, match=r"cell B4.*no UTC offset"):
        check_workbook(path)
    wb["MRS(input)"]["B4"] = "2015-01-01T00:00+00:00"
    del wb["MRS(calc_process)"]
    wb.save(path)
    with pytest.raises(MrvError, match=r"sheet 'MRS\(calc_process\)' is missing"):
        check_workbook(path)
    (tmp_path / "x.xlsx").write_text("not a zip")
    with pytest.raises(InputFormatError, match="not a readable"):
        check_workbook(tmp_path / "x.xlsx")


def test_unit_error_is_a_domain_error() -> None:
    assert issubclass(UnitError, MrvError)
