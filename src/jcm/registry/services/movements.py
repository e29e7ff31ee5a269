"""Transfers, international transfers, cancellation and retirement."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import F, Min

from jcm.registry import fastpath, locks
from jcm.registry.core import ledger as core
from jcm.registry.core.errors import InvalidInput, UnknownObject
from jcm.registry.core.identifiers import format_identifier
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.model import AccountKind, AccountStatus, RetirementPurpose
from jcm.registry.core.serials import SerialRange, normalise, ranges_to_json, total
from jcm.registry.models import (
    Account,
    Block,
    Issuance,
    RetirementRecord,
    Transaction,
)
from jcm.registry.services._common import (
    Result,
    _account,
    _append,
    _audit,
    _check_key_and_clock,
    _idempotent,
    _movements,
    _persist,
    _ranges_json,
    _registry,
    _replay,
    _request_hash,
    _scope,
    _state_for,
    _user,
)

# --------------------------------------------------------------------------------------------------
# Movements


def _lock_source_blocks(src: Account, ranges: list[SerialRange] | None, quantity: int | None) -> list[Block]:
    if ranges is not None:
        return locks.lock_blocks_in_ranges(ranges, account_id=src.pk)
    # Oldest vintage first (core.select_oldest_first): the blocks the rule takes, found as the
    # PostgreSQL fast path finds them, one probe of ``registry_block_pick`` per block (the smallest
    # block of the oldest vintage left that holds the rest, else its largest), so the cost does not
    # grow with the number of blocks the account holds. Over just these blocks the core's rule picks
    # the same ones again; when they do not add up to ``quantity`` they are all the account's held
    # blocks, and the core's refusal counts them. Stable: we hold the source account.
    if quantity is None or quantity < 1:
        raise InvalidInput(N_("give either serial ranges or a positive quantity"))
    held = Block.objects.filter(account_id=src.pk, status="held").alias(size=F("end") - F("start"))
    if src.balance < quantity:  # the balance counts every block of the account: refused, all of them
        return locks.lock_blocks_by_id(held.values_list("pk", flat=True))
    taken: list[int] = []
    left = quantity
    while left > 0:
        rest = held.exclude(start__in=taken)
        vintage = rest.aggregate(oldest=Min("vintage"))["oldest"]
        if vintage is None:
            break
        same = rest.filter(vintage=vintage)
        block = same.filter(size__gte=left - 1).order_by("size", "start").values_list("start", "end").first()
        if block is None:
            block = same.order_by("-size", "start").values_list("start", "end").first()
        assert block is not None
        taken.append(block[0])
        left -= min(left, block[1] - block[0] + 1)
    return locks.lock_blocks_by_id(taken)


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
            raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(from_account)))
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
        # Credits sent to a registry hosted elsewhere leave this system: ``to`` names an account
        # there, never one of ours, even when an account here happens to have the same number.
        leaves = bool(extra_regs) and not extra_regs[0].hosted
        tx = Transaction.objects.create(
            kind=kind,
            registry=src_locked.registry,
            from_account=src_locked,
            to_account=accounts.get(to_number) if isinstance(to_number, str) and not leaves else None,
            to_registry=extra_regs[0] if extra_regs else None,
            quantity=total(selected),
            ranges=ranges_to_json(selected),
            occurred_at=now,
            initiator=_user(actor),
        )
        issuance_ids = {r.issuance.reference: r.issuance_id for r in rows}
        _movements(tx, state, selected, issuance_ids)
        details = after(tx, event, state) if after else {}
        _, sequence = _append(event, now, transaction_id=tx.pk)
        # After the entry: the event is labelled as the public pages number the transaction.
        _audit(kind, tx, now=now, actor=actor, after={"payload": p, **details}, label=f"{kind} #{sequence}")
        return Result(operation, sequence, tx.pk, total(selected), ranges_to_json(selected), details=details)

    return _idempotent(operation, idempotency_key, request, now, work, actor=actor)


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
    """Transfer within one registry, by serial ranges or ``quantity`` credits oldest vintage first.

    On PostgreSQL a well-formed transfer runs as one statement (``jcm.registry.fastpath``), with the
    same checks, rows, audit event and journal entry as the code below, which is the reference.
    """
    request = {"from": from_account, "to": to_account, "ranges": _ranges_json(ranges), "quantity": quantity}
    wanted = normalise(ranges) if ranges is not None else None
    if fastpath.handles_transfer(from_account, to_account, wanted, quantity):
        _check_key_and_clock(idempotency_key, now)
        answer = fastpath.transfer(
            scope=_scope(actor),
            idempotency_key=idempotency_key,
            request_hash=_request_hash("transfer", request),
            from_account=from_account,
            to_account=to_account,
            ranges=wanted,
            quantity=quantity,
            actor=actor,
            now=now,
        )
        if "replay" in answer:
            return _replay(
                fastpath.replay_row(_scope(actor), idempotency_key, answer["replay"]),
                "transfer",
                _request_hash("transfer", request),
            )
        return Result(**answer)

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        if to_account not in accounts:
            raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(to_account)))
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
        raise UnknownObject(
            Message(N_("registry %(code)s has no open %(value)s account"), code=src.registry.code, value=kind.value)
        )
    return acct.number


def _end_state_move(
    *,
    operation: str,
    kind: str,
    account_kind: AccountKind,
    event_fields: dict[str, Any],
    idempotency_key: str,
    request: dict[str, Any],
    from_account: str,
    ranges: Sequence[SerialRange] | None,
    quantity: int | None,
    after: Callable[[Transaction, core.Event, core.LedgerState], dict[str, Any]] | None = None,
    actor: Any,
    now: datetime,
) -> Result:
    """Move credits into the registry's end-state account of ``account_kind`` (cancellation or
    retirement), from where they never move again; ``event_fields`` go into the journal event."""
    to: list[str] = []

    def others() -> list[str]:
        to[:] = [_end_account(from_account, account_kind)]
        return to

    def build(
        state: core.LedgerState, src: Account, accounts: dict[str, Account], selected: list[SerialRange]
    ) -> core.Event:
        return core.end_state_event(
            state, kind, from_=from_account, to=to[0], ranges=selected, date=now.date().isoformat(),
            **event_fields,
        )

    return _move(
        operation=operation,
        kind=kind,
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
        raise InvalidInput(N_("reason is required"))
    request = {"from": from_account, "reason": reason, "ranges": _ranges_json(ranges), "quantity": quantity}
    return _end_state_move(
        operation="cancel", kind="cancellation", account_kind=AccountKind.CANCELLATION,
        event_fields={"reason": reason}, idempotency_key=idempotency_key, request=request,
        from_account=from_account, ranges=ranges, quantity=quantity, actor=actor, now=now,
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
        raise InvalidInput(N_("ndc_party is required when retiring towards an NDC"))
    request = {
        "from": from_account,
        "purpose": purpose_value,
        "beneficiary": beneficiary,
        "ndc_party": ndc_party,
        "ranges": _ranges_json(ranges),
        "quantity": quantity,
    }
    # Deterministic per (actor scope, key), so a replay names the same record and two people who
    # happen to choose the same key get different numbers.
    seed = f"{_scope(actor)}\0{idempotency_key}".encode()
    number = f"RET-{hashlib.sha256(seed).hexdigest()[:12].upper()}"

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

    return _end_state_move(
        operation="retire", kind="retirement", account_kind=AccountKind.RETIREMENT,
        event_fields={"purpose": purpose_value, "ndc_party": ndc_party, "beneficiary": beneficiary,
                      "retirement": number},
        idempotency_key=idempotency_key, request=request, from_account=from_account, ranges=ranges,
        quantity=quantity, after=after, actor=actor, now=now,
    )


def tx_ranges(tx: Transaction) -> list[SerialRange]:
    return [SerialRange(s, e) for s, e in tx.ranges]
