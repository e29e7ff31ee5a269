"""`jcm ledger` writes (notify, issue, open-account, transfer, international-transfer, authorise,
cancel, retire, suspend-account, reopen-account, close-account, corresponding-adjustment), and the
helpers the reads share (the reads themselves, accounts, holdings, lookup and summary, are in
``cli_reads``).

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

from jcm.registry.core.allocation import AllocationRule
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

# Which option a domain refusal is about when the core does not say (the message itself names the
# account, serials...).
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
# The option of each input the services name (``LedgerError.field``; core.checks.refusal_field);
# others are the input's name with "-" for "_".
_OPTIONS = {
    "from_account": "from",
    "to_account": "to",
    "ranges": "range",
    "purposes": "purpose",
    "allocation": "share",
}


def _option(field: str, kwargs: dict[str, Any], options: dict[str, str] | None = None) -> str:
    """The option of service input ``field`` (a serial refusal is on whichever of --range and
    --quantity was given); ``options`` overrides the spelling per command."""
    if field in ("ranges", "quantity") and "quantity" in kwargs:
        field = "quantity" if kwargs.get("ranges") is None and kwargs.get("quantity") is not None else "ranges"
    spelled = {**_OPTIONS, **(options or {})}
    return spelled.get(field, field.replace("_", "-"))


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
    options: dict[str, str] | None = None,
    **kwargs: Any,
) -> None:
    """Call a service at the CLI edge (time from the system clock); print the result. A refusal is
    put on the option of the input it concerns: the core's ``field`` (spelled by ``options`` or
    ``_OPTIONS``), else ``fields`` (per command, by refusal code), else what the code implies."""
    from jcm.audit.core.clock import system_now
    from jcm.registry.core.checks import refusal_field
    from jcm.registry.core.errors import LedgerError

    try:
        result = fn(idempotency_key=key, actor=user, now=system_now(), **kwargs)
    except LedgerError as exc:
        # The core's field if it named one; else this command's choice for the code; else the field
        # the template or code implies; else the code itself.
        if exc.field:
            field = _option(exc.field, kwargs, options)
        elif exc.code in (fields or {}):
            field = (fields or {})[exc.code]
        elif implied := refusal_field(exc):
            field = _option(implied, kwargs, options)
        else:
            field = _FIELDS.get(exc.code, exc.code)
        fail(field, str(exc))  # the English text, whatever language is active
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


# -- writes ---------------------------------------------------------------------------------------
def parse_shares(values: list[str]) -> list[tuple[str, int]]:
    """``["JP-GOV=67.5", "ID=22.5%"]`` -> ``[("JP-GOV", 6750), ("ID", 2250)]`` in declared order; a
    malformed share is a usage error (exit 2)."""
    from jcm.registry.core.allocation import percent_to_basis_points
    from jcm.registry.core.errors import LedgerError

    out = []
    for v in values:
        target, sep, percent = v.rpartition("=")
        if not sep or not target.strip():
            raise typer.BadParameter(f"{v!r} is not TARGET=PERCENT (e.g. JP-GOV=67.5)", param_hint="--share")
        try:
            out.append((target.strip(), percent_to_basis_points(percent)))
        except LedgerError as exc:
            raise typer.BadParameter(str(exc), param_hint="--share") from exc
    return out


def notify(
    registry: Annotated[str, typer.Option(help="Registry the Joint Committee notified (its code)")],
    reference: Annotated[str, typer.Option(help="Reference of this notification (unique)")],
    decision: Annotated[str, typer.Option(help="The JC decision notified")],
    project: Annotated[str, typer.Option(help="JCM project reference, e.g. ID001 (as in the unique identifier)")],
    vintage: Annotated[int, typer.Option(help="Year of the reductions")],
    approach: Annotated[str, typer.Option(help="Cooperative approach, e.g. JCM_JP_ID")],
    quantity: Annotated[int, typer.Option(min=1, help="Total credits the JC decided (both sides)")],
    shares: Annotated[
        list[str],
        typer.Option(
            "--share",
            metavar="TARGET=PERCENT",
            help="Percentage of Credit Allocation, repeatable, in declared order: an account of this registry, "
            "or another registry's code (CODE or CODE:label) for a share issued there",
        ),
    ],
    as_user: AsUser,
    monitoring_period: Annotated[str, typer.Option(help="Monitoring period, e.g. 2015-02-01/2015-08-01")] = "",
    first_transferring_party: Annotated[
        str | None, typer.Option(help="Party that first transfers (default: the registry's Party)")
    ] = None,
    rule: Annotated[
        AllocationRule | None, typer.Option(help="Allocation rule (default: JCM_ALLOCATION_RULE, else largest remainder)")
    ] = None,
    designated: Annotated[
        str | None, typer.Option(help="Target that gets the left-over credits under remainder_to_designated "
                                 "(default: the first --share)")
    ] = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Record the Joint Committee's notification to a registry (its registry manager): the total and
    the allocation, resolved now to whole credits; this registry's part is what `issue` will issue.
    (The project cycle records notifications itself when the JC notifies issuance.)"""
    from jcm.registry import services

    allocation = parse_shares(shares)
    user = _user(as_user)
    _require_manager(user, _registry(registry), as_user)
    _run(services.record_jc_notification, key=_key(idempotency_key), user=user, as_json=as_json,
         registry=registry, reference=reference, decision=decision, project=project,
         monitoring_period=monitoring_period, vintage=vintage, approach=approach,
         first_transferring_party=first_transferring_party, quantity=quantity, allocation=allocation,
         rule=rule.value if rule is not None else None, designated=designated)


def issue(
    registry: Annotated[str, typer.Option(help="Registry that issues (its code)")],
    notification: Annotated[str, typer.Option(help="The open JC notification of that registry to execute")],
    as_user: AsUser,
    reference: Annotated[str | None, typer.Option(help="Issuance reference (default: the notification's)")] = None,
    idempotency_key: Key = None,
    as_json: AsJson = False,
) -> None:
    """Execute a recorded JC notification (the registry manager): exactly the notified credits, split
    by the notified allocation, in new consecutive serials; once."""
    from jcm.registry import services

    user = _user(as_user)
    _require_manager(user, _registry(registry), as_user)
    # The accounts come with the notification: a refusal about them is about the notification.
    _run(services.issue, key=_key(idempotency_key), user=user, as_json=as_json, options={"allocation": "notification"},
         registry=registry, notification=notification, reference=reference)


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
    authorisation_date: Annotated[
        str | None,
        typer.Option(help="Date of the Party's authorisation, YYYY-MM-DD (default today; not in the future)"),
    ] = None,
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
         first_transfer_trigger=first_transfer_trigger.value, authorisation_date=authorisation_date)


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
    from jcm.registry.cli_reads import accounts, holdings, lookup, summary

    for fn in (accounts, holdings, lookup, summary):
        app.command(fn.__name__)(fn)
    for fn in (notify, issue, open_account, transfer, international_transfer, authorise, cancel, retire,
               suspend_account, reopen_account, close_account, corresponding_adjustment):
        app.command(fn.__name__.replace("_", "-"))(fn)
