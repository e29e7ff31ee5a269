"""Credit allocation: split an integer quantity among parties by percentage, in whole credits.

Shares are integers in **basis points** (1/100 of a percent; 10000 = 100 %), so 67.5 % is 6750.
Nothing here uses floats: every party's exact quota is ``quantity * share / 10000``, kept as an
integer quotient and remainder.

Two rules (``AllocationRule``), both deterministic:

``largest_remainder`` (default)
    Every party first gets the floor of its quota. The credits left over (fewer than the number of
    parties) go one each to the parties with the largest fractional remainders. Ties are broken by
    the order in which the parties are declared (the order of the Percentage of Credit Allocation
    form): the party declared first wins.

``remainder_to_designated``
    Every party gets the floor of its quota; all left-over credits go to one designated party
    (e.g. the Government of Japan, as the Bangladesh issuances suggest).

Example from the reference (first JCM issuance, Indonesia, May 2016): 40 credits went GoJ 27,
Mayekawa 4, Indonesian side 9. The reference does not print the percentages; 67.5 % / 10 % / 22.5 %
reproduce it exactly under both rules, and so do the rounder 67 % / 10 % / 23 %
(quotas 26.8 / 4 / 9.2: floors 26 / 4 / 9, the one left-over credit goes to the largest remainder,
GoJ's 0.8, or to GoJ as the designated party).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidInput
from .messages import N_, Message

FULL_SHARE = 10_000  # basis points in 100 %


class AllocationRule(StrEnum):
    LARGEST_REMAINDER = "largest_remainder"
    REMAINDER_TO_DESIGNATED = "remainder_to_designated"


@dataclass(frozen=True, slots=True)
class Share:
    """One party's declared share, in basis points."""

    party: str
    basis_points: int


def parse_rule(value: object, *, source: str = "rule") -> AllocationRule:
    """``value`` as an AllocationRule; InvalidInput on ``rule`` naming where it came from otherwise."""
    try:
        return AllocationRule(str(value).strip())
    except ValueError:
        raise InvalidInput(
            Message(
                N_("%(source)s %(value)s is not an allocation rule (largest_remainder or remainder_to_designated)"),
                source=source,
                value=repr(value),
            ),
            field="rule",
        ) from None


def percent_to_basis_points(text: str) -> int:
    """Parse a percentage written in decimal ("67.5", "10", "22.50") exactly into basis points."""
    s = text.strip().removesuffix("%").strip()
    whole, _, frac = s.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        raise InvalidInput(Message(N_("percentage %(text)s is not a decimal number"), text=repr(text)), field="allocation")
    frac = frac.rstrip("0")
    if len(frac) > 2:
        raise InvalidInput(
            Message(N_("percentage %(text)s has more than two decimal places"), text=repr(text)), field="allocation"
        )
    return int(whole) * 100 + int(frac.ljust(2, "0") or "0")


def allocate(
    quantity: int,
    shares: Sequence[Share],
    *,
    rule: AllocationRule = AllocationRule.LARGEST_REMAINDER,
    designated: str | None = None,
) -> list[tuple[str, int]]:
    """Resolve ``shares`` of ``quantity`` to whole credits, in declared order.

    Raises InvalidInput if the quantity is negative, shares do not sum to 100 %, a party appears
    twice, or the designated party is missing for ``remainder_to_designated``.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise InvalidInput(
            Message(N_("quantity must be a non-negative integer, got %(quantity)s"), quantity=repr(quantity)),
            field="quantity",
        )
    if not shares:
        raise InvalidInput(N_("allocation has no parties"), field="allocation")
    parties = [s.party for s in shares]
    if len(set(parties)) != len(parties):
        raise InvalidInput(N_("allocation names a party twice"), field="allocation")
    for s in shares:
        if isinstance(s.basis_points, bool) or not isinstance(s.basis_points, int) or s.basis_points < 0:
            raise InvalidInput(
                Message(N_("share of %(party)s must be a non-negative integer of basis points"), party=s.party),
                field="allocation",
            )
    if sum(s.basis_points for s in shares) != FULL_SHARE:
        raise InvalidInput(
            Message(
                N_("allocation shares sum to %(sum)s basis points, not %(FULL_SHARE)s"),
                sum=sum(s.basis_points for s in shares),
                FULL_SHARE=FULL_SHARE,
            ),
            field="allocation",
        )
    floors = [quantity * s.basis_points // FULL_SHARE for s in shares]
    remainders = [quantity * s.basis_points % FULL_SHARE for s in shares]
    left = quantity - sum(floors)
    if rule is AllocationRule.REMAINDER_TO_DESIGNATED:
        if designated not in parties:
            raise InvalidInput(
                Message(N_("designated party %(designated)s is not in the allocation"), designated=repr(designated)),
                field="designated",
            )
        floors[parties.index(designated)] += left
    elif rule is AllocationRule.LARGEST_REMAINDER:
        # Largest remainder first; among equals, the party declared first.
        order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
        for i in order[:left]:
            floors[i] += 1
    else:  # pragma: no cover - exhaustive enum
        raise InvalidInput(Message(N_("unknown allocation rule %(rule)s"), rule=repr(rule)))
    return list(zip(parties, floors, strict=True))
