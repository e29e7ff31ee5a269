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


class Side(StrEnum):
    JAPAN = "japan"
    PARTNER = "partner"


def _quantity_problem(name: str, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"the {name} amount must be a whole number of tCO2e, got {value!r}"
    if value < 0:
        return f"the {name} amount cannot be negative, got {value}"
    return None


def verification_refusal(*, claimed: int, verified: int) -> str | None:
    """Why a TPE cannot verify ``verified`` t against ``claimed`` t (the verified amount may be lower)."""
    for name, value in (("claimed", claimed), ("verified", verified)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    if verified > claimed:
        return f"the verified amount ({verified} t) exceeds the amount claimed in the monitoring report ({claimed} t)"
    return None


def issuance_request_refusal(*, verified: int, requested: int, already_requested: int = 0) -> str | None:
    """Why ``requested`` t cannot be asked for: issuance never exceeds the verified reductions.

    ``already_requested`` counts credits of the same verification already requested or issued.
    """
    for name, value in (("verified", verified), ("requested", requested), ("already requested", already_requested)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    if requested == 0:
        return "an issuance request asks for at least 1 t"
    if requested + already_requested > verified:
        return (
            f"the requested amount ({requested} t) plus the amount already requested ({already_requested} t) "
            f"exceeds the verified reductions ({verified} t)"
        )
    return None


def notification_refusal(*, verified: int, requested: int, japan: int, partner: int) -> str | None:
    """Why the JC cannot notify ``japan`` t and ``partner`` t: the total stays within the request and verification."""
    for name, value in (("verified", verified), ("requested", requested), ("Japan's", japan), ("partner's", partner)):
        if (problem := _quantity_problem(name, value)) is not None:
            return problem
    total = japan + partner
    if total == 0:
        return "the JC notifies at least 1 t in total (reject the request instead)"
    if total > requested:
        return f"the notified total ({total} t) exceeds the requested amount ({requested} t)"
    if total > verified:
        return f"the notified total ({total} t) exceeds the verified reductions ({verified} t)"
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
        return ("the allocation names no participant",)
    seen: set[str] = set()
    known = None if participants is None else set(participants)
    for share in shares:
        name = share.participant
        if not name.strip():
            problems.append("a share names no participant")
        if name in seen:
            problems.append(f"{name} appears more than once in the allocation")
        seen.add(name)
        if known is not None and name not in known:
            problems.append(f"{name} is not a party to the project's Modalities of Communication")
        if not isinstance(share.percent, Decimal) or not share.percent.is_finite():
            problems.append(f"{name}'s percentage must be a decimal number, got {share.percent!r}")
            continue
        if share.percent < 0 or share.percent > HUNDRED:
            problems.append(f"{name}'s percentage must be between 0 and 100, got {share.percent}")
        exponent = share.percent.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and share.percent != share.percent.quantize(Decimal("0.01")):
            problems.append(f"{name}'s percentage has more than two decimals ({share.percent})")
    if all(isinstance(s.percent, Decimal) and s.percent.is_finite() for s in shares):
        total = allocation.total()
        if total != HUNDRED:
            problems.append(
                f"the percentages sum to {total} (Japan's side {allocation.total(Side.JAPAN)}, "
                f"the partner's side {allocation.total(Side.PARTNER)}), not 100"
            )
        if requires_both_sides:
            for side in Side:
                if allocation.total(side) <= 0:
                    problems.append(f"the rule set requires a share for the {side.value} side")
    return tuple(problems)
