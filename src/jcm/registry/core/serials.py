"""Integer serial ranges.

A range is **inclusive on both ends**: ``SerialRange(1, 40)`` is the forty serials 1, 2, ..., 40
and its quantity is ``end - start + 1``. Inclusive ranges are what registries print ("serials 1-40")
and what the Article 6 unique identifier carries (first and last serial), so the code uses them too.

Splitting is deterministic: taking ``[a, b]`` out of ``[s, e]`` yields the pieces
``[s, a-1]``, ``[a, b]``, ``[b+1, e]`` (empty pieces dropped), always in ascending serial order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .errors import InvalidInput
from .messages import N_, Message


def _require_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(Message(N_("%(name)s must be an integer, got %(value)s"), name=name, value=repr(value)))
    return value


@dataclass(frozen=True, slots=True, order=True)
class SerialRange:
    """Serials ``start`` to ``end``, both included; ``1 <= start <= end``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        _require_int("start", self.start)
        _require_int("end", self.end)
        if self.start < 1:
            raise InvalidInput(Message(N_("serial start must be >= 1, got %(start)s"), start=self.start))
        if self.end < self.start:
            raise InvalidInput(
                Message(
                    N_("serial range %(start)s-%(end)s is empty (end before start)"), start=self.start, end=self.end
                )
            )

    @property
    def quantity(self) -> int:
        return self.end - self.start + 1

    def contains(self, serial: int) -> bool:
        return self.start <= serial <= self.end

    def covers(self, other: SerialRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: SerialRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: SerialRange) -> SerialRange | None:
        lo, hi = max(self.start, other.start), min(self.end, other.end)
        return SerialRange(lo, hi) if lo <= hi else None

    def split(self, take: SerialRange) -> tuple[SerialRange | None, SerialRange, SerialRange | None]:
        """Cut ``take`` (which must lie inside self) out: ``(before, take, after)``."""
        if not self.covers(take):
            raise InvalidInput(Message(N_("range %(take)s is not inside %(self)s"), take=take, self=self))
        before = SerialRange(self.start, take.start - 1) if take.start > self.start else None
        after = SerialRange(take.end + 1, self.end) if take.end < self.end else None
        return before, take, after

    def head(self, quantity: int) -> SerialRange:
        """The ``quantity`` lowest serials of this range."""
        _require_int("quantity", quantity)
        if not 1 <= quantity <= self.quantity:
            raise InvalidInput(
                Message(N_("cannot take %(quantity)s serials from %(self)s"), quantity=quantity, self=self)
            )
        return SerialRange(self.start, self.start + quantity - 1)

    def as_list(self) -> list[int]:
        return [self.start, self.end]

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


def total(ranges: Iterable[SerialRange]) -> int:
    return sum(r.quantity for r in ranges)


def normalise(ranges: Iterable[SerialRange]) -> list[SerialRange]:
    """Sort ascending and refuse overlaps; adjacent ranges are merged."""
    ordered = sorted(ranges)
    out: list[SerialRange] = []
    for r in ordered:
        if out and out[-1].overlaps(r):
            raise InvalidInput(Message(N_("serial ranges %(out)s and %(r)s overlap"), out=out[-1], r=r))
        if out and out[-1].end + 1 == r.start:
            out[-1] = SerialRange(out[-1].start, r.end)
        else:
            out.append(r)
    return out


def first_overlap(ranges: Sequence[SerialRange]) -> tuple[SerialRange, SerialRange] | None:
    """The first pair (in ascending order) of overlapping ranges, or None."""
    ordered = sorted(ranges)
    for a, b in pairwise(ordered):
        if a.overlaps(b):
            return a, b
    return None


def ranges_from_json(value: object, *, field: str = "ranges") -> list[SerialRange]:
    """Parse ``[[start, end], ...]`` as found in journal payloads."""
    if not isinstance(value, list):
        raise InvalidInput(Message(N_("%(field)s must be a list of [start, end] pairs"), field=field))
    out = []
    for item in value:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise InvalidInput(
                Message(N_("%(field)s: %(item)s is not a [start, end] pair"), field=field, item=repr(item))
            )
        out.append(SerialRange(_require_int(f"{field} start", item[0]), _require_int(f"{field} end", item[1])))
    return out


def ranges_to_json(ranges: Iterable[SerialRange]) -> list[list[int]]:
    return [r.as_list() for r in ranges]


def covering(value: object, serial: int) -> SerialRange | None:
    """The range of ``value`` (``[[start, end], ...]`` as found in journal payloads) that holds
    ``serial``, or None (also when ``value`` is not such a list: a reader, never a check)."""
    if not isinstance(value, list):
        return None
    for item in value:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in item)
            and 1 <= item[0] <= serial <= item[1]
        ):
            return SerialRange(item[0], item[1])
    return None
