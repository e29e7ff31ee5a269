"""`jcm ledger` reads (accounts, holdings, lookup, summary) and writes (open-account, transfer,
international-transfer, authorise, cancel, retire, suspend-account, reopen-account, close-account,
corresponding-adjustment).

Writes run the registry services as the user named by ``--as``, checked with the same permission
functions as the API (``jcm.registry.permissions``). Every write has an idempotency key (a fresh
uuid unless ``--idempotency-key`` is given; it is printed so the operator can re-run safely).
Refusals go to stderr as ``error: <field>: <reason>`` with exit 1; malformed arguments exit 2.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from jcm.registry.core.article6 import FirstTransferTrigger, Purpose
from jcm.registry.core.model import AccountKind, RetirementPurpose

# -- shared options ---------------------------------------------------------------------------------
AsUser = Annotated[str, typer.Option("--as", help="Username of the person acting (checked like the API)")]
Key = Annotated[
    str | None,
    typer.Option("--idempotency-key", help="Re-use the key printed by a previous run to replay it safely"),
]
Ranges = Annotated[
    list[str] | None,
    typer.Option("--range", help="Serials START-END (repeatable); or use --quantity", metavar="START-END"),
]
Quantity = Annotated[int | None, typer.Option("--quantity", min=1, help="Number of credits, oldest vintage first")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")]

# Which option a domain refusal is about (the message itself names the account, serials...).
_FIELDS = {
    "insufficient_holdings": "quantity",
    "serials_not_held": "range",
    "serial_conflict": "range",
    "idempotency_conflict": "idempotency-key",
    "account_not_open": "account",
    "wrong_account_kind": "account",
    "wrong_registry": "registry",
    "unauthorised_international_transfer": "range",
}


def _out() -> Console:
    return Console(soft_wrap=True)


def fail(field: str, reason: str) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {field}: {reason}", markup=True, highlight=False)
    raise typer.Exit(1)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        fail("as", f"no active user {username!r}")
    return user


def _account(number: str, field: str) -> Any:
    from jcm.registry.models import Account

    acct = Account.objects.select_related("registry").filter(number=number).first()
    if acct is None:
        fail(field, f"no account {number!r}")
    return acct


def _registry(code: str, field: str = "registry") -> Any:
    from jcm.registry.models import Registry

    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        fail(field, f"no registry {code!r}")
    return reg


def _require_manager(user: Any, registry: Any, username: str) -> None:
    from jcm.registry.permissions import manages

    if not manages(user, registry):
        fail("as", f"{username!r} is not a registry manager of {registry.code}; only they may do this")


def _require_mover(user: Any, account: Any, username: str, what: str) -> None:
    from jcm.registry.permissions import may_move_from

    if not may_move_from(user, account):
        fail(
            "as",
            f"{username!r} may not {what} from {account.number}: only its holder or the registry manager "
            f"of {account.registry.code} may",
        )


def parse_ranges(values: list[str] | None, *, required: bool = False) -> list[Any] | None:
    """``["1-5", "9-9"]`` -> SerialRanges; a malformed range is a usage error (exit 2)."""
    from jcm.registry.core.errors import LedgerError
    from jcm.registry.core.serials import SerialRange

    if not values:
        if required:
            raise typer.BadParameter("give at least one --range START-END", param_hint="--range")
        return None
    out = []
    for v in values:
        start, sep, end = v.strip().partition("-")
        if not sep or not start.strip().isdigit() or not end.strip().isdigit():
            raise typer.BadParameter(f"{v!r} is not START-END (e.g. 1-5)", param_hint="--range")
        try:
            out.append(SerialRange(int(start), int(end)))
        except LedgerError as exc:
            raise typer.BadParameter(str(exc), param_hint="--range") from exc
    return out


def _serials(ranges: list[str] | None, quantity: int | None) -> dict[str, Any]:
    if ranges and quantity is not None:
        raise typer.BadParameter("give either --range or --quantity, not both", param_hint="--range/--quantity")
    if not ranges and quantity is None:
        raise typer.BadParameter("give --range START-END or --quantity N", param_hint="--range/--quantity")
    return {"ranges": parse_ranges(ranges), "quantity": quantity}


def _key(given: str | None) -> str:
    if given:
        return given
    key = str(uuid.uuid4())
    Console(stderr=True, soft_wrap=True).print(
        f"idempotency key: {key} (re-run with --idempotency-key {key} to replay safely)", highlight=False
    )
    return key


def _run(
    fn: Callable[..., Any],
    *,
    key: str,
    user: Any,
    as_json: bool,
    fields: dict[str, str] | None = None,
    **kwargs: Any,
) -> None:
    """Call a service at the CLI edge (time from the system clock); print the result. ``fields``
    overrides, per command, which option a refusal code is about."""
    from jcm.audit.core.clock import system_now
    from jcm.registry.core.errors import LedgerError

    try:
        result = fn(idempotency_key=key, actor=user, now=system_now(), **kwargs)
    except LedgerError as exc:
        code_fields = {**_FIELDS, **(fields or {})}
        fail(code_fields.get(exc.code, exc.code), str(exc))  # the English text, whatever language is active
    data = {**result.__dict__, "idempotency_key": key}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))
        return
    table = Table(title=f"{result.operation}" + (" (replayed: nothing new written)" if result.replayed else ""))
    table.add_column("field")
    table.add_column("value", overflow="fold")
    table.add_row("journal entry", str(result.sequence))
    table.add_row("transaction", "" if result.transaction is None else str(result.transaction))
    table.add_row("quantity", str(result.quantity))
    table.add_row("serials", _fmt_ranges(result.ranges))
    for k, v in result.details.items():
        table.add_row(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    table.add_row("replayed", "yes" if result.replayed else "no")
    table.add_row("idempotency key", key)
    _out().print(table)


def _fmt_ranges(ranges: list[list[int]]) -> str:
    return ", ".join(f"{s}-{e}" for s, e in ranges)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))


# -- reads ----------------------------------------------------------------------------------------
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
    for col in ("serials", "quantity", "vintage", "project", "status", "authorised", "identifier"):
        table.add_column(col, overflow="fold")
    for b in h.blocks:
        table.add_row(f"{b.start}-{b.end}", str(b.quantity), str(b.vintage), b.project, b.status,
                      "yes" if b.authorised else "no", b.identifier)
    _out().print(table)


def lookup(serial: Annotated[int, typer.Argument(min=1, help="A serial number")], as_json: AsJson = False) -> None:
    """Where a serial is now, and every movement that brought it there."""
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
    table = Table(title="history")
    for col in ("entry", "kind", "when", "serials", "from", "to", "to registry"):
        table.add_column(col, overflow="fold")
    for s in found.history:
        table.add_row(str(s.sequence), s.kind, str(s.occurred_at), f"{s.start}-{s.end}", s.from_account or "",
                      s.to_account or "", s.to_registry or "")
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
        yt = Table(title="annual summary")
        for col in ("year", "kind", "transactions", "quantity"):
            yt.add_column(col)
        for y in annual:
            yt.add_row(str(y["year"]), y["kind"], str(y["transactions"]), str(y["quantity"]))
        out.print(yt)


# -- writes ---------------------------------------------------------------------------------------
def open_account(
    registry: Annotated[str, typer.Option(help="Registry code")],
    number: Annotated[str, typer.Option(help="New account number")],
    kind: Annotated[AccountKind, typer.Option(help="Account type")],
    as_user: AsUser,
    holder_id: Annotated[int | None, typer.Option(help="Holder organisation id")] = None,
    holder_name: Annotated[str, typer.Option(help="Holder name as shown")] = "",
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Open an account (the registry manager of that registry)."""
    from jcm.registry import services

    user = _user(as_user)
    _require_manager(user, _registry(registry), as_user)
    _run(services.open_account, key=_key(idempotency_key), user=user, as_json=as_json, registry=registry,
         number=number, kind=kind.value, holder_id=holder_id, holder_name=holder_name)


