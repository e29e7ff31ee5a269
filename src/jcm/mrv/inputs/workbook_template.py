"""Write a methodology's monitoring spreadsheet (.xlsx) with live formulas."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jcm.mrv.core.periods import Period
from jcm.mrv.core.spec import Methodology, render_text
from jcm.mrv.inputs.workbook_layout import (
    CALC_FIRST_ROW,
    HEADER_ROWS,
    TABLE1_COLUMNS,
    TABLE1_HEADER_ROW,
    TABLE1_TITLE_ROW,
    TABLE2_COLUMNS,
    calc_cells,
    er_row,
    global_equations,
    global_row,
    input_rows,
    per_unit_equations,
    table2_header_row,
)

BOLD = Font(bold=True)
SHEETS = (("MPS(input)", "MPS(calc_process)"), ("MRS(input)", "MRS(calc_process)"))


def _header(ws: Worksheet, m: Methodology, title: str, period: Period | None) -> None:
    ws["A1"] = f"{title} — {m.jcm_id} ver {m.version}: {m.title}"
    ws["A1"].font = BOLD
    labels = {
        "methodology": ("Methodology", m.jcm_id),
        "version": ("Version", m.version),
        "period_start": ("Monitoring period start", period.start.isoformat() if period else ""),
        "period_end": ("Monitoring period end (exclusive)", period.end.isoformat() if period else ""),
    }
    for key, row in HEADER_ROWS.items():
        ws.cell(row, 1, labels[key][0])
        ws.cell(row, 2, labels[key][1])


def _inputs(ws: Worksheet, m: Methodology, unit_ids: tuple[str, ...], period: Period | None) -> None:
    ws.cell(TABLE1_TITLE_ROW, 1, "Table 1: Parameters monitored ex post").font = BOLD
    for c, name in enumerate(TABLE1_COLUMNS, 1):
        ws.cell(TABLE1_HEADER_ROW, c, name).font = BOLD
    t2 = table2_header_row(m, unit_ids)
    ws.cell(t2 - 1, 1, "Table 2: Project-specific parameters and values fixed ex ante").font = BOLD
    for c, name in enumerate(TABLE2_COLUMNS, 1):
        ws.cell(t2, c, name).font = BOLD
    label = period.label() if period else ""
    for r in input_rows(m, unit_ids):
        p = r.param
        values: tuple[object, ...]
        if r.table == "table1":
            values = (
                label,
                r.unit_id or "",
                p.symbol,
                p.description,
                None,
                p.unit,
                "/".join(o.value for o in p.options),
                "",
                "",
                "",
                p.note,
            )
        else:
            default = p.default.value if p.default else None
            source = p.default.source.text if p.default else ""
            values = (
                p.symbol,
                r.unit_id or "",
                p.description,
                float(default) if default is not None else None,
                p.unit,
                p.kind.value,
                source,
            )
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(r.row, c, v)
    for col, width in zip("ABCDEFGHIJK", (34, 14, 16, 60, 16, 10, 10, 30, 30, 18, 30), strict=True):
        ws.column_dimensions[col].width = width


def _calc(ws: Worksheet, m: Methodology, unit_ids: tuple[str, ...], input_sheet: str) -> None:
    ws["A1"] = f"Calculation process — {m.jcm_id} ver {m.version}"
    ws["A1"].font = BOLD
    ws.cell(CALC_FIRST_ROW - 1, 1, "Unit i").font = BOLD
    for c, eq in enumerate(per_unit_equations(m), 2):
        ws.cell(CALC_FIRST_ROW - 1, c, f"{eq.symbol} [{eq.unit}]").font = BOLD
    for i, unit_id in enumerate(unit_ids):
        ws.cell(CALC_FIRST_ROW + i, 1, unit_id)
    n = len(unit_ids)
    for eq in global_equations(m):
        row = global_row(m, n, eq.key)
        ws.cell(row, 1, f"{eq.symbol} [{eq.unit}]")
        ws.cell(row, 3, f"{eq.symbol} = {render_text(m, eq)}")
    ws.cell(er_row(m, n), 1, "ER_p [tCO2/p]").font = BOLD
    ws.cell(er_row(m, n), 3, m.rounding.text)
    for cell in calc_cells(m, unit_ids, input_sheet):
        ws[cell.cell] = f"={cell.formula}"


def write_template(methodology: Methodology, out: Path | str, *, units: int = 1, period: Period | None = None) -> Path:
    """Write the monitoring spreadsheet for ``units`` monitoring points (1..N)."""
    out = Path(out)
    unit_ids = tuple(str(n) for n in range(1, max(units, 1) + 1))
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for input_name, calc_name in SHEETS:
        ws_in = wb.create_sheet(input_name)
        _header(
            ws_in,
            methodology,
            "Monitoring Plan Sheet"
            if input_name.startswith("MPS")
            else "Monitoring Report Sheet (Input Sheet) [For Verification]",
            period,
        )
        _inputs(ws_in, methodology, unit_ids, period)
        _calc(wb.create_sheet(calc_name), methodology, unit_ids, input_name)
    wb.save(out)
    return out
