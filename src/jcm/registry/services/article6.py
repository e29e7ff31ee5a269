"""Article 6: authorisation and corresponding adjustments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.article6 import FirstTransferTrigger, Purpose, parse_date
from jcm.registry.core.errors import InvalidInput, UnknownObject
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


def latest_today(now: datetime) -> date:
    """Today's date where it is latest (UTC+14): a Party's local date is never after it, so a date
    after it is in the future for everyone."""
    return (now.astimezone(UTC) + timedelta(hours=14)).date()


def authorise(
    *,
    idempotency_key: str,
    account: str,
    ranges: Sequence[SerialRange],
    authorisation_id: str,
    purposes: Sequence[Purpose | str],
    first_transfer_trigger: FirstTransferTrigger | str = FirstTransferTrigger.INTERNATIONAL_TRANSFER,
    authorisation_date: date | str | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Authorise serials held in ``account`` under Article 6 (by its registry's Party).

    ``authorisation_date`` is the date of the Party's authorisation (a date or ``YYYY-MM-DD``;
    default: today, ``now``'s date). It may be earlier than the day it is recorded here, never later
    than today. With ``first_transfer_trigger="authorisation"`` it is also the first-transfer date.

    Raises InvalidInput (``authorisation_date`` not a date or in the future; ``purposes``,
    ``first_transfer_trigger`` unknown; ``authorisation_id`` empty), UnknownObject (account),
    SerialsNotHeld, WrongRegistry, Article6Error (already authorised under another id).
    """
    try:
        purpose_values = sorted({Purpose(p).value for p in purposes})
    except ValueError:
        raise InvalidInput(
            Message(N_("unknown Article 6 purpose in %(list)s"), list=repr(list(purposes))), field="purposes"
        ) from None
    try:
        trigger = FirstTransferTrigger(first_transfer_trigger).value
    except ValueError:
        raise InvalidInput(
            Message(
                N_("unknown first_transfer_trigger %(first_transfer_trigger)s"),
                first_transfer_trigger=repr(first_transfer_trigger),
            ),
            field="first_transfer_trigger",
        ) from None
    if authorisation_date is None:
        day = now.date().isoformat()
    else:
        day = parse_date(authorisation_date, field="authorisation_date", not_after=latest_today(now))
    rs = normalise(ranges)
    request = {
        "account": account,
        "ranges": ranges_to_json(rs),
        "authorisation_id": authorisation_id,
        "purposes": purpose_values,
        "trigger": trigger,
    }
    if authorisation_date is not None:  # requests without a date hash as they always did
        request["authorisation_date"] = day

    def work() -> Result:
        acct = locks.lock_accounts([account]).get(account)
        if acct is None:
            raise UnknownObject(
                Message(N_("account %(number)s does not exist"), number=repr(account)), field="account"
            )
        rows = locks.lock_blocks_in_ranges(rs, account_id=acct.pk)
        state = _state_for([acct], rows)
        event = core.Event(
            "authorisation",
            {
                "account": account,
                "ranges": ranges_to_json(rs),
                "authorisation_id": authorisation_id,
                "date": day,
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
            details={"authorisation_id": authorisation_id, "authorisation_date": day},
        )

    return _idempotent("authorise", idempotency_key, request, now, work, actor=actor)


def record_corresponding_adjustment(
    *, idempotency_key: str, ranges: Sequence[SerialRange], party: str, year: int, actor: Any = None, now: datetime
) -> Result:
    """Record that ``party`` applied a corresponding adjustment for ``year`` to first-transferred
    serials; each block keeps the Party, the year and the date it was recorded (``now``'s date).

    Raises SerialsNotHeld (serials not issued), Article6Error (not first-transferred; already
    recorded for this Party), InvalidInput."""
    rs = normalise(ranges)
    request = {"ranges": ranges_to_json(rs), "party": party, "year": year}
    recorded_on = now.date().isoformat()

    def work() -> Result:
        _, rows = locks.lock_blocks_and_holders(rs)
        state = _state_for([], rows)
        event = core.Event(
            "corresponding_adjustment",
            {"ranges": ranges_to_json(rs), "party": party, "year": year, "date": recorded_on},
        )
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
