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
    corresponding_adjustment {ranges, party, year, date}   (date: when recorded; absent in older entries)
    cancellation       {from, to, ranges, reason, date, first_transferred}
    retirement         {from, to, ranges, purpose, ndc_party, beneficiary, retirement, date,
                        first_transferred}

The code is split by topic: ``state`` (LedgerState, Event), ``checks`` (shared checks and the
split), ``appliers`` (one per event kind, and ``apply``), ``builders`` (requests into events). This
module keeps the public names importable from where they always were.
"""

from __future__ import annotations

from .appliers import APPLIERS, MOVEMENT_KINDS, apply
from .article6 import FirstTransferTrigger, Purpose
from .builders import (
    end_state_event,
    international_transfer_event,
    issuance_event,
    resolve_ranges,
    select_oldest_first,
)
from .checks import NOT_HOLDING, NOT_OPEN
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

__all__ = [
    "APPLIERS",
    "MOVEMENT_KINDS",
    "NOT_HOLDING",
    "NOT_OPEN",
    "AccountInfo",
    "AccountKind",
    "AccountStatus",
    "Block",
    "BlockStatus",
    "Event",
    "FirstTransferTrigger",
    "IssuanceInfo",
    "LedgerState",
    "NotificationInfo",
    "Payload",
    "Purpose",
    "RegistryInfo",
    "RetirementPurpose",
    "SerialRange",
    "apply",
    "end_state_event",
    "international_transfer_event",
    "issuance_event",
    "resolve_ranges",
    "select_oldest_first",
]
