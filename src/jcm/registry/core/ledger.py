"""The ledger as plain values: a state, events, and one ``apply`` that validates and applies them.

Every write of the registry is an *event* ``(kind, payload)`` whose payload is plain JSON (strings,
integers, booleans, lists, dicts; never floats). The same :func:`apply` is used

* by the pure :class:`~jcm.registry.core.book.Book` in unit tests,
* by the services, over a partial state holding only the locked rows they touch,
* by the verifier, replaying a journal (from the database or from a public export).

``apply`` validates the whole event before changing anything, so a refused event leaves the state
untouched. Splitting is deterministic: a block that loses part of its serials keeps its lowest
piece under its own key (its start serial); the other pieces become new blocks.

Event kinds and payloads (ranges are ``[[start, end], ...]``, inclusive, ascending)::

    registry.created   {registry, party, hosted}
    jc_notification    {notification, registry, decision, project, monitoring_period, vintage,
                        quantity, ...informational keys}
    account.opened     {account, registry, kind, holder}
    account.status     {account, status}
    issuance           {issuance, notification, registry, approach, first_transferring_party, project,
                        vintage, quantity, allocations: [{account, start, end}], ...informational keys}
    transfer           {from, to, ranges, date}
    international_transfer {from, to_registry, to, ranges, first_transferred, date}
    authorisation      {account, ranges, authorisation_id, date, purposes, first_transfer_trigger}
    corresponding_adjustment {ranges, party, year}
    cancellation       {from, to, ranges, reason, date, first_transferred}
    retirement         {from, to, ranges, purpose, ndc_party, beneficiary, retirement, date,
                        first_transferred}
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import article6
from .article6 import FirstTransferTrigger, Purpose
from .errors import (
    AccountNotOpen,
    Article6Error,
    InsufficientHoldings,
    InvalidInput,
    NotificationConsumed,
    NotificationMismatch,
    SerialConflict,
    SerialsNotHeld,
    UnauthorisedInternationalTransfer,
    UnknownObject,
    WrongAccountKind,
    WrongRegistry,
)
from .messages import N_, Message
from .model import (
    AccountInfo,
    AccountKind,
    AccountStatus,
    Block,
    BlockStatus,
    IssuanceInfo,
    NotificationInfo,
    RegistryInfo,
    RetirementPurpose,
)
from .serials import SerialRange, normalise, ranges_from_json, ranges_to_json

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    payload: Payload


# --------------------------------------------------------------------------------------------------
# State


@dataclass
class LedgerState:
    """Registries, accounts, issuances, blocks (keyed by start serial) and balances.

    A state may be *partial* (a service loads only the rows it locked); ``apply`` then sees only
    those rows, which is enough because every event names the accounts and serials it touches.
    """

    registries: dict[str, RegistryInfo] = field(default_factory=dict)
    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    issuances: dict[str, IssuanceInfo] = field(default_factory=dict)
    notifications: dict[str, NotificationInfo] = field(default_factory=dict)
    balances: dict[str, int] = field(default_factory=dict)
    next_serial: int = 1
    _blocks: dict[int, Block] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _by_account: dict[str, set[int]] = field(default_factory=dict)

    # -- blocks --------------------------------------------------------------------------------
    @property
    def blocks(self) -> Mapping[int, Block]:
        return self._blocks

    def sorted_blocks(self) -> list[Block]:
        return [self._blocks[s] for s in self._starts]

    def load_block(self, block: Block) -> None:
        """Add a block as it is stored (no balance change)."""
        if block.start in self._blocks:
            raise InvalidInput(Message(N_("block starting at %(start)s loaded twice"), start=block.start))
        self._blocks[block.start] = block
        bisect.insort(self._starts, block.start)
        if block.account is not None:
            self._by_account.setdefault(block.account, set()).add(block.start)

    def _remove(self, start: int) -> Block:
        block = self._blocks.pop(start)
        i = bisect.bisect_left(self._starts, start)
        del self._starts[i]
        if block.account is not None:
            self._by_account[block.account].discard(start)
        return block

    def overlapping(self, r: SerialRange) -> list[Block]:
        """Blocks sharing at least one serial with ``r``, ascending."""
        i = bisect.bisect_right(self._starts, r.start) - 1
        i = max(i, 0)
        out = []
        while i < len(self._starts) and self._starts[i] <= r.end:
            b = self._blocks[self._starts[i]]
            if b.end >= r.start:
                out.append(b)
            i += 1
        return out

    def account_blocks(self, account: str) -> list[Block]:
        return [self._blocks[s] for s in sorted(self._by_account.get(account, ()))]

    def block_at(self, serial: int) -> Block | None:
        i = bisect.bisect_right(self._starts, serial) - 1
        if i < 0:
            return None
        b = self._blocks[self._starts[i]]
        return b if b.end >= serial else None

    # -- lookups -------------------------------------------------------------------------------
    def account(self, number: object) -> AccountInfo:
        if not isinstance(number, str) or number not in self.accounts:
            raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(number)))
        return self.accounts[number]

    def registry(self, code: object) -> RegistryInfo:
        if not isinstance(code, str) or code not in self.registries:
            raise UnknownObject(Message(N_("registry %(code)s does not exist"), code=repr(code)))
        return self.registries[code]


# --------------------------------------------------------------------------------------------------
# Payload field readers (journal content may be hostile: check every type)


def _str(p: Payload, key: str, *, required: bool = True) -> str:
    v = p.get(key, "")
    if not isinstance(v, str) or (required and not v):
        raise InvalidInput(Message(N_("%(key)s must be a non-empty string"), key=key))
    return v


def _int(p: Payload, key: str) -> int:
    v = p.get(key)
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidInput(Message(N_("%(key)s must be an integer"), key=key))
    return v


def _ranges(p: Payload, key: str = "ranges") -> list[SerialRange]:
    rs = normalise(ranges_from_json(p.get(key, []), field=key))
    if key == "ranges" and not rs:
        raise InvalidInput(N_("no serials given"))
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


def _require_open(acct: AccountInfo, role: str) -> None:
    if acct.status is not AccountStatus.OPEN:
        raise AccountNotOpen(Message(NOT_OPEN[role], number=acct.number, status=acct.status.value))


def _require_holding(acct: AccountInfo, role: str) -> None:
    if not acct.kind.is_holding:
        raise WrongAccountKind(Message(NOT_HOLDING[role], number=acct.number, kind=acct.kind.value))


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
                )
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
            raise SerialsNotHeld(Message(N_("serials %(cursor)s-%(end)s are not issued"), cursor=cursor, end=r.end))
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
                )
            )


# --------------------------------------------------------------------------------------------------
# Appliers


def _registry_created(state: LedgerState, p: Payload) -> None:
    code, party = _str(p, "registry"), _str(p, "party")
    if code in state.registries:
        raise InvalidInput(Message(N_("registry %(code)s already exists"), code=code))
    hosted = p.get("hosted", True)
    if not isinstance(hosted, bool):
        raise InvalidInput(N_("hosted must be true or false"))
    state.registries[code] = RegistryInfo(code, party, hosted)


def _account_opened(state: LedgerState, p: Payload) -> None:
    number = _str(p, "account")
    reg = state.registry(p.get("registry"))
    if not reg.hosted:
        raise WrongRegistry(Message(N_("registry %(code)s is not hosted on this system"), code=reg.code))
    if number in state.accounts:
        raise InvalidInput(Message(N_("account %(number)s already exists"), number=number))
    try:
        kind = AccountKind(_str(p, "kind"))
    except ValueError as exc:
        raise InvalidInput(Message(N_("unknown account kind %(kind)s"), kind=repr(p.get("kind")))) from exc
    state.accounts[number] = AccountInfo(number, reg.code, kind, AccountStatus.OPEN, _str(p, "holder", required=False))
    state.balances.setdefault(number, 0)


_STATUS_MOVES = {
    (AccountStatus.OPEN, AccountStatus.SUSPENDED),
    (AccountStatus.SUSPENDED, AccountStatus.OPEN),
    (AccountStatus.OPEN, AccountStatus.CLOSED),
    (AccountStatus.SUSPENDED, AccountStatus.CLOSED),
}


def _account_status(state: LedgerState, p: Payload) -> None:
    acct = state.account(p.get("account"))
    try:
        status = AccountStatus(_str(p, "status"))
    except ValueError as exc:
        raise InvalidInput(Message(N_("unknown account status %(status)s"), status=repr(p.get("status")))) from exc
    if (acct.status, status) not in _STATUS_MOVES:
        raise InvalidInput(
            Message(
                N_("account %(number)s cannot go from %(status)s to %(value)s"),
                number=acct.number,
                status=acct.status.value,
                value=status.value,
            )
        )
    if status is AccountStatus.CLOSED and acct.kind.is_holding and state.balances.get(acct.number, 0):
        raise InvalidInput(
            Message(
                N_("account %(number)s still holds %(balances)s credits"),
                number=acct.number,
                balances=state.balances[acct.number],
            )
        )
    state.accounts[acct.number] = replace(acct, status=status)


def _jc_notification(state: LedgerState, p: Payload) -> None:
    ref = _str(p, "notification")
    if ref in state.notifications:
        raise InvalidInput(Message(N_("JC notification %(notification)s already recorded"), notification=ref))
    reg = state.registry(p.get("registry"))
    if not reg.hosted:
        raise WrongRegistry(Message(N_("registry %(code)s is not hosted on this system"), code=reg.code))
    quantity, vintage = _int(p, "quantity"), _int(p, "vintage")
    if quantity < 1:
        raise InvalidInput(N_("the notified quantity must be at least 1"))
    state.notifications[ref] = NotificationInfo(
        ref, reg.code, _str(p, "decision"), _str(p, "project"), vintage, quantity
    )


def _check_notification(
    state: LedgerState, p: Payload, *, registry: str, project: str, vintage: int, quantity: int
) -> NotificationInfo:
    """The open notification of ``registry`` that this issuance executes, exactly."""
    ref = _str(p, "notification")
    n = state.notifications.get(ref)
    if n is None:
        raise UnknownObject(Message(N_("JC notification %(notification)s does not exist"), notification=repr(ref)))
    if n.registry != registry:
        raise WrongRegistry(
            Message(
                N_("JC notification %(notification)s is addressed to registry %(addressee)s, not %(registry)s"),
                notification=ref,
                addressee=n.registry,
                registry=registry,
            )
        )
    if n.issuance:
        raise NotificationConsumed(
            Message(
                N_("JC notification %(notification)s was already executed by issuance %(issuance)s"),
                notification=ref,
                issuance=n.issuance,
            )
        )
    if (n.project, n.vintage, n.quantity) != (project, vintage, quantity):
        raise NotificationMismatch(
            Message(
                N_(
                    "JC notification %(ref)s notifies %(quantity)s credits of %(project)s vintage %(vintage)s, not %(quantity2)s of %(project2)s vintage %(vintage2)s"
                ),
                ref=ref,
                quantity=n.quantity,
                project=n.project,
                vintage=n.vintage,
                quantity2=quantity,
                project2=project,
                vintage2=vintage,
            )
        )
    return n


def _issuance(state: LedgerState, p: Payload) -> None:
    issuance = _str(p, "issuance")
    if issuance in state.issuances:
        raise InvalidInput(Message(N_("issuance %(issuance)s already recorded"), issuance=issuance))
    reg = state.registry(p.get("registry"))
    quantity = _int(p, "quantity")
    vintage = _int(p, "vintage")
    if quantity < 1:
        raise InvalidInput(N_("issuance quantity must be at least 1"))
    notice = _check_notification(
        state, p, registry=reg.code, project=_str(p, "project"), vintage=vintage, quantity=quantity
    )
    allocations = p.get("allocations")
    if not isinstance(allocations, list) or not allocations:
        raise InvalidInput(N_("allocations must be a non-empty list"))
    parsed: list[tuple[AccountInfo, SerialRange]] = []
    expected = None
    for a in allocations:
        if not isinstance(a, dict):
            raise InvalidInput(N_("each allocation is {account, start, end}"))
        acct = state.account(a.get("account"))
        if acct.registry != reg.code:
            raise WrongRegistry(
                Message(
                    N_("account %(number)s is in registry %(registry)s, not %(code)s"),
                    number=acct.number,
                    registry=acct.registry,
                    code=reg.code,
                )
            )
        _require_holding(acct, "receiving")
        _require_open(acct, "receiving")
        r = SerialRange(_int(a, "start"), _int(a, "end"))
        if expected is not None and r.start != expected:
            raise InvalidInput(N_("allocation ranges must be consecutive"))
        expected = r.end + 1
        parsed.append((acct, r))
    serials = SerialRange(parsed[0][1].start, parsed[-1][1].end)
    if serials.quantity != quantity:
        raise InvalidInput(
            Message(
                N_("allocations add up to %(quantity)s, not the quantity %(quantity2)s"),
                quantity=serials.quantity,
                quantity2=quantity,
            )
        )
    if serials.start < state.next_serial:
        raise SerialConflict(
            Message(
                N_("serials %(serials)s were already issued (next free serial is %(next_serial)s)"),
                serials=serials,
                next_serial=state.next_serial,
            )
        )
    info = IssuanceInfo(
        issuance=issuance,
        registry=reg.code,
        approach=_str(p, "approach"),
        first_transferring_party=_str(p, "first_transferring_party"),
        project=_str(p, "project"),
        vintage=vintage,
        serials=serials,
    )
    state.issuances[issuance] = info
    state.notifications[notice.notification] = replace(notice, issuance=issuance)
    for acct, r in parsed:
        state.load_block(Block(r.start, r.end, issuance, vintage, reg.code, acct.number, BlockStatus.HELD))
        state.balances[acct.number] = state.balances.get(acct.number, 0) + r.quantity
    state.next_serial = serials.end + 1


def _transfer(state: LedgerState, p: Payload) -> None:
    src, dst = state.account(p.get("from")), state.account(p.get("to"))
    if src.registry != dst.registry:
        raise WrongRegistry(
            Message(
                N_(
                    "accounts %(number)s (%(registry)s) and %(number2)s (%(registry2)s) are in different registries; use an international transfer"
                ),
                number=src.number,
                registry=src.registry,
                number2=dst.number,
                registry2=dst.registry,
            )
        )
    if src.number == dst.number:
        raise InvalidInput(N_("source and destination accounts are the same"))
    _require_holding(src, "source")
    _require_holding(dst, "destination")
    _require_open(src, "source")
    _require_open(dst, "destination")
    ranges = _ranges(p)
    blocks = _check_held(state, src.number, ranges)
    _rewrite(state, ranges, blocks, lambda b: replace(b, account=dst.number))


def _international_transfer(state: LedgerState, p: Payload) -> None:
    src = state.account(p.get("from"))
    to_reg = state.registry(p.get("to_registry"))
    if to_reg.code == src.registry:
        raise WrongRegistry(
            Message(
                N_("account %(number)s is already in registry %(code)s; use a transfer"),
                number=src.number,
                code=to_reg.code,
            )
        )
    _require_holding(src, "source")
    _require_open(src, "source")
    to = _str(p, "to")
    dst: AccountInfo | None = None
    if to_reg.hosted:
        dst = state.account(to)
        if dst.registry != to_reg.code:
            raise WrongRegistry(
                Message(N_("account %(number)s is not in registry %(code)s"), number=dst.number, code=to_reg.code)
            )
        _require_holding(dst, "destination")
        _require_open(dst, "destination")
    ranges = _ranges(p)
    date = _str(p, "date")
    blocks = _check_held(state, src.number, ranges)
    for b in blocks:
        if not b.a6.authorised:
            piece = next(x for r in ranges if (x := b.range.intersection(r)) is not None)
            raise UnauthorisedInternationalTransfer(
                Message(N_("serials %(piece)s are not authorised under Article 6"), piece=piece)
            )
    _check_first_transferred(p, _first_transfer_ranges(blocks, ranges, use=False))

    def move(b: Block) -> Block:
        a6 = b.a6
        if a6.first_transfer_trigger is FirstTransferTrigger.INTERNATIONAL_TRANSFER:
            a6 = article6.first_transfer(a6, date=date)
        if dst is None:
            return replace(b, account=None, status=BlockStatus.EXPORTED, a6=a6)
        return replace(b, account=dst.number, a6=a6)

    _rewrite(state, ranges, blocks, move)


def _authorisation(state: LedgerState, p: Payload) -> None:
    acct = state.account(p.get("account"))
    ranges = _ranges(p)
    purposes = article6.parse_purposes(p.get("purposes"))
    try:
        trigger = FirstTransferTrigger(p.get("first_transfer_trigger", FirstTransferTrigger.INTERNATIONAL_TRANSFER))
    except ValueError as exc:
        raise InvalidInput(
            Message(
                N_("unknown first_transfer_trigger %(first_transfer_trigger)s"),
                first_transfer_trigger=repr(p.get("first_transfer_trigger")),
            )
        ) from exc
    auth_id, date = _str(p, "authorisation_id"), _str(p, "date")
    blocks = _check_held(state, acct.number, ranges)
    for b in blocks:
        if b.registry != acct.registry:
            raise WrongRegistry(
                Message(
                    N_("serials %(range)s originate in registry %(registry)s, not %(registry2)s"),
                    range=b.range,
                    registry=b.registry,
                    registry2=acct.registry,
                )
            )
        article6.authorise(b.a6, authorisation_id=auth_id, date=date, purposes=purposes, trigger=trigger)
    _rewrite(
        state,
        ranges,
        blocks,
        lambda b: replace(
            b,
            a6=article6.authorise(b.a6, authorisation_id=auth_id, date=date, purposes=purposes, trigger=trigger),
        ),
    )


def _corresponding_adjustment(state: LedgerState, p: Payload) -> None:
    ranges = _ranges(p)
    party, year = _str(p, "party"), _int(p, "year")
    blocks = _cover_all(state, ranges)
    for b in blocks:
        article6.add_corresponding_adjustment(b.a6, party=party, year=year)
    _rewrite(
        state,
        ranges,
        blocks,
        lambda b: replace(b, a6=article6.add_corresponding_adjustment(b.a6, party=party, year=year)),
    )


def _end_state(state: LedgerState, p: Payload, kind: AccountKind, status: BlockStatus) -> None:
    src, dst = state.account(p.get("from")), state.account(p.get("to"))
    if src.registry != dst.registry:
        raise WrongRegistry(
            Message(N_("account %(number)s is not in registry %(code)s"), number=dst.number, code=src.registry)
        )
    _require_holding(src, "source")
    _require_open(src, "source")
    if dst.kind is not kind:
        raise WrongAccountKind(
            Message(
                N_("account %(number)s is a %(kind)s account, not a %(value)s account"),
                number=dst.number,
                kind=dst.kind.value,
                value=kind.value,
            )
        )
    _require_open(dst, "destination")
    ranges = _ranges(p)
    date = _str(p, "date")
    blocks = _check_held(state, src.number, ranges)
    _check_first_transferred(p, _first_transfer_ranges(blocks, ranges, use=True))
    _rewrite(
        state,
        ranges,
        blocks,
        lambda b: replace(b, account=dst.number, status=status, a6=article6.on_use(b.a6, date=date)),
    )


def _cancellation(state: LedgerState, p: Payload) -> None:
    _str(p, "reason")
    _end_state(state, p, AccountKind.CANCELLATION, BlockStatus.CANCELLED)


def _retirement(state: LedgerState, p: Payload) -> None:
    try:
        purpose = RetirementPurpose(_str(p, "purpose"))
    except ValueError as exc:
        raise InvalidInput(
            Message(N_("unknown retirement purpose %(purpose)s"), purpose=repr(p.get("purpose")))
        ) from exc
    if purpose is RetirementPurpose.NDC:
        _str(p, "ndc_party")
    _str(p, "beneficiary")
    _str(p, "retirement")
    _end_state(state, p, AccountKind.RETIREMENT, BlockStatus.RETIRED)


APPLIERS: dict[str, Callable[[LedgerState, Payload], None]] = {
    "registry.created": _registry_created,
    "account.opened": _account_opened,
    "account.status": _account_status,
    "jc_notification": _jc_notification,
    "issuance": _issuance,
    "transfer": _transfer,
    "international_transfer": _international_transfer,
    "authorisation": _authorisation,
    "corresponding_adjustment": _corresponding_adjustment,
    "cancellation": _cancellation,
    "retirement": _retirement,
}

# Kinds that move serials between places (used by history queries).
MOVEMENT_KINDS = frozenset({"issuance", "transfer", "international_transfer", "cancellation", "retirement"})


def apply(state: LedgerState, event: Event) -> None:
    """Validate ``event`` against ``state`` and apply it.

    Raises a LedgerError, changing nothing, if the event is refused.
    """
    applier = APPLIERS.get(event.kind)
    if applier is None:
        raise InvalidInput(Message(N_("unknown event kind %(kind)s"), kind=repr(event.kind)))
    if not isinstance(event.payload, dict):
        raise InvalidInput(N_("event payload must be an object"))
    applier(state, event.payload)


# --------------------------------------------------------------------------------------------------
# Builders: resolve a request into an event


def select_oldest_first(state: LedgerState, account: str, quantity: int) -> list[SerialRange]:
    """The ``quantity`` held serials of ``account`` with the oldest vintage, lowest serial first."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(
            Message(N_("quantity must be a positive integer, got %(quantity)s"), quantity=repr(quantity))
        )
    held = [b for b in state.account_blocks(account) if b.status is BlockStatus.HELD]
    held.sort(key=lambda b: (b.vintage, b.start))
    available = sum(b.quantity for b in held)
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
    for b in held:
        take = min(left, b.quantity)
        out.append(b.range.head(take))
        left -= take
        if not left:
            break
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


__all__ = [
    "APPLIERS",
    "MOVEMENT_KINDS",
    "Event",
    "LedgerState",
    "Payload",
    "Purpose",
    "apply",
    "end_state_event",
    "international_transfer_event",
    "issuance_event",
    "resolve_ranges",
    "select_oldest_first",
]
