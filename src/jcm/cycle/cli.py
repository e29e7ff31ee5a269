"""`jcm cycle ...`: what awaits a user, the deadlines clock, and a few key steps by id."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="The project cycle: what awaits whom, deadlines, key steps.", no_args_is_help=True)
err = Console(stderr=True)

KINDS = ("methodology", "project", "monitoring_report", "change_request")


def _user(username: str) -> object:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]error:[/red] user: no user {username!r}")
        raise typer.Exit(1)
    return user


@app.command("awaiting")
def awaiting(username: str) -> None:
    """List what awaits USERNAME: per role and pair, the items and the actions offered."""
    from jcm.audit.core.clock import system_now
    from jcm.cycle import queries

    items = queries.awaiting(_user(username), now=system_now())
    for i in items:
        actions = ", ".join(o.action + ("" if o.allowed else " (not yet)") for o in i.actions)
        due = f" due {i.due.isoformat()}" if i.due else ""
        typer.echo(f"{i.kind} {i.id}\t{i.label}\tJP-{i.partner_code}\t{i.state}\tas {i.role}: {actions}{due}")
    if not items:
        typer.echo("nothing awaits " + username)


@app.command("deadlines")
def deadlines(
    at: Annotated[str | None, typer.Option(help="Run once as of this ISO date-time (default: now)")] = None,
    every: Annotated[float | None, typer.Option(
        help="Keep running: once now, then every SECONDS until interrupted (Ctrl-C), one line per run")] = None,
    times: Annotated[int | None, typer.Option(help="With --every: stop after this many runs")] = None,
) -> None:
    """Close public-input windows whose time is up, flag overdue steps, retry issuances, send notices.

    Once (for cron), or with --every as a long-running loop. Idempotent: running again changes nothing
    that the previous run did."""
    import time

    from jcm.audit.core.clock import system_now
    from jcm.cycle.tasks import run_deadlines, run_deadlines_every, summary

    if every is not None:
        if at is not None:
            err.print("[red]error:[/red] at: --at and --every exclude each other (the loop reads the clock)")
            raise typer.Exit(1)
        if every <= 0 or (times is not None and times < 1):
            err.print("[red]error:[/red] every: give a positive number of seconds (and --times >= 1)")
            raise typer.Exit(1)
        try:
            run_deadlines_every(every=every, clock=system_now, sleep=time.sleep,
                                emit=lambda line: typer.echo(line), iterations=times)
        except KeyboardInterrupt:
            typer.echo("stopped")
        return
    now = datetime.datetime.fromisoformat(at) if at else system_now()
    if now.tzinfo is None:
        err.print("[red]error:[/red] at: give a UTC offset, e.g. 2026-05-01T00:00+00:00")
        raise typer.Exit(1)
    run = run_deadlines(now=now)
    typer.echo(summary(run, now))
    for line in run.closed + run.flagged + run.problems:
        typer.echo("  " + line)


@app.command("act")
def act(
    username: str,
    kind: Annotated[str, typer.Argument(help="methodology | project | monitoring_report | change_request")],
    pk: int,
    action: str,
    role: Annotated[str | None, typer.Option(help="Act in this role (default: one that may)")] = None,
    reason: Annotated[str, typer.Option(help="Reason (returns, rejections, objections)")] = "",
    decision: Annotated[str | None, typer.Option(help="JC decision number")] = None,
    decided_on: Annotated[str | None, typer.Option(help="JC decision date, YYYY-MM-DD")] = None,
    mode: Annotated[str, typer.Option(help="meeting | electronic")] = "electronic",
    verified: Annotated[int | None, typer.Option(help="verify: verified amount (tCO2e)")] = None,
    finding: Annotated[list[str] | None, typer.Option(help="verify: a finding (repeatable)")] = None,
    requested: Annotated[int | None, typer.Option(help="request_issuance: requested amount (tCO2e)")] = None,
) -> None:
    """Take one step as USERNAME on KIND PK, e.g. `jcm cycle act jcmember project 3 register --decision
    MN-JC-12 --decided-on 2026-05-01`."""
    from jcm.cycle import web_queries
    from jcm.cycle.errors import CycleError
    from jcm.cycle.views.workspace import take_action

    if kind not in KINDS:
        err.print(f"[red]error:[/red] kind: one of {', '.join(KINDS)}")
        raise typer.Exit(1)
    obj = web_queries.get_object(kind, pk)
    if obj is None:
        err.print(f"[red]error:[/red] id: no {kind} {pk}")
        raise typer.Exit(1)
    if action not in web_queries.MACHINE_OF_KIND[kind].actions:
        err.print(f"[red]error:[/red] action: {kind} has no action {action!r}")
        raise typer.Exit(1)
    spec = web_queries.action_spec(kind, action)
    data: dict[str, object] = {"reason": reason, "verified": verified, "findings": finding or [],
                               "requested": requested}
    if spec.decision:
        if not decision or not decided_on:
            err.print("[red]error:[/red] decision: a JC decision needs --decision and --decided-on")
            raise typer.Exit(1)
        data |= {"decision_number": decision, "decision_date": datetime.date.fromisoformat(decided_on),
                 "decision_mode": mode}
    try:
        take_action(user=_user(username), kind=kind, obj=obj, spec=spec, role=role or "", data=data)
    except CycleError as exc:
        err.print(f"[red]refused:[/red] {exc.field}: {exc.reason}")
        raise typer.Exit(1) from exc
    obj.refresh_from_db()
    typer.echo(f"{obj}: {obj.state}")


@app.command("issue")
def issue(
    report: Annotated[int | None, typer.Option(help="Only this monitoring report's notifications")] = None,
) -> None:
    """Execute pending JC notifications in the registries (each once; a failed one is retried)."""
    from jcm.audit.core.clock import system_now
    from jcm.cycle.services import execute_notifications

    for e in execute_notifications(now=system_now(), report=report):
        typer.echo(f"notification {e.notification} ({e.side}): {e.status} {e.quantity} t {e.error}".rstrip())


@app.command("rulesets")
def rulesets(
    directory: Annotated[str | None, typer.Option(help="Rule-set directory (default: data/rulesets)")] = None,
) -> None:
    """Validate the rule-set files, store each (id, digest) not stored yet, and list them. Safe to re-run:
    `new` is stored now, `stored` was already, `changed` is a file edited in place after it was stored."""
    from pathlib import Path

    from jcm.audit.core.clock import system_now
    from jcm.cycle.core.errors import RuleSetError
    from jcm.cycle.services.rulesets import sync_rule_sets

    try:
        rows = sync_rule_sets(now=system_now(), directory=Path(directory) if directory else None)
    except RuleSetError as exc:
        for problem in exc.problems:
            err.print(f"[red]error:[/red] {problem}")
        raise typer.Exit(1) from exc
    for r in rows:
        typer.echo(f"{r.rule_set_id}\t{r.partner or '-'}\t{r.generation}\tv{r.version}\t"
                   f"{r.effective_from.isoformat()}\t{r.digest[:12]}\t{r.status}")
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("new", "stored", "changed")}
    typer.echo(f"{len(rows)} rule set(s): {counts['new']} new, {counts['stored']} already stored, "
               f"{counts['changed']} changed since stored")
    if counts["changed"]:
        raise typer.Exit(2)
