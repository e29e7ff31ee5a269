"""`jcm mrv` — methodologies, calculations, spreadsheets and the TOOL07 grid EF from the shell."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jcm.mrv.core import MrvError, calculate, get_methodology, list_methodologies, parse_offset, parse_period
from jcm.mrv.core.results import CalculationResult
from jcm.mrv.core.tool07 import ProjectType, combined_margin, default_weights
from jcm.mrv.inputs.meters import read_meter_periods
from jcm.mrv.inputs.params_file import load_parameters
from jcm.mrv.inputs.workbook_check import check_workbook
from jcm.mrv.inputs.workbook_template import write_template

app = typer.Typer(help="MRV engine: JCM methodologies as code (RE, PE, ER with a full trace).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
LARGE_INPUT_BYTES = 20 * 1024 * 1024


def _fail(exc: MrvError, as_json: bool) -> typer.Exit:
    if as_json:
        print(json.dumps(exc.to_dict(), ensure_ascii=False))
    else:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
    return typer.Exit(code=2)


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("list")
def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """List every shipped methodology."""
    items = list_methodologies()
    if as_json:
        _dump(
            [
                {
                    "jcm_id": m.jcm_id,
                    "version": m.version,
                    "title": m.title,
                    "country_pair": list(m.country_pair),
                    "sectoral_scope": m.sectoral_scope,
                    "family": m.family,
                    "status": m.status,
                }
                for m in items
            ]
        )
        return
    table = Table("JCM ID", "Ver.", "Title", "Pair", "Scope", "Family", "Unconfirmed items")
    for m in items:
        table.add_row(
            m.jcm_id,
            m.version,
            m.title,
            "–".join(m.country_pair),
            str(m.sectoral_scope),
            m.family,
            str(len(m.unconfirmed())),
        )
    out.print(table)


@app.command()
def describe(jcm_id: str, as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """Show a methodology's parameters, equations, eligibility and sources."""
    try:
        m = get_methodology(jcm_id)
    except MrvError as exc:
        raise _fail(exc, as_json) from None
    spec = m.to_dict()
    if as_json:
        _dump(spec)
        return
    out.print(f"[bold]{m.jcm_id}[/] ver {m.version} — {m.title} (JP–{m.partner_country}, scope {m.sectoral_scope})")
    params = Table("Symbol", "Kind", "Unit", "Default", "Valid range", "Confirmed", "Description", title="Parameters")
    for p in m.parameters:
        default = f"{p.default.value} ({p.default.source.text[:40]})" if p.default else ""
        params.add_row(
            p.symbol,
            p.kind.value,
            p.unit,
            default,
            p.valid_range.describe(),
            "yes" if p.confirmed else "[yellow]no[/]",
            p.description,
        )
    out.print(params)
    for eq in spec["equations"]:
        out.print(f"  {eq['text']}" + ("" if eq["confirmed"] else "  [yellow][unconfirmed][/]"))
    out.print(f"  {spec['emission_reductions']}")
    for c in m.eligibility:
        out.print(f"  Eligibility {c.number}: {c.text}" + (f" [dim](checked: {c.check_text})[/]" if c.check else ""))


def _report(result: CalculationResult) -> None:
    table = Table(
        "Period",
        "RE_p [tCO2]",
        "PE_p [tCO2]",
        "RE − PE",
        "ER_p [tCO2]",
        "Corrections",
        title=f"{result.jcm_id} ver {result.version}",
    )
    for p in result.periods:
        table.add_row(
            p.period.label(), f"{p.re:.4f}", f"{p.pe:.4f}", f"{p.er_exact:.4f}", str(p.er), str(len(p.corrections))
        )
    out.print(table)
    out.print(f"Total ER: [bold]{result.total_er}[/] tCO2")
    for p in result.periods:
        for c in p.corrections:
            out.print(f"  correction {c.ref}: {c.before} → {c.after} ({c.reason})")
    if result.unconfirmed:
        out.print(
            f"[yellow]Uses {len(result.unconfirmed)} item(s) the reference marks unconfirmed[/]: "
            + ", ".join(result.unconfirmed[:6])
            + (" …" if len(result.unconfirmed) > 6 else "")
        )


