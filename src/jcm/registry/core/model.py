"""Plain value types of the ledger: registries, accounts, issuances, blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .article6 import NOT_AUTHORISED, Article6State
from .serials import SerialRange


class AccountKind(StrEnum):
    GOVERNMENT_HOLDING = "government_holding"
    ENTITY_HOLDING = "entity_holding"
    CANCELLATION = "cancellation"
    RETIREMENT = "retirement"

    @property
    def is_holding(self) -> bool:
        return self in (AccountKind.GOVERNMENT_HOLDING, AccountKind.ENTITY_HOLDING)


class AccountStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class BlockStatus(StrEnum):
    HELD = "held"  # in a holding account: transferable
    CANCELLED = "cancelled"  # in a cancellation account: final
    RETIRED = "retired"  # in a retirement account: final
    EXPORTED = "exported"  # moved out to a registry not hosted on this system


# Which account kind a block of each status sits in (None: no account on this system).
STATUS_ACCOUNT_KINDS: dict[BlockStatus, tuple[AccountKind, ...]] = {
    BlockStatus.HELD: (AccountKind.GOVERNMENT_HOLDING, AccountKind.ENTITY_HOLDING),
    BlockStatus.CANCELLED: (AccountKind.CANCELLATION,),
    BlockStatus.RETIRED: (AccountKind.RETIREMENT,),
    BlockStatus.EXPORTED: (),
}


class RetirementPurpose(StrEnum):
    NDC = "ndc"  # use towards a Party's NDC (ndc_party says whose)
    VOLUNTARY = "voluntary"  # voluntary cancellation / offsetting
    OMGE = "omge"  # overall mitigation in global emissions


@dataclass(frozen=True, slots=True)
class RegistryInfo:
    code: str  # e.g. "JP", "ID"
    party: str  # ISO 3166 alpha-2 of the government keeping it
    hosted: bool = True  # False: a counterpart registry on another system (international transfers leave)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    number: str
    registry: str
    kind: AccountKind
    status: AccountStatus = AccountStatus.OPEN
    holder: str = ""


@dataclass(frozen=True, slots=True)
class IssuanceInfo:
    issuance: str
    registry: str
    approach: str
    first_transferring_party: str
    project: str
    vintage: int
    serials: SerialRange

    @property
    def quantity(self) -> int:
        return self.serials.quantity


@dataclass(frozen=True, slots=True)
class NotificationInfo:
    """A Joint Committee notification as received by one registry: issue exactly ``quantity``, once.

    ``issuance`` is the reference of the issuance that executed it ("" while it is open).
    """

    notification: str
    registry: str
    decision: str
    project: str
    vintage: int
    quantity: int
    issuance: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """Serials ``start``..``end`` (inclusive) of one issuance, all in the same place and state."""

    start: int
    end: int
    issuance: str
    vintage: int
    registry: str  # originating registry
    account: str | None
    status: BlockStatus
    a6: Article6State = field(default=NOT_AUTHORISED)

    @property
    def range(self) -> SerialRange:
        return SerialRange(self.start, self.end)

    @property
    def quantity(self) -> int:
        return self.end - self.start + 1
