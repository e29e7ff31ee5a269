"""Plumbing shared by the registry services: results, idempotency, the journal append, persistence."""

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
from jcm.registry.core.errors import IdempotencyConflict, InvalidInput, UnknownObject
from jcm.registry.core.journal import canonical_json, chain_entry
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.serials import SerialRange, normalise, ranges_to_json
from jcm.registry.models import (
    Account,
    Block,
    IdempotencyKey,
    JournalEntry,
    Movement,
    Registry,
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
            Message(
                N_("idempotency key %(key)s was already used for a different %(operation)s request"),
                key=repr(row.key),
                operation=row.operation,
            )
        )
    return Result(**{**row.result, "replayed": True})


def _check_key_and_clock(key: str, now: datetime) -> None:
    if not key or len(key) > 100:
        raise InvalidInput(N_("idempotency_key is required (1 to 100 characters)"))
    if now.tzinfo is None:
        raise InvalidInput(N_("now must be timezone-aware"))


def _scope(actor: Any) -> str:
    """Idempotency keys are scoped per actor: ``u<user id>``, or ``""`` for the system (no user)."""
    pk = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return f"u{pk}" if pk is not None else ""


def _idempotent(
    operation: str, key: str, request: dict[str, Any], now: datetime, work: Callable[[], Result], *, actor: Any
) -> Result:
    _check_key_and_clock(key, now)
    digest = _request_hash(operation, request)
    scope = _scope(actor)
    keys = IdempotencyKey.objects.filter(scope=scope, key=key)
    try:
        with transaction.atomic():
            existing = keys.first()
            if existing is not None:
                return _replay(existing, operation, digest)
            IdempotencyKey.objects.create(
                scope=scope, key=key, operation=operation, request_hash=digest, result={}, created_at=now
            )
            result = work()
            keys.update(result=_result_json(result))
            return result
    except IntegrityError:
        # A concurrent request with the same key won the race; answer as a replay.
        existing = keys.first()
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
UPDATE registry_journalhead SET sequence = %(sequence)s, prev_hash = %(prev_hash)s, hash = %(hash)s
FROM e WHERE registry_journalhead.id = 1
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
    head.sequence, head.prev_hash, head.hash = value.sequence, head.hash, value.hash
    head.save(update_fields=["sequence", "prev_hash", "hash"])
    if transaction_id is not None:
        Transaction.objects.filter(pk=transaction_id).update(entry_id=row.pk)
    return row.pk, value.sequence


def _audit(action: str, target: Any, *, now: datetime, actor: Any, after: dict[str, Any], label: str = "") -> None:
    record_event(action=f"registry.{action}", target=target, at=now, actor=actor, after=after, label=label)


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
        raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(number))) from exc


def _registry(code: str) -> Registry:
    try:
        return Registry.objects.get(code=code)
    except Registry.DoesNotExist as exc:
        raise UnknownObject(Message(N_("registry %(code)s does not exist"), code=repr(code))) from exc


def _ranges_json(ranges: Sequence[SerialRange] | None) -> list[list[int]] | None:
    return None if ranges is None else ranges_to_json(normalise(ranges))


def _movements(
    tx: Transaction, state: core.LedgerState, ranges: list[SerialRange], issuance_ids: dict[str, int]
) -> None:
    """One row per contiguous run of one issuance's serials that ``tx`` moved (in serial order; the
    pieces of adjacent blocks merge), the rows serial lookups read."""
    rows: list[Movement] = []
    for r in ranges:
        for b in state.overlapping(r):
            piece = b.range.intersection(r)
            if piece is None:
                continue
            issuance_id = issuance_ids[b.issuance]
            last = rows[-1] if rows else None
            if last is not None and last.issuance_id == issuance_id and last.end + 1 == piece.start:
                last.end = piece.end
            else:
                rows.append(Movement(transaction=tx, issuance_id=issuance_id, start=piece.start, end=piece.end))
    Movement.objects.bulk_create(rows)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
