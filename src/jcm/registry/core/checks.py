"""Checks shared by the appliers: payload field readers, account and holding checks, the
deterministic split (``_rewrite``) and the Article 6 first-transfer ranges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .article6 import FirstTransferTrigger
from .errors import (
    AccountNotOpen,
    Article6Error,
    InvalidInput,
    LedgerError,
    SerialsNotHeld,
    WrongAccountKind,
)
from .messages import N_, Message
from .model import (
    AccountInfo,
    AccountStatus,
    Block,
    BlockStatus,
)
from .serials import SerialRange, normalise, ranges_from_json, ranges_to_json
from .state import LedgerState, Payload

# --------------------------------------------------------------------------------------------------
# Payload field readers (journal content may be hostile: check every type)

# The services' name of an input that the journal payload spells differently (errors carry the
# services' name: ``LedgerError.field``).
FIELD_OF_KEY = {"from": "from_account", "to": "to_account"}


def field_of(key: str) -> str:
    return FIELD_OF_KEY.get(key, key)


def _str(p: Payload, key: str, *, required: bool = True) -> str:
    v = p.get(key, "")
    if not isinstance(v, str) or (required and not v):
        raise InvalidInput(Message(N_("%(key)s must be a non-empty string"), key=key), field=field_of(key))
    return v


def _int(p: Payload, key: str) -> int:
    v = p.get(key)
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidInput(Message(N_("%(key)s must be an integer"), key=key), field=field_of(key))
    return v


def _ranges(p: Payload, key: str = "ranges") -> list[SerialRange]:
    rs = normalise(ranges_from_json(p.get(key, []), field=key))
    if key == "ranges" and not rs:
        raise InvalidInput(N_("no serials given"), field="ranges")
    return rs


# --------------------------------------------------------------------------------------------------
# Shared checks


# One template per role, so each is translated as a whole sentence.
NOT_OPEN = {
    "source": N_("source account %(number)s is %(status)s"),
    "destination": N_("destination account %(number)s is %(status)s"),
    "receiving": N_("receiving account %(number)s is %(status)s"),
}
NOT_HOLDING = {
    "source": N_("source account %(number)s is a %(kind)s account, not a holding account"),
    "destination": N_("destination account %(number)s is a %(kind)s account, not a holding account"),
    "receiving": N_("receiving account %(number)s is a %(kind)s account, not a holding account"),
}


# The input each role's account comes from (``LedgerError.field``): the issuance's accounts come
# from the notified allocation.
FIELD_OF_ROLE = {"source": "from_account", "destination": "to_account", "receiving": "allocation"}


def _require_open(acct: AccountInfo, role: str) -> None:
    if acct.status is not AccountStatus.OPEN:
        raise AccountNotOpen(
            Message(NOT_OPEN[role], number=acct.number, status=acct.status.value), field=FIELD_OF_ROLE[role]
        )


def _require_holding(acct: AccountInfo, role: str) -> None:
    if not acct.kind.is_holding:
        raise WrongAccountKind(
            Message(NOT_HOLDING[role], number=acct.number, kind=acct.kind.value), field=FIELD_OF_ROLE[role]
        )


def _check_held(state: LedgerState, account: str, ranges: list[SerialRange]) -> list[Block]:
    """Blocks of ``account`` (status held) that exactly cover ``ranges``; refuse any gap."""
    touched: list[Block] = []
    for r in ranges:
        cursor = r.start
        for b in state.overlapping(r):
            if b.start > cursor:
                break
            if b.account != account or b.status is not BlockStatus.HELD:
                break
            touched.append(b)
            cursor = b.end + 1
            if cursor > r.end:
                break
        if cursor <= r.end:
            raise SerialsNotHeld(
                Message(
                    N_("serials %(cursor)s-%(end)s are not held in account %(account)s"),
                    cursor=cursor,
                    end=r.end,
                    account=account,
                ),
                field="ranges",
            )
    return list({b.start: b for b in touched}.values())


def _cover_all(state: LedgerState, ranges: list[SerialRange]) -> list[Block]:
    """Blocks (any account/status) covering ``ranges`` exactly; refuse serials never issued."""
    touched: list[Block] = []
    for r in ranges:
        cursor = r.start
        for b in state.overlapping(r):
            if b.start > cursor:
                break
            touched.append(b)
            cursor = b.end + 1
            if cursor > r.end:
                break
        if cursor <= r.end:
            raise SerialsNotHeld(
                Message(N_("serials %(cursor)s-%(end)s are not issued"), cursor=cursor, end=r.end), field="ranges"
            )
    return list({b.start: b for b in touched}.values())


def _rewrite(
    state: LedgerState, ranges: list[SerialRange], blocks: list[Block], change: Callable[[Block], Block]
) -> None:
    """Split ``blocks`` at the edges of ``ranges`` and apply ``change`` to the pieces inside.

    Balances follow the blocks. The lowest piece of every split block keeps the block's key.
    """
    for b in blocks:
        inside = [x for r in ranges if (x := b.range.intersection(r)) is not None]
        state._remove(b.start)
        if b.account is not None:
            state.balances[b.account] = state.balances.get(b.account, 0) - b.quantity
        cursor = b.start
        pieces: list[Block] = []
        for x in inside:
            if x.start > cursor:
                pieces.append(replace(b, start=cursor, end=x.start - 1))
            pieces.append(change(replace(b, start=x.start, end=x.end)))
            cursor = x.end + 1
        if cursor <= b.end:
            pieces.append(replace(b, start=cursor, end=b.end))
        for piece in pieces:
            state.load_block(piece)
            if piece.account is not None:
                state.balances[piece.account] = state.balances.get(piece.account, 0) + piece.quantity


def _first_transfer_ranges(blocks: list[Block], ranges: list[SerialRange], *, use: bool) -> list[SerialRange]:
    """Sub-ranges whose move is their Article 6 first transfer."""
    out: list[SerialRange] = []
    for b in blocks:
        if not b.a6.authorised or b.a6.first_transferred:
            continue
        trigger = b.a6.first_transfer_trigger
        if (use and trigger is FirstTransferTrigger.USE) or (
            not use and trigger is FirstTransferTrigger.INTERNATIONAL_TRANSFER
        ):
            out.extend(x for r in ranges if (x := b.range.intersection(r)) is not None)
    return normalise(out) if out else []


def _check_first_transferred(p: Payload, derived: list[SerialRange]) -> None:
    if "first_transferred" in p:
        stated = normalise(ranges_from_json(p["first_transferred"], field="first_transferred"))
        if stated != derived:
            raise Article6Error(
                Message(
                    N_("first_transferred %(stated)s does not match the blocks' state %(derived)s"),
                    stated=ranges_to_json(stated),
                    derived=ranges_to_json(derived),
                ),
                field="first_transferred",
            )


# --------------------------------------------------------------------------------------------------
# Which input a refusal is about

# Where a refusal code always concerns one input (else "": the interface decides, e.g. by matching
# the message against the values it was given).
FIELD_OF_CODE = {
    "insufficient_holdings": "quantity",
    "serials_not_held": "ranges",
    "serial_conflict": "ranges",
    "unauthorised_international_transfer": "ranges",
    "article6_error": "ranges",
    "idempotency_conflict": "idempotency_key",
    "notification_consumed": "notification",
    "notification_mismatch": "notification",
}


def refusal_field(exc: LedgerError) -> str:
    """The input ``exc`` is about, as the services name their arguments, or ``""`` if not known.

    ``exc.field`` when the core set it; else recovered from the message template (a refusal re-raised
    from SQL by the PostgreSQL fast path has the same template but no field); else by code."""
    if exc.field:
        return exc.field
    template = getattr(exc.message, "template", "")
    for role, text in (*NOT_OPEN.items(), *NOT_HOLDING.items()):
        if template == text:
            return FIELD_OF_ROLE[role]
    return FIELD_OF_CODE.get(exc.code, "")
