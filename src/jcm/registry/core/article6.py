"""Article 6 state of a block and its transitions.

A block is *authorised* (for NDC use, other international mitigation purposes (OIMP) and/or other
purposes) by the first-transferring Party, with an authorisation id and date and a declaration of
what counts as its *first transfer*:

``international_transfer`` (default, the NDC-use definition)
    the first international transfer out of the originating registry;
``authorisation``
    the authorisation itself (an OIMP option);
``use``
    retirement or cancellation (an OIMP option).

The first transfer triggers corresponding adjustments; each Party that applies one is recorded
with the year it applies to and the date the adjustment was recorded in the registry. Transitions:

* ``authorise``: not authorised -> authorised (re-authorising is refused; an identical
  re-authorisation is a no-op so replays are harmless);
* ``first_transfer``: authorised and not yet first-transferred -> first-transferred
  (afterwards a no-op: later transfers are ordinary transfers);
* ``add_corresponding_adjustment``: requires first-transferred; one record per Party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date as Date
from enum import StrEnum

from .errors import Article6Error, InvalidInput
from .messages import N_, Message


class Purpose(StrEnum):
    NDC = "ndc"
    OIMP = "oimp"
    OTHER = "other"


class FirstTransferTrigger(StrEnum):
    INTERNATIONAL_TRANSFER = "international_transfer"
    AUTHORISATION = "authorisation"
    USE = "use"


@dataclass(frozen=True, slots=True)
class CorrespondingAdjustment:
    """``party`` applied a corresponding adjustment for ``year``; recorded here on ``recorded_on``
    (ISO date; ``""`` for adjustments recorded before the registry kept the date)."""

    party: str
    year: int
    recorded_on: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"party": self.party, "year": self.year}
        if self.recorded_on:
            out["recorded_on"] = self.recorded_on
        return out


@dataclass(frozen=True, slots=True)
class Article6State:
    authorised: bool = False
    purposes: tuple[Purpose, ...] = ()
    authorisation_id: str = ""
    authorisation_date: str = ""  # ISO date
    first_transfer_trigger: FirstTransferTrigger = FirstTransferTrigger.INTERNATIONAL_TRANSFER
    first_transferred: bool = False
    first_transfer_date: str = ""  # ISO date
    adjustments: tuple[CorrespondingAdjustment, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "authorised": self.authorised,
            "purposes": [p.value for p in self.purposes],
            "authorisation_id": self.authorisation_id,
            "authorisation_date": self.authorisation_date,
            "first_transfer_trigger": self.first_transfer_trigger.value,
            "first_transferred": self.first_transferred,
            "first_transfer_date": self.first_transfer_date,
            "adjustments": [a.to_json() for a in self.adjustments],
        }


NOT_AUTHORISED = Article6State()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object, *, field: str, not_after: Date | None = None) -> str:
    """``value`` (a date or ``YYYY-MM-DD``) as an ISO date string; InvalidInput naming ``field`` if it
    is not a date, or if it is after ``not_after`` (a date in the future)."""
    if isinstance(value, Date):
        day = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if not _ISO_DATE.match(text):
                raise ValueError(text)
            day = Date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                Message(N_("%(field)s %(value)s is not a date; write it as YYYY-MM-DD"), field=field, value=repr(value)),
                field=field,
            ) from None
    if not_after is not None and day > not_after:
        raise InvalidInput(
            Message(N_("%(field)s %(date)s is in the future"), field=field, date=day.isoformat()), field=field
        )
    return day.isoformat()


def parse_purposes(values: object) -> tuple[Purpose, ...]:
    if not isinstance(values, list | tuple) or not values:
        raise InvalidInput(N_("purposes must be a non-empty list of ndc / oimp / other"), field="purposes")
    try:
        return tuple(sorted({Purpose(str(v)) for v in values}))
    except ValueError as exc:
        raise InvalidInput(
            Message(N_("unknown Article 6 purpose in %(list)s"), list=repr(list(values))), field="purposes"
        ) from exc


def authorise(
    state: Article6State,
    *,
    authorisation_id: str,
    date: str,
    purposes: tuple[Purpose, ...],
    trigger: FirstTransferTrigger,
) -> Article6State:
    if not authorisation_id:
        raise InvalidInput(N_("authorisation_id is required"), field="authorisation_id")
    if not purposes:
        raise InvalidInput(N_("an authorisation names at least one purpose"), field="purposes")
    date = parse_date(date, field="authorisation_date")
    wanted = replace(
        state,
        authorised=True,
        purposes=tuple(sorted(set(purposes))),
        authorisation_id=authorisation_id,
        authorisation_date=date,
        first_transfer_trigger=trigger,
    )
    if state.authorised:
        if state.authorisation_id == authorisation_id and wanted == state:
            return state
        raise Article6Error(
            Message(N_("already authorised under %(authorisation_id)s"), authorisation_id=state.authorisation_id),
            field="ranges",
        )
    if trigger is FirstTransferTrigger.AUTHORISATION:
        wanted = replace(wanted, first_transferred=True, first_transfer_date=date)
    return wanted


def first_transfer(state: Article6State, *, date: str) -> Article6State:
    """Mark first transfer if this is it; later calls leave the state unchanged."""
    if not state.authorised:
        raise Article6Error(N_("not authorised under Article 6"))
    if state.first_transferred:
        return state
    return replace(state, first_transferred=True, first_transfer_date=date)


def on_use(state: Article6State, *, date: str) -> Article6State:
    """Retirement/cancellation: the first transfer if the authorisation says use triggers it."""
    if state.authorised and state.first_transfer_trigger is FirstTransferTrigger.USE:
        return first_transfer(state, date=date)
    return state


def add_corresponding_adjustment(
    state: Article6State, *, party: str, year: int, recorded_on: str = ""
) -> Article6State:
    """Record ``party``'s adjustment for ``year`` (recorded on ``recorded_on``, an ISO date)."""
    if not state.first_transferred:
        raise Article6Error(N_("a corresponding adjustment needs a first transfer"), field="ranges")
    if any(a.party == party for a in state.adjustments):
        raise Article6Error(
            Message(N_("corresponding adjustment by %(party)s already recorded"), party=party), field="party"
        )
    if recorded_on:
        recorded_on = parse_date(recorded_on, field="date")
    added = CorrespondingAdjustment(party, year, recorded_on)
    adjustments = tuple(sorted((*state.adjustments, added), key=lambda a: a.party))
    return replace(state, adjustments=adjustments)
