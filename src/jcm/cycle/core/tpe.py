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

from jcm.cycle.core.messages import N_, Message


class TpeFunction(StrEnum):
    VALIDATION = "validation"
    VERIFICATION = "verification"


class DesignationStatus(StrEnum):
    DESIGNATED = "designated"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class DesignationState(StrEnum):
    """Where a designation stands on a given day (what the public pages show)."""

    IN_FORCE = "in_force"
    NOT_YET = "not_yet"  # designated from a later day
    EXPIRED = "expired"  # past its last valid day
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


FUNCTION_WORDS = {TpeFunction.VALIDATION: N_("validation"), TpeFunction.VERIFICATION: N_("verification")}
STATUS_WORDS = {DesignationStatus.DESIGNATED: N_("designated"), DesignationStatus.SUSPENDED: N_("suspended"),
                DesignationStatus.WITHDRAWN: N_("withdrawn")}


def function_word(function: TpeFunction) -> Message:
    """The function as a word of a message (translated with it)."""
    return Message(FUNCTION_WORDS[function])


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

    def state_on(self, day: datetime.date) -> DesignationState:
        """Suspended or withdrawn (as of ``status_since``) first, then expired, not yet in force, in force."""
        if self.status is not DesignationStatus.DESIGNATED and (
            self.status_since is None or day >= self.status_since
        ):
            return DesignationState(self.status.value)
        if self.expires_on is not None and day > self.expires_on:
            return DesignationState.EXPIRED
        if self.designated_on is not None and day < self.designated_on:
            return DesignationState.NOT_YET
        return DesignationState.IN_FORCE

    def refusal_on(self, day: datetime.date) -> str | None:
        if self.designated_on is not None and day < self.designated_on:
            return Message(N_("designated only from %(date)s"), date=self.designated_on.isoformat())
        if self.expires_on is not None and day > self.expires_on:
            return Message(N_("expired on %(date)s"), date=self.expires_on.isoformat())
        if self.status is not DesignationStatus.DESIGNATED and (
            self.status_since is None or day >= self.status_since
        ):
            status = Message(STATUS_WORDS[self.status])
            if self.status_since is None:
                return status
            return Message(N_("%(status)s since %(date)s"), status=status, date=self.status_since.isoformat())
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
        return Message(N_("the project has no sectoral scope to check the TPE's designation against"))
    own = [d for d in designations if d.tpe_id == tpe_id]
    if not own:
        return Message(N_("%(tpe)s is not a designated TPE"), tpe=tpe_id)
    in_pair = [d for d in own if d.partner_code == partner_code]
    if not in_pair:
        return Message(N_("%(tpe)s is not designated in the pair JP-%(pair)s"), tpe=tpe_id, pair=partner_code)
    for_function = [d for d in in_pair if d.function is function]
    if not for_function:
        return Message(N_("%(tpe)s is not designated for %(function)s in the pair JP-%(pair)s"), tpe=tpe_id,
                       function=function_word(function), pair=partner_code)
    when = on.isoformat()
    for scope in wanted:
        rows = [d for d in for_function if scope in d.scopes]
        if not rows:
            return Message(N_("%(tpe)s is not designated for %(function)s in sectoral scope %(scope)s in the pair JP-%(pair)s"),
                           tpe=tpe_id, function=function_word(function), scope=scope, pair=partner_code)
        if any(d.in_force_on(on) for d in rows):
            continue
        reasons = sorted({r for d in rows if (r := d.refusal_on(on)) is not None})
        return Message(
            N_("%(tpe)s's designation for %(function)s in sectoral scope %(scope)s in the pair JP-%(pair)s "
               "is not in force on %(date)s: %(reasons)s"),
            tpe=tpe_id, function=function_word(function), scope=scope, pair=partner_code, date=when,
            reasons=Message.joined(reasons))
    return None
