"""`jcm users ...`: bootstrap people, organisations and roles."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="People, organisations and roles.", no_args_is_help=True)
err = Console(stderr=True)


@app.command("create")
def create(
    username: str,
    email: Annotated[str, typer.Option(help="E-mail address")] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
    admin: Annotated[bool, typer.Option("--admin", help="Platform administrator (Django admin access)")] = False,
) -> None:
    """Create a user who can sign in (use --admin for the first platform administrator)."""
    from django.db import transaction

    from jcm.accounts.core.roles import OrganisationKind, Role
    from jcm.accounts.errors import AccountsError
    from jcm.accounts.models import Organisation
    from jcm.accounts.services import create_organisation, create_user, grant_role
    from jcm.audit.core.clock import system_now

    now = system_now()
    try:
        with transaction.atomic():
            user = create_user(username=username, email=email, password=password, now=now, superuser=admin)
            if admin:
                org = Organisation.objects.filter(name="Platform operator").first() or create_organisation(
                    name="Platform operator", kind=OrganisationKind.OTHER.value, now=now)
                grant_role(user=user, organisation=org, role=Role.PLATFORM_ADMIN.value, now=now)
    except AccountsError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    typer.echo(f"created {username}")


@app.command("grant")
def grant(
    username: str,
    role: Annotated[str, typer.Argument(help="e.g. tpe, jc_secretariat, registry_manager_partner")],
    organisation: Annotated[str, typer.Option(help="Organisation name (created if new)")],
    kind: Annotated[str, typer.Option(help="Organisation kind when it is created")] = "company",
    pair: Annotated[str | None, typer.Option(help="Partner country code of the pair, e.g. MN")] = None,
) -> None:
    """Give a user a role for an organisation, in one country pair where the role needs one."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from jcm.accounts.errors import AccountsError
    from jcm.accounts.models import Organisation
    from jcm.accounts.services import create_organisation, grant_role
    from jcm.audit.core.clock import system_now

    now = system_now()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]error:[/red] username: no user {username!r}")
        raise typer.Exit(1)
    try:
        with transaction.atomic():
            org = Organisation.objects.filter(name=organisation).first() or create_organisation(
                name=organisation, kind=kind, now=now)
            grant_role(user=user, organisation=org, role=role, partner_code=pair, now=now)
    except AccountsError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    typer.echo(f"granted {role} to {username}")


@app.command("token")
def token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for")] = "api",
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the user's tokens instead of creating one")] = False,
    prefix: Annotated[str, typer.Option(help="With --revoke: only the token starting with this prefix")] = "",
) -> None:
    """Create an API token for a user and print it once (send it as `Authorization: Bearer <token>`);
    with --revoke, revoke the user's active tokens (or the one with --prefix) and list what was revoked."""
    from django.contrib.auth import get_user_model

    from jcm.accounts.api_auth import issue_token, revoke_tokens
    from jcm.accounts.errors import AccountsError
    from jcm.audit.core.clock import system_now

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]error:[/red] username: no user {username!r}")
        raise typer.Exit(1)
    if revoke:
        revoked = revoke_tokens(user=user, prefix=prefix, now=system_now())
        if not revoked:
            err.print(f"[red]error:[/red] prefix: no active token of {username!r}"
                      + (f" starting with {prefix!r}" if prefix else ""))
            raise typer.Exit(1)
        for p in revoked:
            typer.echo(f"revoked {p}…")
        return
    try:
        value = issue_token(user=user, name=name, now=system_now())
    except AccountsError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    typer.echo(value)
