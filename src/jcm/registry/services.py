"""Registry writes. Each function is one regulatory action: one database transaction, one journal
entry, one audit event, and an idempotency key.

All public functions are keyword-only and take ``now`` (timezone-aware; time is injected) and
``actor`` (the user acting, or None for the system). They raise :class:`LedgerError` subclasses
(``jcm.registry.core.errors``) with a clear message and leave nothing half-written:

* ``InsufficientHoldings``: the source holds fewer credits than asked;
* ``AccountNotOpen``: an account is suspended or closed;
* ``WrongRegistry`` / ``WrongAccountKind``: accounts of the wrong registry or type;
* ``SerialsNotHeld``: some serials are not held (transferable) in the source account;
* ``UnauthorisedInternationalTransfer``: serials not authorised under Article 6;
* ``IdempotencyConflict``: the key was used before for a different request;
* ``UnknownObject`` / ``InvalidInput``: a name that does not exist, a malformed value.

A replay with the same key and the same request returns the original result (``replayed=True``)
and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction

from jcm.audit.services import record_event
from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.allocation import AllocationRule, Share, allocate
from jcm.registry.core.article6 import FirstTransferTrigger, Purpose
from jcm.registry.core.errors import IdempotencyConflict, InvalidInput, UnknownObject
from jcm.registry.core.identifiers import format_identifier
from jcm.registry.core.journal import canonical_json, chain_entry
from jcm.registry.core.model import AccountKind, AccountStatus, RetirementPurpose
from jcm.registry.core.serials import SerialRange, normalise, ranges_to_json, total
from jcm.registry.models import (
    Account,
    Block,
    Checkpoint,
    IdempotencyKey,
    Issuance,
    JournalEntry,
    Movement,
    Registry,
    RetirementRecord,
    Transaction,
)
from jcm.registry.values import BLOCK_FIELDS, account_value, block_value, registry_value, set_block_fields


@dataclass(frozen=True)
class Result:
    """What a write did. Stored with its idempotency key and returned again on replay."""

    operation: str
    sequence: int  # journal entry
    transaction: int | None = None
    quantity: int = 0
    ranges: list[list[int]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False


# --------------------------------------------------------------------------------------------------
# Plumbing: idempotency, journal, audit


def _request_hash(operation: str, request: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"operation": operation, "request": request})).hexdigest()


def _replay(row: IdempotencyKey, operation: str, digest: str) -> Result:
    if row.operation != operation or row.request_hash != digest:
        raise IdempotencyConflict(
            f"idempotency key {row.key!r} was already used for a different {row.operation} request"
        )
    return Result(**{**row.result, "replayed": True})


def _idempotent(operation: str, key: str, request: dict[str, Any], now: datetime, work: Callable[[], Result]) -> Result:
    if not key or len(key) > 100:
        raise InvalidInput("idempotency_key is required (1 to 100 characters)")
    if now.tzinfo is None:
        raise InvalidInput("now must be timezone-aware")
    digest = _request_hash(operation, request)
    try:
        with transaction.atomic():
            existing = IdempotencyKey.objects.filter(key=key).first()
            if existing is not None:
                return _replay(existing, operation, digest)
            IdempotencyKey.objects.create(key=key, operation=operation, request_hash=digest, result={}, created_at=now)
            result = work()
            IdempotencyKey.objects.filter(key=key).update(result=_result_json(result))
            return result
    except IntegrityError:
        # A concurrent request with the same key won the race; answer as a replay.
        existing = IdempotencyKey.objects.filter(key=key).first()
        if existing is None or not existing.result:
            raise
        return _replay(existing, operation, digest)


def _result_json(result: Result) -> dict[str, Any]:
    data = asdict(result)
    data.pop("replayed")
    return data


_PG_APPEND = """
WITH e AS (
    INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash)
    VALUES (%(sequence)s, %(kind)s, %(occurred_at)s, %(payload)s::jsonb, %(prev_hash)s, %(hash)s)
    RETURNING id
),
t AS (UPDATE registry_transaction SET entry_id = e.id FROM e WHERE registry_transaction.id = %(tx)s)
UPDATE registry_journalhead SET sequence = %(sequence)s, hash = %(hash)s FROM e WHERE registry_journalhead.id = 1
RETURNING e.id
"""


def _append(event: core.Event, now: datetime, *, transaction_id: int | None = None) -> tuple[int, int]:
    """Chain ``event`` after the journal head and link it to ``transaction_id``; returns (id, sequence).

    The head is locked as the very last step and held to commit, so the chain is serialised for as
    short a time as possible: one locking read, then (on PostgreSQL) one statement that inserts the
    entry, links the transaction and moves the head.
    """
    head = locks.lock_head()
    value = chain_entry(
        prev_sequence=head.sequence,
        prev_hash=head.hash,
        kind=event.kind,
        occurred_at=now.isoformat(),
        payload=event.payload,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                _PG_APPEND,
                {
                    "sequence": value.sequence,
                    "kind": value.kind,
                    "occurred_at": value.occurred_at,
                    "payload": json.dumps(value.payload),
                    "prev_hash": value.prev_hash,
                    "hash": value.hash,
                    "tx": transaction_id,
                },
            )
            (entry_id,) = cur.fetchone()
        return entry_id, value.sequence
    row = JournalEntry.objects.create(
        sequence=value.sequence,
        kind=value.kind,
        occurred_at=value.occurred_at,
        payload=value.payload,
        prev_hash=value.prev_hash,
        hash=value.hash,
    )
    head.sequence, head.hash = value.sequence, value.hash
    head.save(update_fields=["sequence", "hash"])
    if transaction_id is not None:
        Transaction.objects.filter(pk=transaction_id).update(entry_id=row.pk)
    return row.pk, value.sequence


def _audit(action: str, target: Any, *, now: datetime, actor: Any, after: dict[str, Any]) -> None:
    record_event(action=f"registry.{action}", target=target, at=now, actor=actor, after=after)


def _state_for(
    accounts: Iterable[Account], blocks: Iterable[Block], registries: Iterable[Registry] = ()
) -> core.LedgerState:
    state = core.LedgerState()
    for r in registries:
        state.registries[r.code] = registry_value(r)
    for a in accounts:
        state.registries.setdefault(a.registry.code, registry_value(a.registry))
        state.accounts[a.number] = account_value(a)
        state.balances[a.number] = a.balance
    for b in blocks:
        state.load_block(block_value(b))
    return state


def _persist(
    state: core.LedgerState,
    rows: list[Block],
    accounts: dict[str, Account],
    issuance_ids: dict[str, int] | None = None,
    registry_ids: dict[str, int] | None = None,
) -> None:
    """Write the blocks and balances that ``state`` changed (rows keep their start serial as key)."""
    by_start = {r.start: r for r in rows}
    account_ids = {r.account.number: r.account_id for r in rows if r.account_id is not None}
    account_ids.update({n: a.pk for n, a in accounts.items()})
    updates, creates = [], []
    for value in state.blocks.values():
        row = by_start.get(value.start)
        if row is None:
            new = Block(
                issuance_id=(issuance_ids or {}).get(value.issuance) or _issuance_id(rows, value.issuance),
                registry_id=(registry_ids or {}).get(value.registry) or _registry_id(rows, value.registry),
            )
            set_block_fields(new, value, account_ids=account_ids)
            creates.append(new)
        elif block_value(row) != value:
            before = {f: getattr(row, f if f != "account" else "account_id") for f in BLOCK_FIELDS}
            set_block_fields(row, value, account_ids=account_ids)
            changed = {
                (f if f != "account" else "account_id"): getattr(row, f if f != "account" else "account_id")
                for f in BLOCK_FIELDS
                if getattr(row, f if f != "account" else "account_id") != before[f]
            }
            updates.append((row.pk, changed))
    for pk, changed in updates:
        Block.objects.filter(pk=pk).update(**changed)
    if creates:
        Block.objects.bulk_create(creates)
    for number, acct in accounts.items():
        new_balance = state.balances.get(number, 0)
        if new_balance != acct.balance:
            Account.objects.filter(pk=acct.pk).update(balance=new_balance)
            acct.balance = new_balance


def _issuance_id(rows: list[Block], reference: str) -> int:
    return next(r.issuance_id for r in rows if r.issuance.reference == reference)


def _registry_id(rows: list[Block], code: str) -> int:
    return next(r.registry_id for r in rows if r.registry.code == code)


def _account(number: str) -> Account:
    try:
        return Account.objects.select_related("registry").get(number=number)
    except Account.DoesNotExist as exc:
        raise UnknownObject(f"account {number!r} does not exist") from exc


def _registry(code: str) -> Registry:
    try:
        return Registry.objects.get(code=code)
    except Registry.DoesNotExist as exc:
        raise UnknownObject(f"registry {code!r} does not exist") from exc


def _ranges_json(ranges: Sequence[SerialRange] | None) -> list[list[int]] | None:
    return None if ranges is None else ranges_to_json(normalise(ranges))


def _movements(
    tx: Transaction, state: core.LedgerState, ranges: list[SerialRange], issuance_ids: dict[str, int]
) -> None:
    rows = []
    for r in ranges:
        for b in state.overlapping(r):
            piece = b.range.intersection(r)
            if piece is not None:
                rows.append(
                    Movement(transaction=tx, issuance_id=issuance_ids[b.issuance], start=piece.start, end=piece.end)
                )
    Movement.objects.bulk_create(rows)


# --------------------------------------------------------------------------------------------------
# Registries and accounts


def create_registry(
    *,
    idempotency_key: str,
    code: str,
    party: str,
    name: str,
    hosted: bool = True,
    manager_id: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Set up one government's registry (or record a counterpart registry hosted elsewhere)."""
    request = {"code": code, "party": party, "name": name, "hosted": hosted, "manager": manager_id}

    def work() -> Result:
        state = core.LedgerState(registries={r.code: registry_value(r) for r in Registry.objects.filter(code=code)})
        event = core.Event("registry.created", {"registry": code, "party": party, "hosted": hosted})
        core.apply(state, event)
        reg = Registry.objects.create(
            code=code, party=party, name=name, hosted=hosted, manager_id=manager_id, created_at=now
        )
        _, sequence = _append(event, now)
        _audit("registry_created", reg, now=now, actor=actor, after=request)
        return Result("create_registry", sequence, details={"registry": code})

    return _idempotent("create_registry", idempotency_key, request, now, work)


