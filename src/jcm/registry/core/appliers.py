"""One applier per event kind, and ``apply``: validate the whole event, then change the state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from . import article6
from .article6 import FirstTransferTrigger
from .checks import (
    _check_first_transferred,
    _check_held,
    _cover_all,
    _first_transfer_ranges,
    _int,
    _ranges,
    _require_holding,
    _require_open,
    _rewrite,
    _str,
)
from .errors import (
    InvalidInput,
    NotificationConsumed,
    NotificationMismatch,
    SerialConflict,
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
from .serials import SerialRange
from .state import Event, LedgerState, Payload

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
    recorded_on = _str(p, "date", required=False)  # absent in entries written before it was kept
    blocks = _cover_all(state, ranges)
    for b in blocks:
        article6.add_corresponding_adjustment(b.a6, party=party, year=year, recorded_on=recorded_on)
    _rewrite(
        state,
        ranges,
        blocks,
        lambda b: replace(
            b, a6=article6.add_corresponding_adjustment(b.a6, party=party, year=year, recorded_on=recorded_on)
        ),
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
