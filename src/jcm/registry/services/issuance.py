"""Issuance from a Joint Committee notification."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.allocation import AllocationRule, Share, allocate
from jcm.registry.core.errors import InvalidInput, UnknownObject
from jcm.registry.core.serials import SerialRange
from jcm.registry.models import (
    Issuance,
    Registry,
    Transaction,
)
from jcm.registry.services._common import (
    Result,
    _append,
    _audit,
    _idempotent,
    _movements,
    _persist,
    _registry,
    _state_for,
    _user,
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
