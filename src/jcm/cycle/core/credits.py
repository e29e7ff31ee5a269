"""Credit quantities and allocation percentages (jcm-rules.md §2.5, §3.1, §3.2).

Quantities are whole tCO2e (``int``, never ``float`` or ``bool``). The chain of amounts for one
monitoring period is

    claimed (monitoring report) >= verified (TPE) >= requested (issuance request)
    >= notified to Japan + notified to the partner (JC decision) and, per side, issued == notified.

The exact rule for turning percentages into whole credits is the registry's
(``jcm.registry.core.allocation``); this module only checks the declared percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jcm.cycle.core.messages import N_, Message


class Side(StrEnum):
    JAPAN = "japan"
    PARTNER = "partner"


AMOUNT_WORDS = {"claimed": N_("claimed"), "verified": N_("verified"), "requested": N_("requested"),
                "already requested": N_("already requested"), "Japan's": N_("Japan's"), "partner's": N_("partner's")}


def _quantity_problem(name: str, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Message(N_("the %(name)s amount must be a whole number of tCO2e, got %(value)s"), name=Message(AMOUNT_WORDS[name]),
                       value=repr(value))
    if value < 0:
        return Message(N_("the %(name)s amount cannot be negative, got %(value)s"), name=Message(AMOUNT_WORDS[name]),
                       value=value)
    return None


def verification_refusal(*, claimed: int, verified: int) -> str | None:
    """Why a TPE cannot verify ``verified`` t against ``claimed`` t (the verified amount may be lower)."""
    for name, value in (("claimed", claimed), ("verified", verified)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    if verified > claimed:
        return Message(N_("the verified amount (%(verified)s t) exceeds the amount claimed in the monitoring report "
                          "(%(claimed)s t)"), verified=verified, claimed=claimed)
    return None


def issuance_request_refusal(*, verified: int, requested: int, already_requested: int = 0) -> str | None:
    """Why ``requested`` t cannot be asked for: issuance never exceeds the verified reductions.

    ``already_requested`` counts credits of the same verification already requested or issued.
    """
    for name, value in (("verified", verified), ("requested", requested), ("already requested", already_requested)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    if requested == 0:
        return Message(N_("an issuance request asks for at least 1 t"))
    if requested + already_requested > verified:
        return Message(
            N_("the requested amount (%(requested)s t) plus the amount already requested (%(already)s t) "
               "exceeds the verified reductions (%(verified)s t)"),
            requested=requested, already=already_requested, verified=verified)
    return None


def notification_refusal(*, verified: int, requested: int, japan: int, partner: int) -> str | None:
    """Why the JC cannot notify ``japan`` t and ``partner`` t: the total stays within the request and verification."""
    for name, value in (("verified", verified), ("requested", requested), ("Japan's", japan), ("partner's", partner)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    total = japan + partner
    if total == 0:
        return Message(N_("the JC notifies at least 1 t in total (reject the request instead)"))
    if total > requested:
        return Message(N_("the notified total (%(total)s t) exceeds the requested amount (%(requested)s t)"),
                       total=total, requested=requested)
    if total > verified:
        return Message(N_("the notified total (%(total)s t) exceeds the verified reductions (%(verified)s t)"),
                       total=total, verified=verified)
    return None


@dataclass(frozen=True, slots=True)
class AllocationShare:
    """One party's percentage: a participant (or a government) and the side whose registry holds it."""

    participant: str
    side: Side
    percent: Decimal


@dataclass(frozen=True, slots=True)
class CreditAllocation:
    shares: tuple[AllocationShare, ...]

    def total(self, side: Side | None = None) -> Decimal:
        return sum((s.percent for s in self.shares if side is None or s.side is side), Decimal(0))


HUNDRED = Decimal(100)


def allocation_problems(
    allocation: CreditAllocation,
    *,
    participants: Iterable[str] | None = None,
    requires_both_sides: bool = False,
) -> tuple[str, ...]:
    """Every reason the percentages cannot stand (empty if they can).

    Each participant appears once, with a side and a percentage in [0, 100] of at most two
    decimals; the percentages sum to exactly 100; with ``participants`` (the MoC's parties, the
    governments included) every share names one of them; with ``requires_both_sides`` both sides
    get a positive share.
    """
    problems: list[str] = []
    shares: Sequence[AllocationShare] = allocation.shares
    if not shares:
        return (Message(N_("the allocation names no participant")),)
    seen: set[str] = set()
    known = None if participants is None else set(participants)
    for share in shares:
        name = share.participant
        if not name.strip():
            problems.append(Message(N_("a share names no participant")))
        if name in seen:
            problems.append(Message(N_("%(name)s appears more than once in the allocation"), name=name))
        seen.add(name)
        if known is not None and name not in known:
            problems.append(Message(N_("%(name)s is not a party to the project's Modalities of Communication"),
                                    name=name))
        if not isinstance(share.percent, Decimal) or not share.percent.is_finite():
            problems.append(Message(N_("%(name)s's percentage must be a decimal number, got %(value)s"), name=name,
                                    value=repr(share.percent)))
            continue
        if share.percent < 0 or share.percent > HUNDRED:
            problems.append(Message(N_("%(name)s's percentage must be between 0 and 100, got %(value)s"), name=name,
                                    value=share.percent))
        exponent = share.percent.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and share.percent != share.percent.quantize(Decimal("0.01")):
            problems.append(Message(N_("%(name)s's percentage has more than two decimals (%(value)s)"), name=name,
                                    value=share.percent))
    if all(isinstance(s.percent, Decimal) and s.percent.is_finite() for s in shares):
        total = allocation.total()
        if total != HUNDRED:
            problems.append(Message(
                N_("the percentages sum to %(total)s (Japan's side %(japan)s, the partner's side %(partner)s), not 100"),
                total=total, japan=allocation.total(Side.JAPAN), partner=allocation.total(Side.PARTNER)))
        if requires_both_sides:
            for side in Side:
                if allocation.total(side) <= 0:
                    problems.append(Message(N_("the rule set requires a share for the %(side)s side"),
                                            side=side.value))
    return tuple(problems)