def open_account(
    *,
    idempotency_key: str,
    registry: str,
    number: str,
    kind: AccountKind | str,
    holder_id: int | None = None,
    holder_name: str = "",
    actor: Any = None,
    now: datetime,
) -> Result:
    """Open an account in ``registry``; raises WrongRegistry for a registry not hosted here."""
    kind_value = AccountKind(kind).value
    request = {
        "registry": registry,
        "number": number,
        "kind": kind_value,
        "holder": holder_id,
        "holder_name": holder_name,
    }

    def work() -> Result:
        reg = _registry(registry)
        state = core.LedgerState(registries={reg.code: registry_value(reg)})
        if Account.objects.filter(number=number).exists():
            state.accounts[number] = core.AccountInfo(number, reg.code, AccountKind(kind_value))
        event = core.Event(
            "account.opened", {"account": number, "registry": reg.code, "kind": kind_value, "holder": holder_name}
        )
        core.apply(state, event)
        acct = Account.objects.create(
            registry=reg, number=number, kind=kind_value, holder_id=holder_id, holder_name=holder_name, opened_at=now
        )
        _, sequence = _append(event, now)
        _audit("account_opened", acct, now=now, actor=actor, after=request)
        return Result("open_account", sequence, details={"account": number})

    return _idempotent("open_account", idempotency_key, request, now, work)


