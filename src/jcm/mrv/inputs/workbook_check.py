"""Read a filled monitoring spreadsheet back, recompute with the engine, diff cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from jcm.mrv.core import calculate, get_methodology
from jcm.mrv.core.errors import InputFormatError, Location, PeriodError
from jcm.mrv.core.periods import Period
from jcm.mrv.core.results import CalculationResult
from jcm.mrv.core.spec import Methodology
from jcm.mrv.core.values import InputValue, PeriodInputs, ProjectParameters, Provenance
from jcm.mrv.inputs.workbook_layout import (
    CALC_FIRST_ROW,
    HEADER_ROWS,
    TABLE1_COLUMNS,
    TABLE1_HEADER_ROW,
    VALUE_COL,
    calc_cells,
    input_rows,
)

INPUT, CALC = "MRS(input)", "MRS(calc_process)"
TOLERANCE = Decimal("1e-9")


@dataclass(frozen=True)
class CellDifference:
    sheet: str
    cell: str
    quantity: str
    workbook: str | None
    engine: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class WorkbookCheck:
    path: str
    result: CalculationResult
    differences: tuple[CellDifference, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "workbook": self.path,
            "result": self.result.to_dict(),
            "differences": [d.to_dict() for d in self.differences],
            "matches": not self.differences,
        }


def _sheet(wb: Any, name: str, path: str) -> Worksheet:
    if name not in wb.sheetnames:
        raise InputFormatError(
            f"sheet {name!r} is missing (found {', '.join(wb.sheetnames)})", Location(file=path, sheet=name)
        )
    ws: Worksheet = wb[name]
    return ws


def _number(ws: Worksheet, cell: str, path: str, what: str) -> Decimal | None:
    raw = ws[cell].value
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputFormatError(
            f"{what}: expected a number, found {raw!r}", Location(file=path, sheet=ws.title, cell=cell)
        )
    try:
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip().replace(",", ""))
    except ArithmeticError:
        raise InputFormatError(
            f"{what}: {raw!r} is not a number", Location(file=path, sheet=ws.title, cell=cell)
        ) from None


def _period(ws: Worksheet, path: str) -> Period:
    moments = []
    for key in ("period_start", "period_end"):
        cell = f"B{HEADER_ROWS[key]}"
        raw = ws[cell].value
        try:
            moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError:
            raise InputFormatError(
                f"{key.replace('_', ' ')} {raw!r} is not an ISO 8601 timestamp with offset",
                Location(file=path, sheet=ws.title, cell=cell),
            ) from None
        if moment.tzinfo is None:
            raise InputFormatError(
                f"{key.replace('_', ' ')} {raw!r} has no UTC offset", Location(file=path, sheet=ws.title, cell=cell)
            )
        moments.append(moment)
    try:
        return Period(moments[0], moments[1])
    except PeriodError as exc:
        raise InputFormatError(exc.reason, Location(file=path, sheet=ws.title, cell="B4")) from None


def _unit_ids(calc: Worksheet) -> tuple[str, ...]:
    """Unit ids in column A of the calc sheet, from row 3 down to the first blank cell."""
    ids = []
    row = CALC_FIRST_ROW
    while calc.cell(row, 1).value not in (None, ""):
        ids.append(str(calc.cell(row, 1).value))
        row += 1
    return tuple(ids)


def check_workbook(path: Path | str) -> WorkbookCheck:
    """Recompute a filled Monitoring Report Sheet; report each formula/cached-value difference.

    Raises InputFormatError naming sheet and cell for malformed workbooks, and the engine's
    domain errors for bad values (always before any result).
    """
    path_s = str(path)
    try:
        formulas = load_workbook(path_s, data_only=False)
        cached = load_workbook(path_s, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputFormatError(f"not a readable .xlsx workbook ({exc})", Location(file=path_s)) from None
    ws_in = _sheet(formulas, INPUT, path_s)
    m = get_methodology(str(ws_in[f"B{HEADER_ROWS['methodology']}"].value or ""))
    for c, name in enumerate(TABLE1_COLUMNS, 1):
        if ws_in.cell(TABLE1_HEADER_ROW, c).value != name:
            raise InputFormatError(
                f"expected Table 1 header {name!r}",
                Location(file=path_s, sheet=INPUT, cell=ws_in.cell(TABLE1_HEADER_ROW, c).coordinate),
            )
    period = _period(ws_in, path_s)
    calc_f, calc_v = _sheet(formulas, CALC, path_s), _sheet(cached, CALC, path_s)
    unit_ids = _unit_ids(calc_f)
    if not unit_ids:
        raise InputFormatError("no unit rows in the calculation sheet", Location(file=path_s, sheet=CALC, cell="A3"))
    monitored: list[InputValue] = []
    given: list[InputValue] = []
    fallback = {e.key for e in m.equations if e.fallback}
    used = {n for e in m.equations for n in e.expression.names()}
    required = {p.key for p in m.parameters if p.key in used and p.key not in fallback}
    for r in input_rows(m, unit_ids):
        cell = f"{VALUE_COL[r.table]}{r.row}"
        symbol_cell = ws_in[f"{'C' if r.table == 'table1' else 'A'}{r.row}"].value
        if symbol_cell != r.param.symbol:
            raise InputFormatError(
                f"expected parameter {r.param.symbol}, found {symbol_cell!r}",
                Location(file=path_s, sheet=INPUT, cell=f"{'C' if r.table == 'table1' else 'A'}{r.row}"),
            )
        value = _number(ws_in, cell, path_s, r.param.symbol)
        if value is None and r.table == "table1" and r.param.key in required:
            raise InputFormatError(
                f"no monitored value for {r.param.symbol} (monitoring point {r.unit_id})",
                Location(file=path_s, sheet=INPUT, cell=cell),
            )
        if value is None:
            continue
        unit = str(ws_in[f"{'F' if r.table == 'table1' else 'E'}{r.row}"].value or r.param.unit)
        source = f"{Path(path_s).name} {INPUT}!{cell}"
        if r.table == "table1":
            monitored.append(InputValue(r.param.key, value, unit, Provenance.MEASUREMENT, source, r.unit_id))
        elif r.param.default is None or value != r.param.default.value:
            given.append(InputValue(r.param.key, value, unit, Provenance.PROJECT_SPECIFIC, source, r.unit_id))
    result = calculate(
        m,
        periods=[PeriodInputs(period, tuple(monitored))],
        parameters=ProjectParameters(tuple(given), source=f"{path_s} {INPUT}"),
    )
    return WorkbookCheck(path_s, result, tuple(_diff(m, unit_ids, result, calc_f, calc_v)))


def _diff(
    m: Methodology, unit_ids: tuple[str, ...], result: CalculationResult, calc_f: Worksheet, calc_v: Worksheet
) -> list[CellDifference]:
    period = result.periods[0]
    values = {(s.ref): s.value for s in period.trace}
    out: list[CellDifference] = []
    for cell in calc_cells(m, unit_ids, INPUT):
        ref = cell.key if cell.unit_id is None else f"{cell.key}[{cell.unit_id}]"
        engine = Decimal(period.er) if cell.key == "ER" else values.get(ref)
        if engine is None:  # a fallback equation not evaluated because the value was given
            engine = next((s.value for s in period.trace if s.ref.startswith(ref)), Decimal(0))
        wrote = calc_f[cell.cell].value
        if str(wrote) != f"={cell.formula}":
            out.append(CellDifference(CALC, cell.cell, ref, str(wrote), f"={cell.formula}", "formula changed"))
        got = calc_v[cell.cell].value
        if got is None:
            out.append(
                CellDifference(
                    CALC,
                    cell.cell,
                    ref,
                    None,
                    str(engine),
                    "no cached value: open and save the workbook in a spreadsheet application",
                )
            )
            continue
        try:
            number = Decimal(repr(got)) if isinstance(got, float) else Decimal(str(got))
        except ArithmeticError:
            out.append(CellDifference(CALC, cell.cell, ref, str(got), str(engine), "not a number"))
            continue
        if abs(number - engine) > TOLERANCE * max(Decimal(1), abs(engine)):
            out.append(CellDifference(CALC, cell.cell, ref, str(got), str(engine), "value differs from the engine"))
    return out
