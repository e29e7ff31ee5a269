"""`jcm ledger`: verify the ledger, export the public journal, publish a checkpoint; read accounts,
holdings, serials and summaries; run the registry operations as a named user (``cli_ops``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jcm.registry import cli_ops

app = typer.Typer(
    help="The credits ledger: verification, public export, checkpoints, reads and operations.", no_args_is_help=True
)


def _hex(text: str, length: int) -> bool:
    return len(text) == length and all(c in "0123456789abcdef" for c in text)


def parse_checkpoint(value: str) -> Any:
    """``"SEQ:HASH"`` or ``"SEQ:HASH:SIGNATURE"`` -> a core Checkpoint; malformed is a usage error
    (exit 2) naming the option."""
    from jcm.registry.core.journal import Checkpoint

    parts = [p.strip().lower() for p in value.strip().split(":")]
    if len(parts) not in (2, 3) or not parts[0].isdigit():
        raise typer.BadParameter(
            f"{value!r} is not SEQ:HASH or SEQ:HASH:SIGNATURE (e.g. 42:3f9a...)", param_hint="--checkpoint"
        )
    if not _hex(parts[1], 64):
        raise typer.BadParameter(
            f"{value!r}: the hash must be 64 hexadecimal characters (a SHA-256)", param_hint="--checkpoint"
        )
    if len(parts) == 3 and not _hex(parts[2], 128):
        raise typer.BadParameter(
            f"{value!r}: the signature must be 128 hexadecimal characters (Ed25519)", param_hint="--checkpoint"
        )
    return Checkpoint(int(parts[0]), parts[1], "", parts[2] if len(parts) == 3 else "")


def _public_key(path: Path | None) -> Any:
    """The Ed25519 public key of ``--public-key``; a file that is not one is a usage error (exit 2)."""
    if path is None:
        return None
    from jcm.registry.core.errors import LedgerError
    from jcm.registry.core.signing import load_public_key

    try:
        return load_public_key(path.read_bytes(), source=str(path))
    except LedgerError as exc:
        raise typer.BadParameter(str(exc), param_hint="--public-key") from exc


def _read_export(path: Path, what: str) -> tuple[list[Any], list[Any]]:
    """(entries, checkpoints) of an export file; a malformed file is a failure (exit 1) naming it."""
    from jcm.registry.core.journal import Checkpoint, JournalEntry, read_jsonl

    with path.open(encoding="utf-8") as fh:
        try:
            items = list(read_jsonl(fh))
        except Exception as exc:  # malformed export: a violation too
            typer.echo(f"FAIL malformed: {what} {path}: {exc}", err=True)
            raise typer.Exit(1) from exc
    return [i for i in items if isinstance(i, JournalEntry)], [i for i in items if isinstance(i, Checkpoint)]


@app.command()
def verify(
    export: Annotated[
        Path | None,
        typer.Option(
            help="Verify a public journal export (JSON lines) instead of the database; needs no database access"
        ),
    ] = None,
    checkpoint: Annotated[
        list[str] | None,
        typer.Option(
            "--checkpoint",
            metavar="SEQ:HASH[:SIGNATURE]",
            help="A checkpoint you recorded earlier (repeatable): the journal must have that hash at that entry "
            "(and, with --public-key, the signature must be the registry's)",
        ),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            metavar="OLDER_EXPORT",
            help="An export you downloaded earlier: every entry and checkpoint in it must still be here, unchanged",
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            metavar="KEY.pem",
            help="The registry's Ed25519 public key (PEM): every signed checkpoint must carry its valid signature",
        ),
    ] = None,
) -> None:
    """Recompute the hash chain and every invariant; exit 1 naming the first violation.

    With --checkpoint and --against, also check the journal against what you recorded earlier: a registry that
    rewrote its history (and its published checkpoints with it) fails here. With --public-key, every signed
    checkpoint (in the export, given, or in the older export) must carry the registry's valid signature."""
    from jcm.registry.core.verify import Export, signed_checkpoints
    from jcm.registry.core.verify import verify as verify_entries

    trusted = [parse_checkpoint(v) for v in checkpoint or []]
    key = _public_key(public_key)
    earlier = Export(*_read_export(against, "OLDER_EXPORT")) if against is not None else None
    if export is not None:
        entries, cps = _read_export(export, "export")
        violation = verify_entries(entries, checkpoints=cps, trusted=trusted, earlier=earlier, public_key=key)
        count = len(entries)
    else:
        from jcm.registry.integrity import check_rows, rows_against_journal
        from jcm.registry.journal_queries import checkpoints
        from jcm.registry.models import JournalEntry as Row
        from jcm.registry.values import db_snapshot, iter_entries

        cps = checkpoints()
        # The stored rows' own integrity first (as queries.verify_ledger): unconstrained references,
        # each transaction's quantity against its ranges; once the journal holds, each transaction and its
        # movement rows against its entry.
        violation = (
            check_rows()
            or verify_entries(
                iter_entries(), snapshot=db_snapshot(), checkpoints=cps, trusted=trusted, earlier=earlier,
                public_key=key,
            )
            or rows_against_journal()
        )
        count = Row.objects.count()
    if violation is not None:
        typer.echo(f"FAIL {violation}", err=True)
        raise typer.Exit(1)
    extra = ""
    if trusted:
        extra += f", matches the {len(trusted)} checkpoint(s) given"
    if earlier is not None:
        extra += f", extends the earlier export ({len(earlier.entries)} entries) unchanged"
    if key is not None:
        signed, unsigned = signed_checkpoints([*cps, *trusted, *(earlier.checkpoints if earlier else ())])
        extra += f", {signed} checkpoint signature(s) valid ({unsigned} checkpoint(s) unsigned)"
    typer.echo(f"OK: {count} journal entries, chain intact, all invariants hold{extra}")


