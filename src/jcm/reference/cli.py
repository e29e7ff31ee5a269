"""`jcm reference ...`: load and export the versioned reference data files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="The JCM reference data: countries, pairs, scopes, TPEs, methodologies, grid EFs.",
                  no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("load")
def load(
    directory: Annotated[Path | None, typer.Option("--dir", help="Folder of the CSV files")] = None,
) -> None:
    """Load the data files into the database (idempotent: a second load changes nothing)."""
    from django.conf import settings

    from jcm.audit.core.clock import system_now
    from jcm.reference.core.errors import ReferenceDataError
    from jcm.reference.services import load_reference_data

    folder = directory or Path(settings.JCM_REFERENCE_DIR)
    try:
        report = load_reference_data(directory=folder, now=system_now())
    except ReferenceDataError as exc:
        err.print(f"[red]error:[/red] {exc}")
        err.print("Nothing was changed.")
        raise typer.Exit(1) from exc
    table = Table(title=f"Reference data {report.version}")
    for column in ("records", "count", "created", "updated", "removed"):
        table.add_column(column, justify="right" if column != "records" else "left")
    for kind, count in report.counts.items():
        table.add_row(kind, str(count), str(report.created.get(kind, 0)), str(report.updated.get(kind, 0)),
                      str(report.removed.get(kind, 0)))
    console.print(table)
    console.print("changed" if report.changed else "unchanged: the database already holds this version")


@app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="countries, tpes, methodologies, sectoral-scopes, grid-emission-factors")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")] = None,
) -> None:
    """Export one table of the reference data as CSV, as the database holds it."""
    from jcm.reference.exports import EXPORTS
    from jcm.reference.exports import export as export_csv

    text = export_csv(name)
    if text is None:
        err.print(f"[red]error:[/red] name: no export called {name!r}; choose one of {', '.join(EXPORTS)}")
        raise typer.Exit(2)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