def transfer(
    from_account: Annotated[str, typer.Option("--from", help="Source account")],
    to_account: Annotated[str, typer.Option("--to", help="Destination account (same registry)")],
    as_user: AsUser,
    ranges: Ranges = None,
    quantity: Quantity = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Transfer credits between accounts of one registry (its manager, or the source's holder)."""
    from jcm.registry import services

    serials = _serials(ranges, quantity)
    user = _user(as_user)
    _require_mover(user, _account(from_account, "from"), as_user, "transfer")
    _run(services.transfer, key=_key(idempotency_key), user=user, as_json=as_json, from_account=from_account,
         to_account=to_account, **serials)


def international_transfer(
    from_account: Annotated[str, typer.Option("--from", help="Source account")],
    to_registry: Annotated[str, typer.Option(help="Receiving registry code")],
    to_account: Annotated[str, typer.Option("--to", help="Receiving account in that registry")],
    as_user: AsUser,
    ranges: Ranges = None,
    quantity: Quantity = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Transfer authorised credits to another registry (the source registry's manager)."""
    from jcm.registry import services

    serials = _serials(ranges, quantity)
    user = _user(as_user)
    _require_manager(user, _account(from_account, "from").registry, as_user)
    _run(services.international_transfer, key=_key(idempotency_key), user=user, as_json=as_json,
         from_account=from_account, to_registry=to_registry, to_account=to_account, **serials)


def authorise(
    account: Annotated[str, typer.Option(help="Account holding the serials")],
    authorisation_id: Annotated[str, typer.Option(help="The Party's authorisation reference")],
    purposes: Annotated[list[Purpose], typer.Option("--purpose", help="Authorised use (repeatable)")],
    as_user: AsUser,
    ranges: Ranges = None,
    first_transfer_trigger: Annotated[FirstTransferTrigger, typer.Option(help="What counts as first transfer")] = (
        FirstTransferTrigger.INTERNATIONAL_TRANSFER
    ),
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Authorise serials under Article 6 (the registry manager); serials by --range only."""
    from jcm.registry import services

    rs = parse_ranges(ranges, required=True)
    user = _user(as_user)
    _require_manager(user, _account(account, "account").registry, as_user)
    _run(services.authorise, key=_key(idempotency_key), user=user, as_json=as_json, account=account, ranges=rs,
         authorisation_id=authorisation_id, purposes=[p.value for p in purposes],
         first_transfer_trigger=first_transfer_trigger.value)


def cancel(
    from_account: Annotated[str, typer.Option("--from", help="Source account")],
    reason: Annotated[str, typer.Option(help="Why the credits are cancelled")],
    as_user: AsUser,
    ranges: Ranges = None,
    quantity: Quantity = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Cancel credits into the registry's cancellation account (the registry manager)."""
    from jcm.registry import services

    serials = _serials(ranges, quantity)
    user = _user(as_user)
    _require_manager(user, _account(from_account, "from").registry, as_user)
    _run(services.cancel, key=_key(idempotency_key), user=user, as_json=as_json, from_account=from_account,
         reason=reason, **serials)


def retire(
    from_account: Annotated[str, typer.Option("--from", help="Source account")],
    purpose: Annotated[RetirementPurpose, typer.Option(help="Use of the retired credits")],
    beneficiary: Annotated[str, typer.Option(help="On whose behalf")],
    as_user: AsUser,
    ndc_party: Annotated[str, typer.Option(help="Party whose NDC (with --purpose ndc)")] = "",
    ranges: Ranges = None,
    quantity: Quantity = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Retire credits (the registry manager, or the source account's holder)."""
    from jcm.registry import services

    serials = _serials(ranges, quantity)
    user = _user(as_user)
    _require_mover(user, _account(from_account, "from"), as_user, "retire")
    _run(services.retire, key=_key(idempotency_key), user=user, as_json=as_json, from_account=from_account,
         purpose=purpose.value, beneficiary=beneficiary, ndc_party=ndc_party, **serials)


AccountArg = Annotated[str, typer.Argument(help="Account number")]
# A refused status move ("cannot go from closed to open", "still holds credits") is about the account.
_STATUS_FIELDS = {"invalid_input": "account"}


def _set_status(account: str, status: str, as_user: str, idempotency_key: str | None, as_json: bool) -> None:
    from jcm.registry import services

    user = _user(as_user)
    _require_manager(user, _account(account, "account").registry, as_user)
    _run(services.set_account_status, key=_key(idempotency_key), user=user, as_json=as_json,
         fields=_STATUS_FIELDS, account=account, status=status)


def suspend_account(account: AccountArg, as_user: AsUser, idempotency_key: Key = None, as_json: AsJson = False) -> None:
    """Suspend an account: nothing moves from or to it until reopened (the registry manager)."""
    _set_status(account, "suspended", as_user, idempotency_key, as_json)


def reopen_account(account: AccountArg, as_user: AsUser, idempotency_key: Key = None, as_json: AsJson = False) -> None:
    """Reopen a suspended account (the registry manager)."""
    _set_status(account, "open", as_user, idempotency_key, as_json)


def close_account(account: AccountArg, as_user: AsUser, idempotency_key: Key = None, as_json: AsJson = False) -> None:
    """Close an account for good; refused while a holding account still holds credits (the registry manager)."""
    _set_status(account, "closed", as_user, idempotency_key, as_json)


def corresponding_adjustment(
    party: Annotated[str, typer.Option(help="Party that applied the adjustment, e.g. JP")],
    year: Annotated[int, typer.Option(min=1900, max=9999, help="Year of the adjustment")],
    as_user: AsUser,
    ranges: Ranges = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Record a Party's corresponding adjustment for first-transferred serials (a registry manager of that
    Party); serials by --range only."""
    from jcm.registry import services
    from jcm.registry.models import Registry
    from jcm.registry.permissions import manages

    rs = parse_ranges(ranges, required=True)
    user = _user(as_user)
    regs = list(Registry.objects.filter(party=party, hosted=True))
    if not regs:
        fail("party", f"no registry of {party!r} is hosted here")
    if not any(manages(user, r) for r in regs):
        fail("as", f"{as_user!r} is not a registry manager of {party}; only they may record its adjustments")
    _run(services.record_corresponding_adjustment, key=_key(idempotency_key), user=user, as_json=as_json,
         fields={"article6_error": "range"}, ranges=rs, party=party, year=year)


def register(app: typer.Typer) -> None:
    for fn in (accounts, holdings, lookup, summary):
        app.command(fn.__name__)(fn)
    for fn in (open_account, transfer, international_transfer, authorise, cancel, retire, suspend_account,
               reopen_account, close_account, corresponding_adjustment):
        app.command(fn.__name__.replace("_", "-"))(fn)
