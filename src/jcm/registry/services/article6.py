"""Article 6: authorisation and corresponding adjustments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.article6 import FirstTransferTrigger, Purpose
from jcm.registry.core.errors import UnknownObject
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.serials import SerialRange, normalise, ranges_to_json, total
from jcm.registry.services._common import (
    Result,
    _append,
    _audit,
    _idempotent,
    _persist,
    _state_for,
)

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
            raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(account)))
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

    return _idempotent("authorise", idempotency_key, request, now, work, actor=actor)


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

    return _idempotent("record_corresponding_adjustment", idempotency_key, request, now, work, actor=actor)