@app.command()
def export(file: Annotated[Path, typer.Argument(help="Where to write the JSON lines ('-' for stdout)")]) -> None:
    """Write the public journal export (entries and checkpoints with their signatures, JSON lines)."""
    from jcm.registry.journal_queries import export_lines

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
def checkpoint(
    every: Annotated[
        float | None,
        typer.Option(
            help="Keep publishing: once now, then every SECONDS until interrupted (Ctrl-C), one line per run; "
            "a run publishes only if the journal has grown since the latest checkpoint"
        ),
    ] = None,
    times: Annotated[int | None, typer.Option(help="With --every: stop after this many runs")] = None,
) -> None:
    """Publish a checkpoint (sequence, hash) of the journal head, as the system.

    Once (for cron), or with --every as a long-running loop. An empty journal is refused (exit 1)
    when run once; the loop just reports it and waits for the first entry."""
    from jcm.audit.core.clock import system_now
    from jcm.registry.core.errors import LedgerError

    if every is not None:
        import time

        from jcm.registry.tasks import publish_checkpoints_every

        if every <= 0 or (times is not None and times < 1):
            cli_ops.fail("every", "give a positive number of seconds (and --times >= 1)")
        try:
            publish_checkpoints_every(
                every=every, clock=system_now, sleep=time.sleep, emit=lambda line: typer.echo(line), iterations=times
            )
        except KeyboardInterrupt:
            typer.echo("stopped")
        return
    if times is not None:
        cli_ops.fail("times", "--times needs --every")
    from jcm.registry.services.journal import create_checkpoint

    try:
        cp = create_checkpoint(actor=None, now=system_now())
    except LedgerError as exc:
        cli_ops.fail("journal", str(exc))
    typer.echo(f"checkpoint {cp.sequence} {cp.hash}" + (f" signature {cp.signature}" if cp.signature else ""))


@app.command("new-signing-key")
def new_signing_key(
    file: Annotated[Path, typer.Argument(help="Where to write the private key (PEM); must not exist yet")],
) -> None:
    """Create an Ed25519 key to sign checkpoints with; point JCM_CHECKPOINT_SIGNING_KEY at FILE.

    The file is written readable by its owner only; the public key is printed (publish it)."""
    import os

    from jcm.registry.core.signing import fingerprint, generate_private_key, private_key_pem, public_key_pem

    key = generate_private_key()
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        cli_ops.fail("file", f"{file} exists already; choose a new file (a key is never overwritten)")
    except OSError as exc:
        cli_ops.fail("file", f"cannot create {file}: {exc.strerror}")
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(private_key_pem(key))
    typer.echo(f"wrote the private key to {file} (keep it secret); set JCM_CHECKPOINT_SIGNING_KEY={file}")
    typer.echo(f"fingerprint {fingerprint(key.public_key())}")
    typer.echo(public_key_pem(key.public_key()), nl=False)


@app.command("public-key")
def public_key_cmd() -> None:
    """Print the public key (PEM) of the configured checkpoint signing key (JCM_CHECKPOINT_SIGNING_KEY)."""
    from jcm.registry import signing
    from jcm.registry.core.errors import LedgerError

    try:
        info = signing.public_key()
    except LedgerError as exc:
        cli_ops.fail(signing.ENV, str(exc))
    if info is None:
        cli_ops.fail(signing.ENV, "not set: checkpoints are published unsigned")
    typer.echo(info.pem, nl=False)


cli_ops.register(app)
