"""TPE eligibility over plain designation values (jcm-rules.md §1.6, §6.1).

A TPE may validate or verify a project only if, on that date, it holds a designation

- of the project's country pair (there are no global designations),
- for that function (validation or verification; the scope sets can differ),
- covering every sectoral scope of the project (scopes may be covered by different rows, e.g.
  scopes 1-3 first and scope 14 later, each with its own expiry),
- in force: designated on or before the date, not past its expiry ("until dd Mon yy" is the last
  valid day), and the TPE not withdrawn or suspended as of that date.

:func:`tpe_refusal` returns the first reason it cannot act, or None.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class TpeFunction(StrEnum):
    VALIDATION = "validation"
    VERIFICATION = "verification"


class DesignationStatus(StrEnum):
    DESIGNATED = "designated"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class TpeDesignation:
    """One designation row: a TPE, a pair, a function, a set of scopes, its dates and status."""

    tpe_id: str
    partner_code: str
    function: TpeFunction
    scopes: frozenset[int]
    designated_on: datetime.date | None  # None: date not known, treated as always designated before
    expires_on: datetime.date | None  # last valid day; None: no expiry published
    status: DesignationStatus = DesignationStatus.DESIGNATED
    status_since: datetime.date | None = None  # when suspended/withdrawn; None: since always

    def in_force_on(self, day: datetime.date) -> bool:
        return self.refusal_on(day) is None

    def refusal_on(self, day: datetime.date) -> str | None:
        if self.designated_on is not None and day < self.designated_on:
            return f"designated only from {self.designated_on.isoformat()}"
        if self.expires_on is not None and day > self.expires_on:
            return f"expired on {self.expires_on.isoformat()}"
        if self.status is not DesignationStatus.DESIGNATED and (
            self.status_since is None or day >= self.status_since
        ):
            since = f" since {self.status_since.isoformat()}" if self.status_since else ""
            return f"{self.status.value}{since}"
        return None


def tpe_refusal(
    designations: Iterable[TpeDesignation],
    *,
    tpe_id: str,
    partner_code: str,
    function: TpeFunction,
    scopes: Iterable[int],
    on: datetime.date,
) -> str | None:
    """Why ``tpe_id`` may not perform ``function`` for a project of ``partner_code`` in ``scopes`` on ``on``.

    None when it may. The reason names the TPE, the pair, the function, the scope and the date.
    """
    wanted = sorted(set(scopes))
    if not wanted:
        return "the project has no sectoral scope to check the TPE's designation against"
    own = [d for d in designations if d.tpe_id == tpe_id]
    if not own:
        return f"{tpe_id} is not a designated TPE"
    in_pair = [d for d in own if d.partner_code == partner_code]
    if not in_pair:
        return f"{tpe_id} is not designated in the pair JP-{partner_code}"
    for_function = [d for d in in_pair if d.function is function]
    if not for_function:
        return f"{tpe_id} is not designated for {function.value} in the pair JP-{partner_code}"
    when = on.isoformat()
    for scope in wanted:
        rows = [d for d in for_function if scope in d.scopes]
        if not rows:
            return f"{tpe_id} is not designated for {function.value} in sectoral scope {scope} in the pair JP-{partner_code}"
        if any(d.in_force_on(on) for d in rows):
            continue
        reasons = sorted({r for d in rows if (r := d.refusal_on(on)) is not None})
        return (
            f"{tpe_id}'s designation for {function.value} in sectoral scope {scope} in the pair "
            f"JP-{partner_code} is not in force on {when}: {'; '.join(reasons)}"
        )
    return None
