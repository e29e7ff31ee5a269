"""Rows to core values and back (no business logic)."""

from __future__ import annotations

from collections.abc import Iterator

from jcm.registry.core.article6 import Article6State, CorrespondingAdjustment, FirstTransferTrigger, Purpose
from jcm.registry.core.journal import JournalEntry as CoreEntry
from jcm.registry.core.model import (
    AccountInfo,
    AccountKind,
    AccountStatus,
    BlockStatus,
    IssuanceInfo,
    NotificationInfo,
    RegistryInfo,
)
from jcm.registry.core.model import Block as CoreBlock
from jcm.registry.core.serials import SerialRange
from jcm.registry.core.verify import Snapshot
from jcm.registry.models import Account, Block, Issuance, JournalEntry, Notification, Registry


def registry_value(r: Registry) -> RegistryInfo:
    return RegistryInfo(r.code, r.party, r.hosted)


def notification_value(n: Notification) -> NotificationInfo:
    return NotificationInfo(
        notification=n.reference,
        registry=n.registry.code,
        decision=n.decision,
        project=n.project,
        vintage=n.vintage,
        quantity=n.quantity,
        issuance=n.issuance.reference if n.issuance_id else "",
    )


def account_value(a: Account) -> AccountInfo:
    return AccountInfo(a.number, a.registry.code, AccountKind(a.kind), AccountStatus(a.status), a.holder_name)


def issuance_value(i: Issuance, registry_code: str | None = None) -> IssuanceInfo:
    return IssuanceInfo(
        issuance=i.reference,
        registry=registry_code or i.registry.code,
        approach=i.approach,
        first_transferring_party=i.first_transferring_party,
        project=i.project,
        vintage=i.vintage,
        serials=SerialRange(i.serial_start, i.serial_end),
    )


def a6_value(b: Block) -> Article6State:
    return Article6State(
        authorised=b.authorised,
        purposes=tuple(Purpose(p) for p in b.purposes),
        authorisation_id=b.authorisation_id,
        authorisation_date=b.authorisation_date,
        first_transfer_trigger=FirstTransferTrigger(b.first_transfer_trigger),
        first_transferred=b.first_transferred,
        first_transfer_date=b.first_transfer_date,
        adjustments=tuple(
            CorrespondingAdjustment(a["party"], a["year"], a.get("recorded_on", "")) for a in b.adjustments
        ),
    )


_JOIN = "\x00join"


def block_value(
    b: Block, *, issuance: str | None = None, registry: str | None = None, account: str | None = _JOIN
) -> CoreBlock:
    """The core value of a block row; pass the related codes (account: number or None) to avoid joins."""
    return CoreBlock(
        start=b.start,
        end=b.end,
        issuance=issuance if issuance is not None else b.issuance.reference,
        vintage=b.vintage,
        registry=registry if registry is not None else b.registry.code,
        account=(b.account.number if b.account_id else None) if account == _JOIN else account,
        status=BlockStatus(b.status),
        a6=a6_value(b),
    )


def set_block_fields(row: Block, value: CoreBlock, *, account_ids: dict[str, int]) -> None:
    row.start, row.end, row.vintage, row.status = value.start, value.end, value.vintage, value.status.value
    row.account_id = account_ids[value.account] if value.account is not None else None
    a6 = value.a6
    row.authorised = a6.authorised
    row.purposes = [p.value for p in a6.purposes]
    row.authorisation_id = a6.authorisation_id
    row.authorisation_date = a6.authorisation_date
    row.first_transfer_trigger = a6.first_transfer_trigger.value
    row.first_transferred = a6.first_transferred
    row.first_transfer_date = a6.first_transfer_date
    row.adjustments = [a.to_json() for a in a6.adjustments]


BLOCK_FIELDS = [
    "start",
    "end",
    "vintage",
    "status",
    "account",
    "authorised",
    "purposes",
    "authorisation_id",
    "authorisation_date",
    "first_transfer_trigger",
    "first_transferred",
    "first_transfer_date",
    "adjustments",
]


def entry_value(e: JournalEntry) -> CoreEntry:
    return CoreEntry(e.sequence, e.kind, e.occurred_at, e.payload, e.prev_hash, e.hash)


def iter_entries(chunk: int = 5000) -> Iterator[CoreEntry]:
    """Every journal entry in sequence order, streamed."""
    qs = JournalEntry.objects.order_by("sequence").values_list(
        "sequence", "kind", "occurred_at", "payload", "prev_hash", "hash"
    )
    for row in qs.iterator(chunk_size=chunk):
        yield CoreEntry(*row)


def db_snapshot() -> Snapshot:
    """Everything the verifier compares, read without joins per row."""
    registries = dict(Registry.objects.values_list("pk", "code"))
    accounts = {}
    balances = {}
    account_numbers = {}
    for a in Account.objects.all():
        account_numbers[a.pk] = a.number
        accounts[a.number] = AccountInfo(
            a.number, registries[a.registry_id], AccountKind(a.kind), AccountStatus(a.status), a.holder_name
        )
        balances[a.number] = a.balance
    issuances = {}
    issuance_refs = {}
    for i in Issuance.objects.all():
        issuance_refs[i.pk] = i.reference
        issuances[i.reference] = issuance_value(i, registries[i.registry_id])
    blocks = [
        block_value(
            b,
            issuance=issuance_refs[b.issuance_id],
            registry=registries[b.registry_id],
            account=account_numbers[b.account_id] if b.account_id else None,
        )
        for b in Block.objects.order_by("start").iterator(chunk_size=5000)
    ]
    return Snapshot(accounts=accounts, balances=balances, issuances=issuances, blocks=blocks)
