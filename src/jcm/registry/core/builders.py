"""Builders: resolve a request (oldest vintage first, allocations, Article 6 first transfers) into an event."""

from __future__ import annotations

from collections.abc import Iterable

from .checks import _check_held, _first_transfer_ranges
from .errors import (
    InsufficientHoldings,
    InvalidInput,
)
from .messages import N_, Message
from .model import (
    BlockStatus,
)
from .serials import SerialRange, normalise, ranges_to_json
from .state import Event, LedgerState, Payload

# --------------------------------------------------------------------------------------------------
# Builders: resolve a request into an event


def select_oldest_first(state: LedgerState, account: str, quantity: int) -> list[SerialRange]:
    """The ``quantity`` held serials of ``account``: oldest vintage first, and from as few blocks as
    possible within a vintage.

    While credits are left to take, among the held blocks of the oldest vintage not yet taken: the
    smallest block that holds all that is left gives its lowest serials; if no block is that large,
    the largest block goes whole (ties: the lowest first serial) and the step repeats. A vintage is
    used up before the next one is touched. Fewest blocks means the fewest serial ranges on records
    and certificates, and a ledger that does not crumble into ever smaller blocks (docs/registry.md).
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(
            Message(N_("quantity must be a positive integer, got %(quantity)s"), quantity=repr(quantity))
        )
    pool = [b for b in state.account_blocks(account) if b.status is BlockStatus.HELD]
    available = sum(b.quantity for b in pool)
    if available < quantity:
        raise InsufficientHoldings(
            Message(
                N_("account %(account)s holds %(available)s credits, %(quantity)s requested"),
                account=account,
                available=available,
                quantity=quantity,
            )
        )
    out, left = [], quantity
    while left:
        vintage = min(b.vintage for b in pool)
        same = [b for b in pool if b.vintage == vintage]
        fits = [b for b in same if b.quantity >= left]
        if fits:
            chosen = min(fits, key=lambda b: (b.quantity, b.start))
        else:
            chosen = min(same, key=lambda b: (-b.quantity, b.start))
        take = min(left, chosen.quantity)
        out.append(chosen.range.head(take))
        left -= take
        pool.remove(chosen)
    return normalise(out)


def resolve_ranges(
    state: LedgerState, account: str, *, ranges: Iterable[SerialRange] | None, quantity: int | None
) -> list[SerialRange]:
    """Exactly one of ``ranges`` (explicit serials) or ``quantity`` (oldest vintage first)."""
    if (ranges is None) == (quantity is None):
        raise InvalidInput(N_("give either serial ranges or a quantity, not both or neither"))
    if ranges is not None:
        rs = normalise(ranges)
        if not rs:
            raise InvalidInput(N_("no serials given"))
        return rs
    assert quantity is not None
    return select_oldest_first(state, account, quantity)


def issuance_event(
    *,
    issuance: str,
    notification: str,
    registry: str,
    approach: str,
    first_transferring_party: str,
    project: str,
    vintage: int,
    first_serial: int,
    allocations: list[tuple[str, int]],
    extra: Payload | None = None,
) -> Event:
    """Give each (account, quantity) consecutive serials from ``first_serial``; zero shares get none."""
    rows = []
    cursor = first_serial
    for account, qty in allocations:
        if qty < 0:
            raise InvalidInput(Message(N_("allocation to %(account)s is negative"), account=account))
        if qty == 0:
            continue
        rows.append({"account": account, "start": cursor, "end": cursor + qty - 1})
        cursor += qty
    payload: Payload = dict(extra or {})
    payload.update(
        {
            "issuance": issuance,
            "notification": notification,
            "registry": registry,
            "approach": approach,
            "first_transferring_party": first_transferring_party,
            "project": project,
            "vintage": vintage,
            "quantity": cursor - first_serial,
            "allocations": rows,
        }
    )
    return Event("issuance", payload)


def international_transfer_event(
    state: LedgerState, *, from_: str, to_registry: str, to: str, ranges: list[SerialRange], date: str
) -> Event:
    blocks = _check_held(state, from_, ranges)
    return Event(
        "international_transfer",
        {
            "from": from_,
            "to_registry": to_registry,
            "to": to,
            "ranges": ranges_to_json(ranges),
            "first_transferred": ranges_to_json(_first_transfer_ranges(blocks, ranges, use=False)),
            "date": date,
        },
    )


def end_state_event(
    state: LedgerState, kind: str, *, from_: str, to: str, ranges: list[SerialRange], date: str, **fields: str
) -> Event:
    """A ``cancellation`` or ``retirement`` event."""
    blocks = _check_held(state, from_, ranges)
    payload: Payload = {
        "from": from_,
        "to": to,
        "ranges": ranges_to_json(ranges),
        "date": date,
        "first_transferred": ranges_to_json(_first_transfer_ranges(blocks, ranges, use=True)),
    }
    payload.update(fields)
    return Event(kind, payload)