def set_account_status(
    *, idempotency_key: str, account: str, status: AccountStatus | str, actor: Any = None, now: datetime
) -> Result:
    """Suspend, reopen or close an account. A closed account never receives; closing one that still
    holds credits is refused."""
    status_value = AccountStatus(status).value
    request = {"account": account, "status": status_value}

    def work() -> Result:
        acct = _account(account)
        locked = locks.lock_accounts([account])[account]
        state = _state_for([locked], [])
        before = locked.status
        event = core.Event("account.status", {"account": account, "status": status_value})
        core.apply(state, event)
        Account.objects.filter(pk=acct.pk).update(status=status_value, status_changed_at=now)
        _, sequence = _append(event, now)
        _audit(f"account_{status_value}", acct, now=now, actor=actor, after={"status": status_value, "before": before})
        return Result("set_account_status", sequence, details={"account": account, "status": status_value})

    return _idempotent("set_account_status", idempotency_key, request, now, work)


def suspend_account(*, idempotency_key: str, account: str, actor: Any = None, now: datetime) -> Result:
    return set_account_status(
        idempotency_key=idempotency_key, account=account, status=AccountStatus.SUSPENDED, actor=actor, now=now
    )


def close_account(*, idempotency_key: str, account: str, actor: Any = None, now: datetime) -> Result:
    return set_account_status(
        idempotency_key=idempotency_key, account=account, status=AccountStatus.CLOSED, actor=actor, now=now
    )