@app.command()
def calc(
    jcm_id: str,
    input_file: Annotated[Path, typer.Argument(help="long-format meter file (.csv or .parquet)")],
    params: Annotated[Path, typer.Option("--params", help="parameters file (JSON or YAML)")],
    period: Annotated[list[str], typer.Option("--period", help="START/END, repeatable")],
    tz: Annotated[str | None, typer.Option("--tz", help="offset for date-only periods, e.g. +07:00")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output with the full trace")] = False,
) -> None:
    """Compute RE, PE and ER per period from meter data and a parameters file."""
    try:
        m = get_methodology(jcm_id)
        default_tz = parse_offset(tz) if tz else None
        periods = [parse_period(p, default_tz=default_tz) for p in period]
        pf = load_parameters(params, m)
        show = not as_json and input_file.exists() and input_file.stat().st_size > LARGE_INPUT_BYTES
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not show,
        ) as progress:
            task = progress.add_task(f"aggregating {input_file.name}", total=2)
            inputs = read_meter_periods(input_file, m, periods, pf.meter)
            progress.update(task, advance=1, description="applying the equations")
            result = calculate(m, periods=inputs, parameters=pf.parameters)
            progress.update(task, advance=1)
    except MrvError as exc:
        raise _fail(exc, as_json) from None
    if as_json:
        _dump(result.to_dict())
    else:
        _report(result)


@app.command()
def template(
    jcm_id: str,
    out_file: Annotated[Path, typer.Argument(help="workbook to write (.xlsx)")],
    units: Annotated[int, typer.Option(help="number of monitoring points i")] = 1,
    period: Annotated[str | None, typer.Option(help="START/END to prefill")] = None,
) -> None:
    """Write the methodology's monitoring spreadsheet (MPS and MRS sheets, with formulas)."""
    try:
        m = get_methodology(jcm_id)
        written = write_template(m, out_file, units=units, period=parse_period(period) if period else None)
    except MrvError as exc:
        raise _fail(exc, False) from None
    out.print(f"wrote {written} ({m.jcm_id}, {units} monitoring point(s))")


@app.command()
def check(workbook: Path, as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """Recompute a filled Monitoring Report Sheet and list differences cell by cell (exit 1 if any)."""
    try:
        report = check_workbook(workbook)
    except MrvError as exc:
        raise _fail(exc, as_json) from None
    if as_json:
        _dump(report.to_dict())
    else:
        _report(report.result)
        if not report.differences:
            out.print("[green]workbook matches the engine[/]")
        for d in report.differences:
            out.print(f"  {d.sheet}!{d.cell} {d.quantity}: workbook {d.workbook} vs engine {d.engine} — {d.reason}")
    if report.differences:
        raise typer.Exit(code=1)


def _decimal(text: str, name: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a number", param_hint=name) from None


@app.command("grid-ef")
def grid_ef(
    om: Annotated[str, typer.Option(help="operating margin EF_grid,OM,y [tCO2/MWh]")],
    bm: Annotated[str, typer.Option(help="build margin EF_grid,BM,y [tCO2/MWh]")],
    project_type: Annotated[ProjectType, typer.Option(help="wind_solar or other")] = ProjectType.OTHER,
    crediting_period: Annotated[int, typer.Option(help="1st, 2nd or 3rd crediting period")] = 1,
    w_om: Annotated[str | None, typer.Option(help="override w_OM")] = None,
    w_bm: Annotated[str | None, typer.Option(help="override w_BM")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """CDM TOOL07 combined margin: EF_CM = EF_OM × w_OM + EF_BM × w_BM."""
    try:
        weights = default_weights(project_type, crediting_period)
        wo = _decimal(w_om, "--w-om") if w_om is not None else weights[0]
        wb = _decimal(w_bm, "--w-bm") if w_bm is not None else weights[1]
        cm = combined_margin(om=_decimal(om, "--om"), bm=_decimal(bm, "--bm"), w_om=wo, w_bm=wb)
    except MrvError as exc:
        raise _fail(exc, as_json) from None
    if as_json:
        _dump(cm.to_dict())
    else:
        out.print(f"EF_grid,CM,y = {cm.om} × {cm.w_om} + {cm.bm} × {cm.w_bm} = [bold]{cm.cm}[/] tCO2/MWh")
