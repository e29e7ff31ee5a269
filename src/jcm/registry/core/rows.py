"""What the stored transaction and movement rows of a journal entry must be (pure; the database side
is ``jcm.registry.integrity.rows_against_journal``).

The services write, next to each entry of a kind that moves credits (``MOVEMENT_KINDS``), one
transaction row (``services._move``; ``services.issuance.issue``) and its movement rows
(``services._common._movements``): one per contiguous run of one issuance's serials, in serial order.
An issuance's serials are one contiguous range (its allocations are consecutive: ``appliers._issuance``),
so the runs follow from the entry's ranges and the issuances' serial ranges alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .appliers import MOVEMENT_KINDS
from .errors import LedgerError
from .serials import SerialRange
from .state import Payload


@dataclass(frozen=True, slots=True)
class TransactionRow:
    """A transaction row as plain values: accounts by number, registries by code (None: not set)."""

    kind: str
    registry: str | None
    from_account: str | None
    to_account: str | None
    to_registry: str | None
    quantity: int
    ranges: object  # as stored: ``[[start, end], ...]``


@dataclass(frozen=True, slots=True, order=True)
class Run:
    """One movement row: serials ``start``-``end`` of issuance ``issuance`` (its reference)."""

    start: int
    end: int
    issuance: str | None  # None: serials of no issuance

    def __str__(self) -> str:
        return f"serials {self.start}-{self.end} of issuance {self.issuance}"


FIELDS = ("kind", "registry", "from_account", "to_account", "to_registry", "quantity", "ranges")


def expected_transaction(
    kind: str, payload: Payload, *, account_registry: Callable[[str], str | None], hosted: Callable[[str], bool]
) -> TransactionRow | None:
    """The transaction row the services write for an entry of ``kind`` (None: a kind that moves no
    credits and has no transaction row). ``account_registry`` gives an account's registry code,
    ``hosted`` whether a registry is hosted here. Assumes an entry that replays (verified first)."""
    if kind not in MOVEMENT_KINDS:
        return None
    if kind == "issuance":
        allocations = payload["allocations"]
        ranges = [[allocations[0]["start"], allocations[-1]["end"]]]
        return TransactionRow(kind, payload["registry"], None, None, None, payload["quantity"], ranges)
    ranges = payload["ranges"]
    quantity = sum(end - start + 1 for start, end in ranges)
    src = payload["from"]
    to: str | None = payload["to"]
    to_registry: str | None = None
    if kind == "international_transfer":
        to_registry = payload["to_registry"]
        # Credits sent to a registry hosted elsewhere leave: ``to`` names an account there, not here.
        if not hosted(payload["to_registry"]):
            to = None
    return TransactionRow(kind, account_registry(src), src, to, to_registry, quantity, ranges)


def differences(stored: TransactionRow, expected: TransactionRow) -> list[str]:
    """``field X, but its journal entry says Y`` for each field of ``stored`` that differs."""
    out = []
    for name in FIELDS:
        mine, theirs = getattr(stored, name), getattr(expected, name)
        if mine != theirs:
            out.append(f"{name.replace('_', ' ')} {_show(mine)}, but its journal entry says {_show(theirs)}")
    return out


def _show(value: object) -> str:
    return "(none)" if value is None else str(value)


class Issuances:
    """The issuances' serial ranges, for finding which issuance each serial belongs to."""

    def __init__(self, serials: Sequence[tuple[int, int, str]]) -> None:
        ordered = sorted(serials)
        self._starts = [s for s, _, _ in ordered]
        self._rows = ordered

    def runs(self, ranges: object) -> list[Run]:
        """The movement rows of a transaction of ``ranges`` (``[[start, end], ...]``): each range cut
        where issuances begin and end, adjacent pieces of one issuance merged, in serial order.
        Serials of no issuance make runs of issuance None; ranges that are not ranges make none."""
        try:
            wanted = sorted(SerialRange(s, e) for s, e in ranges)  # type: ignore[attr-defined]
        except (LedgerError, TypeError, ValueError):
            return []
        out: list[Run] = []
        for r in wanted:
            for piece in self._pieces(r.start, r.end):
                last = out[-1] if out else None
                if last is not None and last.issuance == piece.issuance and last.end + 1 == piece.start:
                    out[-1] = Run(last.start, piece.end, last.issuance)
                else:
                    out.append(piece)
        return out

    def _pieces(self, start: int, end: int) -> list[Run]:
        out: list[Run] = []
        at = start
        i = max(bisect_right(self._starts, start) - 1, 0)
        while at <= end:
            row = self._rows[i] if i < len(self._rows) else None
            if row is not None and row[1] < at:
                i += 1
                continue
            if row is None or row[0] > at:  # a gap before the next issuance (or none left)
                stop = end if row is None else min(end, row[0] - 1)
                out.append(Run(at, stop, None))
            else:
                stop = min(end, row[1])
                out.append(Run(at, stop, row[2]))
                i += 1
            at = stop + 1
        return out


def compare_runs(stored: Sequence[tuple[int, Run]], expected: Sequence[Run]) -> tuple[int | None, str] | None:
    """The first difference between the stored movement rows ``(row id, run)`` and the expected runs:
    ``(row id or None, what)``, or None when they are the same rows (in any order)."""
    if [run for _, run in stored] == list(expected):  # the usual case, in the order the rows are read
        return None
    ordered = sorted(stored, key=lambda x: (x[1].start, x[1].end, x[0]))
    wanted = Counter(expected)
    seen: Counter[Run] = Counter()
    extra: list[tuple[int, Run]] = []
    for pk, run in ordered:
        seen[run] += 1
        if wanted[run] > 0:
            wanted[run] -= 1
        else:
            extra.append((pk, run))
    missing = [run for run in expected if wanted[run] > 0]
    if not extra and not missing:
        return None
    if extra and missing:
        pk, run = extra[0]
        return pk, f"{run}, but its ranges give {missing[0]}"
    if extra:
        pk, run = extra[0]
        return pk, f"{run}, {'a second row for them' if seen[run] > 1 else 'not in its ranges'}"
    return None, f"no row for {missing[0]}"