# --------------------------------------------------------------------------------------------------
# Issuance


def issue(
    *,
    idempotency_key: str,
    registry: str,
    reference: str,
    project: str,
    vintage: int,
    approach: str,
    first_transferring_party: str | None = None,
    quantity: int,
    allocation: Sequence[tuple[str, int]],
    rule: AllocationRule | str = AllocationRule.LARGEST_REMAINDER,
    designated: str | None = None,
    monitoring_period: str = "",
    decision: str = "",
    actor: Any = None,
    now: datetime,
) -> Result:
    """Issue into ``registry`` its side of a Joint Committee notification.

    ``quantity`` is the total the JC decided; ``allocation`` is the Percentage of Credit Allocation
    as ``(target, basis points)`` in declared order, where a target is an account number of this
    registry or the code of another registry, optionally with a label (``"ID"``, ``"ID:PT Partner"``:
    a share of that side, issued there, not here). Both sides pass the same list, so both resolve
    the same whole credits per party. The
    shares are resolved to whole credits by ``rule`` (see core.allocation); this registry issues
    the credits of its own accounts, in consecutive new serials, account by account.
    """
    rule_value = AllocationRule(rule)
    request = {
        "registry": registry,
        "reference": reference,
        "project": project,
        "vintage": vintage,
        "approach": approach,
        "ftp": first_transferring_party,
        "quantity": quantity,
        "allocation": [list(a) for a in allocation],
        "rule": rule_value.value,
        "designated": designated,
        "monitoring_period": monitoring_period,
        "decision": decision,
    }

    def work() -> Result:
        reg = _registry(registry)
        resolved = allocate(quantity, [Share(t, bp) for t, bp in allocation], rule=rule_value, designated=designated)
        codes = set(Registry.objects.values_list("code", flat=True))
        # A target is an account number, or another registry's code (optionally "CODE:party label").
        ours = [(t, q) for t, q in resolved if t.split(":", 1)[0] not in codes]
        if not any(q for _, q in ours):
            raise InvalidInput(f"the allocation gives no credits to accounts of registry {reg.code}")
        accounts = locks.lock_accounts([t for t, _ in ours])
        for t, _ in ours:
            if t not in accounts:
                raise UnknownObject(f"allocation target {t!r} is neither an account nor a registry")
        ours = [(t, q) for t, q in ours if q]
        state = _state_for(accounts.values(), [], [reg])
        head = locks.lock_head()
        state.next_serial = head.next_serial
        event = core.issuance_event(
            issuance=reference,
            registry=reg.code,
            approach=approach,
            first_transferring_party=first_transferring_party or reg.party,
            project=project,
            vintage=vintage,
            first_serial=head.next_serial,
            allocations=ours,
            extra={
                "decision": decision,
                "monitoring_period": monitoring_period,
                "allocation": {
                    "total": quantity,
                    "rule": rule_value.value,
                    "designated": designated or "",
                    "shares": [[t, bp] for t, bp in allocation],
                    "resolved": [[t, q] for t, q in resolved],
                },
            },
        )
        if Issuance.objects.filter(reference=reference).exists():
            raise InvalidInput(f"issuance {reference} already recorded")
        core.apply(state, event)
        p = event.payload
        first, last = p["allocations"][0]["start"], p["allocations"][-1]["end"]
        iss = Issuance.objects.create(
            reference=reference,
            registry=reg,
            approach=approach,
            first_transferring_party=p["first_transferring_party"],
            project=project,
            monitoring_period=monitoring_period,
            vintage=vintage,
            quantity=p["quantity"],
            serial_start=first,
            serial_end=last,
            decision=decision,
            allocation=p["allocation"],
            issued_at=now,
        )
        _persist(state, [], accounts, issuance_ids={reference: iss.pk}, registry_ids={reg.code: reg.pk})
        head.next_serial = last + 1
        head.save(update_fields=["next_serial"])
        tx = Transaction.objects.create(
            kind="issuance",
            registry=reg,
            quantity=p["quantity"],
            ranges=[[first, last]],
            occurred_at=now,
            initiator=_user(actor),
        )
        _movements(tx, state, [SerialRange(first, last)], {reference: iss.pk})
        _audit(
            "issuance",
            iss,
            now=now,
            actor=actor,
            after={"quantity": p["quantity"], "serials": [first, last], "allocations": p["allocations"]},
        )
        _, sequence = _append(event, now, transaction_id=tx.pk)
        return Result(
            "issue",
            sequence,
            tx.pk,
            p["quantity"],
            [[first, last]],
            details={"issuance": reference, "allocations": p["allocations"]},
        )

    return _idempotent("issue", idempotency_key, request, now, work)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --------------------------------------------------------------------------------------------------
