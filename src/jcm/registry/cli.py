"""`jcm ledger`: verify the ledger, export the public journal, publish a checkpoint; read accounts,
holdings, serials and summaries; run the registry operations as a named user (``cli_ops``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jcm.registry import cli_ops

app = typer.Typer(
    help="The credits ledger: verification, public export, checkpoints, reads and operations.", no_args_is_help=True
)


@app.command()
def verify(
    export: Annotated[
        Path | None,
        typer.Option(
            help="Verify a public journal export (JSON lines) instead of the database; needs no database access"
        ),
    ] = None,
) -> None:
    """Recompute the hash chain and every invariant; exit 1 naming the first violation."""
    from jcm.registry.core.journal import Checkpoint, JournalEntry, read_jsonl
    from jcm.registry.core.verify import verify as verify_entries

    if export is not None:
        with export.open(encoding="utf-8") as fh:
            try:
                items = list(read_jsonl(fh))
            except Exception as exc:  # malformed export: a violation too
                typer.echo(f"FAIL malformed: {exc}", err=True)
                raise typer.Exit(1) from exc
        entries = [i for i in items if isinstance(i, JournalEntry)]
        cps = [i for i in items if isinstance(i, Checkpoint)]
        violation = verify_entries(entries, checkpoints=cps)
        count = len(entries)
    else:
        from jcm.registry.models import JournalEntry as Row
        from jcm.registry.queries import verify_ledger

        violation = verify_ledger()
        count = Row.objects.count()
    if violation is not None:
        typer.echo(f"FAIL {violation}", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {count} journal entries, chain intact, all invariants hold")


@app.command()
def export(file: Annotated[Path, typer.Argument(help="Where to write the JSON lines ('-' for stdout)")]) -> None:
    """Write the public journal export (entries and checkpoints, JSON lines)."""
    from jcm.registry.queries import export_lines

    if str(file) == "-":
        for line in export_lines():
            typer.echo(line)
        return
    n = 0
    with file.open("w", encoding="utf-8") as fh:
        for line in export_lines():
            fh.write(line + "\n")
            n += 1
    typer.echo(f"wrote {n} lines to {file}")


@app.command()
def checkpoint() -> None:
    """Publish a checkpoint (sequence, hash) of the journal head."""
    from jcm.audit.core.clock import system_now
    from jcm.registry.services import create_checkpoint

    cp = create_checkpoint(now=system_now())
    typer.echo(f"checkpoint {cp.sequence} {cp.hash}")


cli_ops.register(app)
