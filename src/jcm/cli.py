"""The `jcm` command: serve, demo data, reference data, users, and each capability's sub-commands."""

from __future__ import annotations

import os
from typing import Annotated

import typer

app = typer.Typer(help="The JCM Platform.", no_args_is_help=True, pretty_exceptions_show_locals=False)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcm.site.settings")
    import django

    django.setup()


@app.callback()
def _main() -> None:
    _setup_django()


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (creates the SQLite file on first use)."""
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    typer.echo("database schema is up to date")


@app.command()
def demo() -> None:
    """Load demo users (one per role) into the database; idempotent."""
    from jcm.audit.core.clock import system_now
    from jcm.site.demo import DEMO_PASSWORD, load_demo

    users = load_demo(now=system_now())
    typer.echo("Demo users (password for all: " + DEMO_PASSWORD + "):")
    for u in users:
        pair = f" in JP–{u.pair}" if u.pair else ""
        typer.echo(f"  {u.username:<12} {u.role.value}{pair}")


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port (default: $PORT or 8000)")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
) -> None:
    """Serve the platform (development server, static files included when DEBUG is on)."""
    from django.core.management import call_command

    chosen = port or int(os.environ.get("PORT", "8000"))
    typer.echo(f"JCM Platform: http://{host}:{chosen}/ (Japanese /ja/, English /en/, API /api/v1/docs)")
    call_command("runserver", f"{host}:{chosen}", use_reloader=False, use_threading=True)


def _mount() -> None:
    from jcm.accounts.cli import app as users_app
    from jcm.reference.cli import app as reference_app

    app.add_typer(reference_app, name="reference")
    app.add_typer(users_app, name="users")
    from jcm.mrv.cli import app as mrv_app
    from jcm.registry.cli import app as ledger_app

    app.add_typer(mrv_app, name="mrv")
    app.add_typer(ledger_app, name="ledger")
    from jcm.cycle.cli import app as cycle_app

    app.add_typer(cycle_app, name="cycle")


_mount()


def main() -> None:
    app()