# Movements


def _lock_source_blocks(src: Account, ranges: list[SerialRange] | None, quantity: int | None) -> list[Block]:
    if ranges is not None:
        return locks.lock_blocks_in_ranges(ranges, account_id=src.pk)
    # Oldest vintage first: find just enough candidates (stable under our lock on the account).
    if quantity is None or quantity < 1:
        raise InvalidInput("give either serial ranges or a positive quantity")
    ids: list[int] = []
    got, offset, chunk = 0, 0, 64
    candidates = Block.objects.filter(account_id=src.pk, status="held").order_by("vintage", "start")
    while got < quantity:
        batch = list(candidates.values_list("pk", "start", "end")[offset : offset + chunk])
        for pk, start, end in batch:
            ids.append(pk)
            got += end - start + 1
            if got >= quantity:
                break
        if len(batch) < chunk:
            break
        offset += chunk
    return locks.lock_blocks_by_id(ids)


def _move(
    *,
    operation: str,
    kind: str,
    idempotency_key: str,
    request: dict[str, Any],
    from_account: str,
    other_accounts: Callable[[], list[str]],
    ranges: Sequence[SerialRange] | None,
    quantity: int | None,
    build: Callable[[core.LedgerState, Account, dict[str, Account], list[SerialRange]], core.Event],
    after: Callable[[Transaction, core.Event, core.LedgerState], dict[str, Any]] | None = None,
    to_registry: str | None = None,
    actor: Any,
    now: datetime,
) -> Result:
    def work() -> Result:
        accounts = locks.lock_accounts([from_account, *other_accounts()])
        src_locked = accounts.get(from_account)
        if src_locked is None:
            raise UnknownObject(f"account {from_account!r} does not exist")
        wanted = normalise(ranges) if ranges is not None else None
        rows = _lock_source_blocks(src_locked, wanted, quantity)
        extra_regs = [_registry(to_registry)] if to_registry else []
        state = _state_for(accounts.values(), rows, extra_regs)
        selected = core.resolve_ranges(state, from_account, ranges=wanted, quantity=quantity)
        event = build(state, src_locked, accounts, selected)
        core.apply(state, event)
        _persist(state, rows, accounts)
        p = event.payload
        to_number = p.get("to")
        tx = Transaction.objects.create(
            kind=kind,
            registry=src_locked.registry,
            from_account=src_locked,
            to_account=accounts.get(to_number) if isinstance(to_number, str) else None,
            to_registry=extra_regs[0] if extra_regs else None,
            quantity=total(selected),
            ranges=ranges_to_json(selected),
            occurred_at=now,
            initiator=_user(actor),
        )
        issuance_ids = {r.issuance.reference: r.issuance_id for r in rows}
        _movements(tx, state, selected, issuance_ids)
        details = after(tx, event, state) if after else {}
        _audit(kind, tx, now=now, actor=actor, after={"payload": p, **details})
        _, sequence = _append(event, now, transaction_id=tx.pk)
        return Result(operation, sequence, tx.pk, total(selected), ranges_to_json(selected), details=details)

    return _idempotent(operation, idempotency_key, request, now, work)


