"""`jcm ledger` reads: accounts, holdings, lookup, summary (tables, or JSON with --json). They are
for the operator with database access and need no --as, except ``holdings --as USERNAME`` which
applies the API's rule. Refusals as in ``cli_ops``: ``error: <field>: <reason>``, exit 1."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from jcm.registry.cli_ops import AsJson, _account, _out, _print_json, _registry, _user, fail


def accounts(code: Annotated[str, typer.Argument(help="Registry code, e.g. JP")], as_json: AsJson = False) -> None:
    """List a registry's accounts: number, type, status, holder, balance."""
    from jcm.registry.models import Account

    reg = _registry(code)
    rows = [
        {"number": a.number, "kind": a.kind, "status": a.status, "holder": a.holder_name, "balance": a.balance}
        for a in Account.objects.filter(registry=reg).order_by("number")
    ]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"accounts of {reg.code} ({reg.name})")
    for col in ("number", "kind", "status", "holder", "balance"):
        table.add_column(col, justify="right" if col == "balance" else "left")
    for r in rows:
        table.add_row(r["number"], r["kind"], r["status"], r["holder"], str(r["balance"]))
    _out().print(table)


def holdings(
    account: Annotated[str, typer.Argument(help="Account number")],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Read as this user: only the account's holder or its registry manager may"),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """An account's balance and the blocks of serials it holds (with --as: checked like the API)."""
    from jcm.registry import queries
    from jcm.registry.permissions import may_see_account

    if as_user is not None:
        user = _user(as_user)
        acct = _account(account, "account")
        if not may_see_account(user, acct):
            fail(
                "as",
                f"{as_user!r} may not see {acct.number}: only its holder or the registry manager "
                f"of {acct.registry.code} may",
            )
    h = queries.holdings(account)
    if h is None:
        fail("account", f"no account {account!r}")
    if as_json:
        _print_json({**h.__dict__, "blocks": [b.__dict__ for b in h.blocks]})
        return
    table = Table(title=f"{h.account} ({h.registry}, {h.kind}, {h.status}) {h.holder}: balance {h.balance}")
    for col in ("serials", "quantity", "vintage", "project", "status", "article 6", "identifier"):
        table.add_column(col, overflow="fold")
    for b in h.blocks:
        project = f"{b.project} ({b.monitoring_period})" if b.monitoring_period else b.project
        table.add_row(f"{b.start}-{b.end}", str(b.quantity), str(b.vintage), project, b.status, article6_text(b),
                      b.identifier)
    _out().print(table)


def article6_text(b: Any) -> str:
    """A block's Article 6 state in one line: authorisation (id, the Party's date, purposes), the
    first transfer (when, or what will count as it) and each Party's corresponding adjustment."""
    if not b.authorised:
        return "not authorised"
    parts = [f"authorised {b.authorisation_date} ({b.authorisation_id}; {', '.join(b.purposes)})"]
    if b.first_transferred:
        parts.append(f"first transferred {b.first_transfer_date}")
    else:
        parts.append(f"first transfer: {b.first_transfer_trigger.replace('_', ' ')}")
    for a in b.adjustments:
        recorded = f", recorded {a['recorded_on']}" if a.get("recorded_on") else ""
        parts.append(f"adjusted by {a['party']} for {a['year']}{recorded}")
    return "; ".join(parts)


def step_text(s: Any) -> str:
    """What a step of a serial's history did beyond moving it ("" for a plain movement): the
    authorisation (id, the Party's date, purposes), the corresponding adjustment (Party, year, date
    recorded), and whether it was the serial's Article 6 first transfer."""
    parts = []
    if s.kind == "authorisation":
        parts.append(f"authorisation {s.authorisation_id} of {s.date} for {', '.join(s.purposes)}")
    elif s.kind == "corresponding_adjustment":
        recorded = f", recorded {s.date}" if s.date else ""
        parts.append(f"adjusted by {s.party} for {s.year}{recorded}")
    if s.first_transfer:
        parts.append("first transfer")
    return "; ".join(parts)


def lookup(serial: Annotated[int, typer.Argument(min=1, help="A serial number")], as_json: AsJson = False) -> None:
    """Where a serial is now, and every step that touched it: movements and Article 6 actions."""
    from jcm.registry import queries

    found = queries.serial_lookup(serial)
    if found is None:
        fail("serial", f"{serial} has not been issued")
    if as_json:
        _print_json({"serial": found.serial, "issuance": found.issuance, "block": found.block.__dict__,
                     "history": [s.__dict__ for s in found.history]})
        return
    b = found.block
    out = _out()
    out.print(f"serial {found.serial}: {b.identifier}", highlight=False)
    out.print(f"  issuance {found.issuance}, now {b.status} in {b.account or '(moved out)'} of registry {b.registry}",
              highlight=False)
    period = f", monitoring period {b.monitoring_period}" if b.monitoring_period else ""
    out.print(f"  project {b.project}{period}, vintage {b.vintage}, block {b.start}-{b.end} ({b.quantity} credits)",
              highlight=False)
    out.print(f"  article 6: {article6_text(b)}", highlight=False)
    table = Table(title="history")
    for col in ("entry", "kind", "when", "serials", "from", "to", "to registry", "details"):
        table.add_column(col, overflow="fold")
    for s in found.history:
        table.add_row(str(s.sequence), s.kind.replace("_", " "), str(s.occurred_at), f"{s.start}-{s.end}",
                      s.from_account or "", s.to_account or "", s.to_registry or "", step_text(s))
    out.print(table)


def summary(code: Annotated[str, typer.Argument(help="Registry code, e.g. JP")], as_json: AsJson = False) -> None:
    """Credits issued, totals per account type, entity accounts, and the annual summary."""
    from jcm.registry import queries

    s = queries.registry_summary(code)
    if s is None:
        fail("registry", f"no registry {code!r}")
    annual = [y.__dict__ for y in queries.annual_summary(code)]
    if as_json:
        _print_json({**s.__dict__, "annual": annual})
        return
    out = _out()
    out.print(f"{s.code} {s.name} (party {s.party}): {s.issued} issued, {s.accounts} accounts", highlight=False)
    table = Table(title="credits per account type")
    table.add_column("account type")
    table.add_column("credits", justify="right")
    for kind, total in sorted(s.by_account_type.items()):
        table.add_row(kind, str(total))
    out.print(table)
    if annual:
        yt = Table(title="annual transactions summary (tCO2)")
        for col in ("year", "kind", "transactions", "quantity"):
            yt.add_column(col, justify="right" if col in ("transactions", "quantity") else "left")
        for y in annual:
            yt.add_row(str(y["year"]), y["kind"].replace("_", " "), str(y["transactions"]), str(y["quantity"]))
        out.print(yt)


