"""Layout of the monitoring spreadsheet shared by the template writer and the checker.

Sheets: MPS(input), MPS(calc_process) — the Monitoring Plan Sheet for the PDD — and
MRS(input), MRS(calc_process) — the Monitoring Report Sheet for verification, whose Table 1
has the columns (a)–(k) of the JCM form. Inputs are rows; calc sheets hold one row per unit i
with a column per per-unit equation, then the project-level equations and ER.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from jcm.mrv.core.spec import Equation, Methodology, Parameter, ParameterKind

HEADER_ROWS = {"methodology": 2, "version": 3, "period_start": 4, "period_end": 5}
TABLE1_TITLE_ROW = 7
TABLE1_HEADER_ROW = 8
TABLE1_COLUMNS = (
    "(a) Monitoring period",
    "(b) Monitoring point No.",
    "(c) Parameters",
    "(d) Description of data",
    "(e) Monitored values",
    "(f) Units",
    "(g) Monitoring option",
    "(h) Source of data",
    "(i) Measurement methods and procedures",
    "(j) Monitoring frequency",
    "(k) Other comments",
)
TABLE2_COLUMNS = ("Parameter", "Monitoring point No.", "Description", "Value", "Units", "Kind", "Source")
VALUE_COL = {"table1": "E", "table2": "D"}
CALC_FIRST_ROW = 3


@dataclass(frozen=True)
class InputRow:
    table: str  # "table1" (monitored) or "table2" (project-specific / fixed ex ante)
    row: int
    param: Parameter
    unit_id: str | None


def input_rows(m: Methodology, unit_ids: tuple[str, ...]) -> list[InputRow]:
    """Row of every input cell, in the order the template writes them."""
    rows: list[InputRow] = []
    row = TABLE1_HEADER_ROW + 1
    monitored = [p for p in m.parameters if p.kind is ParameterKind.MONITORED]
    others = [p for p in m.parameters if p.kind is not ParameterKind.MONITORED]
    for p in monitored:
        for u in unit_ids if p.per_unit else (None,):
            rows.append(InputRow("table1", row, p, u))
            row += 1
    row += 2  # blank row + Table 2 title; header follows
    table2_header = row
    row += 1
    for p in others:
        for u in unit_ids if p.per_unit else (None,):
            rows.append(InputRow("table2", row, p, u))
            row += 1
    assert table2_header > TABLE1_HEADER_ROW
    return rows


def table2_header_row(m: Methodology, unit_ids: tuple[str, ...]) -> int:
    monitored = [p for p in m.parameters if p.kind is ParameterKind.MONITORED]
    return TABLE1_HEADER_ROW + 1 + sum(len(unit_ids) if p.per_unit else 1 for p in monitored) + 2


def per_unit_equations(m: Methodology) -> list[Equation]:
    return [e for e in m.equations if e.per_unit]


def global_equations(m: Methodology) -> list[Equation]:
    return [e for e in m.equations if not e.per_unit]


def calc_column(m: Methodology, key: str) -> str:
    keys = [e.key for e in per_unit_equations(m)]
    return str(get_column_letter(2 + keys.index(key)))


def global_row(m: Methodology, unit_count: int, key: str) -> int:
    keys = [e.key for e in global_equations(m)]
    return CALC_FIRST_ROW + unit_count + 2 + keys.index(key)


def er_row(m: Methodology, unit_count: int) -> int:
    return CALC_FIRST_ROW + unit_count + 2 + len(global_equations(m))


def _bind(ref: Callable[[str, int | None], str], unit_index: int) -> Callable[[str], str]:
    return lambda name: ref(name, unit_index)


@dataclass(frozen=True)
class CalcCell:
    cell: str  # e.g. "C4"
    key: str
    unit_id: str | None
    formula: str  # without the leading "="


def calc_cells(m: Methodology, unit_ids: tuple[str, ...], input_sheet: str) -> list[CalcCell]:
    """Every formula cell of a calc sheet with the formula the template writes there."""
    rows = {(r.param.key, r.unit_id): r for r in input_rows(m, unit_ids)}
    fallback = {e.key for e in m.equations if e.fallback}
    n = len(unit_ids)

    def ref(name: str, unit_index: int | None) -> str:
        unit_id = None if unit_index is None else unit_ids[unit_index]
        if any(e.key == name and e.per_unit for e in m.equations) and unit_index is not None:
            return f"{calc_column(m, name)}{CALC_FIRST_ROW + unit_index}"
        if any(e.key == name and not e.per_unit for e in m.equations):
            return f"$B${global_row(m, n, name)}"
        row = rows.get((name, unit_id)) or rows.get((name, None))
        if row is None:
            raise KeyError(name)
        return f"'{input_sheet}'!${VALUE_COL[row.table]}${row.row}"

    def summed(name: str) -> str:
        col = calc_column(m, name)
        return f"SUM({col}{CALC_FIRST_ROW}:{col}{CALC_FIRST_ROW + n - 1})"

    cells: list[CalcCell] = []
    for i, unit_id in enumerate(unit_ids):
        for eq in per_unit_equations(m):
            bound = _bind(ref, i)
            formula = eq.expression.render(bound, summed=summed, style="excel")
            if eq.key in fallback:
                own = rows[(eq.key, unit_id)]
                given = f"'{input_sheet}'!${VALUE_COL[own.table]}${own.row}"
                formula = f"IF(ISNUMBER({given}),{given},{formula})"
            cells.append(CalcCell(f"{calc_column(m, eq.key)}{CALC_FIRST_ROW + i}", eq.key, unit_id, formula))
    for eq in global_equations(m):
        formula = eq.expression.render(lambda k: ref(k, None), summed=summed, style="excel")
        cells.append(CalcCell(f"B{global_row(m, n, eq.key)}", eq.key, None, formula))
    re_ref, pe_ref = f"B{global_row(m, n, m.re_key)}", f"B{global_row(m, n, m.pe_key)}"
    cells.append(CalcCell(f"B{er_row(m, n)}", "ER", None, f"ROUNDDOWN({re_ref}-{pe_ref},0)"))
    return cells