def transfer(
    *,
    idempotency_key: str,
    from_account: str,
    to_account: str,
    ranges: Sequence[SerialRange] | None = None,
    quantity: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Transfer within one registry, by serial ranges or ``quantity`` credits oldest vintage first."""
    request = {"from": from_account, "to": to_account, "ranges": _ranges_json(ranges), "quantity": quantity}

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        if to_account not in accounts:
            raise UnknownObject(f"account {to_account!r} does not exist")
        return core.Event(
            "transfer",
            {
                "from": from_account,
                "to": to_account,
                "ranges": ranges_to_json(selected),
                "date": now.date().isoformat(),
            },
        )

    return _move(
        operation="transfer",
        kind="transfer",
        idempotency_key=idempotency_key,
        request=request,
        from_account=from_account,
        other_accounts=lambda: [to_account],
        ranges=ranges,
        quantity=quantity,
        build=build,
        actor=actor,
        now=now,
    )


def international_transfer(
    *,
    idempotency_key: str,
    from_account: str,
    to_registry: str,
    to_account: str,
    ranges: Sequence[SerialRange] | None = None,
    quantity: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Transfer to another Party's registry: only Article 6-authorised serials; records the first
    transfer where this is it. To a registry not hosted here the credits leave (moved out)."""
    request = {
        "from": from_account,
        "to_registry": to_registry,
        "to": to_account,
        "ranges": _ranges_json(ranges),
        "quantity": quantity,
    }

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        return core.international_transfer_event(
            state,
            from_=from_account,
            to_registry=to_registry,
            to=to_account,
            ranges=selected,
            date=now.date().isoformat(),
        )

    def after(tx: Transaction, event: core.Event, state: core.LedgerState) -> dict[str, Any]:
        return {"first_transferred": event.payload["first_transferred"]}

    return _move(
        operation="international_transfer",
        kind="international_transfer",
        idempotency_key=idempotency_key,
        request=request,
        from_account=from_account,
        other_accounts=lambda: [to_account],
        ranges=ranges,
        quantity=quantity,
        build=build,
        after=after,
        to_registry=to_registry,
        actor=actor,
        now=now,
    )


def _end_account(from_account: str, kind: AccountKind) -> str:
    """The open cancellation/retirement account of ``from_account``'s registry."""
    src = _account(from_account)
    acct = (
        Account.objects.filter(registry_id=src.registry_id, kind=kind.value, status=AccountStatus.OPEN.value)
        .order_by("pk")
        .first()
    )
    if acct is None:
        raise UnknownObject(f"registry {src.registry.code} has no open {kind.value} account")
    return acct.number


def cancel(
    *,
    idempotency_key: str,
    from_account: str,
    reason: str,
    ranges: Sequence[SerialRange] | None = None,
    quantity: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Move credits to the registry's cancellation account; they never move again."""
    if not reason.strip():
        raise InvalidInput("reason is required")
    request = {"from": from_account, "reason": reason, "ranges": _ranges_json(ranges), "quantity": quantity}
    to: list[str] = []

    def others() -> list[str]:
        to[:] = [_end_account(from_account, AccountKind.CANCELLATION)]
        return to

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        return core.end_state_event(
            state,
            "cancellation",
            from_=from_account,
            to=to[0],
            ranges=selected,
            date=now.date().isoformat(),
            reason=reason,
        )

    return _move(
        operation="cancel",
        kind="cancellation",
        idempotency_key=idempotency_key,
        request=request,
        from_account=from_account,
        other_accounts=others,
        ranges=ranges,
        quantity=quantity,
        build=build,
        actor=actor,
        now=now,
    )


def retire(
    *,
    idempotency_key: str,
    from_account: str,
    purpose: RetirementPurpose | str,
    beneficiary: str,
    ndc_party: str = "",
    ranges: Sequence[SerialRange] | None = None,
    quantity: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Retire credits (towards a Party's NDC, voluntary, or OMGE) for ``beneficiary``; writes the
    retirement record a certificate is printed from."""
    purpose_value = RetirementPurpose(purpose).value
    if purpose_value == RetirementPurpose.NDC.value and not ndc_party:
        raise InvalidInput("ndc_party is required when retiring towards an NDC")
    request = {
        "from": from_account,
        "purpose": purpose_value,
        "beneficiary": beneficiary,
        "ndc_party": ndc_party,
        "ranges": _ranges_json(ranges),
        "quantity": quantity,
    }
    to: list[str] = []
    number = f"RET-{hashlib.sha256(idempotency_key.encode()).hexdigest()[:12].upper()}"

    def others() -> list[str]:
        to[:] = [_end_account(from_account, AccountKind.RETIREMENT)]
        return to

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        return core.end_state_event(
            state,
            "retirement",
            from_=from_account,
            to=to[0],
            ranges=selected,
            date=now.date().isoformat(),
            purpose=purpose_value,
            ndc_party=ndc_party,
            beneficiary=beneficiary,
            retirement=number,
        )

    def after(tx: Transaction, event: core.Event, state: core.LedgerState) -> dict[str, Any]:
        identifiers, vintages = [], set()
        issuances = {
            i.reference: i
            for i in Issuance.objects.filter(
                reference__in={b.issuance for r in tx_ranges(tx) for b in state.overlapping(r)}
            )
        }
        for r in tx_ranges(tx):
            for b in state.overlapping(r):
                piece = b.range.intersection(r)
                if piece is None:
                    continue
                iss = issuances[b.issuance]
                vintages.add(b.vintage)
                identifiers.append(
                    format_identifier(
                        approach=iss.approach,
                        registry=b.registry,
                        first_transferring_party=iss.first_transferring_party,
                        project=iss.project,
                        vintage=b.vintage,
                        serials=piece,
                    )
                )
        RetirementRecord.objects.create(
            number=number,
            transaction=tx,
            registry=tx.registry,
            from_account=tx.from_account,
            quantity=tx.quantity,
            purpose=purpose_value,
            ndc_party=ndc_party,
            beneficiary=beneficiary,
            identifiers=identifiers,
            vintages=sorted(vintages),
            retired_at=now,
        )
        return {"retirement": number, "identifiers": identifiers}

    return _move(
        operation="retire",
        kind="retirement",
        idempotency_key=idempotency_key,
        request=request,
        from_account=from_account,
        other_accounts=others,
        ranges=ranges,
        quantity=quantity,
        build=build,
        after=after,
        actor=actor,
        now=now,
    )


def tx_ranges(tx: Transaction) -> list[SerialRange]:
    return [SerialRange(s, e) for s, e in tx.ranges]


# --------------------------------------------------------------------------------------------------
# Article 6


def authorise(
    *,
    idempotency_key: str,
    account: str,
    ranges: Sequence[SerialRange],
    authorisation_id: str,
    purposes: Sequence[Purpose | str],
    first_transfer_trigger: FirstTransferTrigger | str = FirstTransferTrigger.INTERNATIONAL_TRANSFER,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Authorise serials held in ``account`` under Article 6 (by its registry's Party)."""
    purpose_values = sorted({Purpose(p).value for p in purposes})
    trigger = FirstTransferTrigger(first_transfer_trigger).value
    rs = normalise(ranges)
    request = {
        "account": account,
        "ranges": ranges_to_json(rs),
        "authorisation_id": authorisation_id,
        "purposes": purpose_values,
        "trigger": trigger,
    }

    def work() -> Result:
        acct = locks.lock_accounts([account]).get(account)
        if acct is None:
            raise UnknownObject(f"account {account!r} does not exist")
        rows = locks.lock_blocks_in_ranges(rs, account_id=acct.pk)
        state = _state_for([acct], rows)
        event = core.Event(
            "authorisation",
            {
                "account": account,
                "ranges": ranges_to_json(rs),
                "authorisation_id": authorisation_id,
                "date": now.date().isoformat(),
                "purposes": purpose_values,
                "first_transfer_trigger": trigger,
            },
        )
        core.apply(state, event)
        _persist(state, rows, {account: acct})
        entry_id, sequence = _append(event, now)
        _audit("authorisation", ("registry.journalentry", str(entry_id)), now=now, actor=actor, after=request)
        return Result(
            "authorise",
            sequence,
            None,
            total(rs),
            ranges_to_json(rs),
            details={"authorisation_id": authorisation_id},
        )

    return _idempotent("authorise", idempotency_key, request, now, work)


def record_corresponding_adjustment(
    *, idempotency_key: str, ranges: Sequence[SerialRange], party: str, year: int, actor: Any = None, now: datetime
) -> Result:
    """Record that ``party`` applied a corresponding adjustment for ``year`` to first-transferred serials."""
    rs = normalise(ranges)
    request = {"ranges": ranges_to_json(rs), "party": party, "year": year}

    def work() -> Result:
        rows = locks.lock_blocks_in_ranges(rs)
        state = _state_for([], rows)
        event = core.Event("corresponding_adjustment", {"ranges": ranges_to_json(rs), "party": party, "year": year})
        core.apply(state, event)
        _persist(state, rows, {})
        entry_id, sequence = _append(event, now)
        _audit(
            "corresponding_adjustment", ("registry.journalentry", str(entry_id)), now=now, actor=actor, after=request
        )
        return Result(
            "record_corresponding_adjustment",
            sequence,
            None,
            total(rs),
            ranges_to_json(rs),
            details={"party": party, "year": year},
        )

    return _idempotent("record_corresponding_adjustment", idempotency_key, request, now, work)


# --------------------------------------------------------------------------------------------------
# Checkpoints


def create_checkpoint(*, actor: Any = None, now: datetime) -> Checkpoint:
    """Publish ``(sequence, hash)`` of the journal head (idempotent per sequence)."""
    with transaction.atomic():
        head = locks.lock_head()
        cp, created = Checkpoint.objects.get_or_create(
            sequence=head.sequence, defaults={"hash": head.hash, "created_at": now}
        )
        if created:
            _audit("checkpoint", cp, now=now, actor=actor, after={"sequence": cp.sequence, "hash": cp.hash})
        return cp
