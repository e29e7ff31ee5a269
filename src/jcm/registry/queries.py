"""Registry reads, returning plain dataclasses (templates, API and CLI share them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from jcm.registry.core.identifiers import format_identifier
from jcm.registry.core.journal import Checkpoint as CoreCheckpoint
from jcm.registry.core.journal import to_json_line
from jcm.registry.core.serials import SerialRange
from jcm.registry.core.verify import Violation, verify
from jcm.registry.history import Step, article6_steps, merge, movement_steps
from jcm.registry.integrity import check_rows, rows_against_journal
from jcm.registry.models import (
    Account,
    Block,
    Checkpoint,
    Issuance,
    JournalEntry,
    Notification,
    Registry,
    RetirementRecord,
    Transaction,
)
from jcm.registry.values import db_snapshot, iter_entries


# -- proof -----------------------------------------------------------------------------------------
def checkpoints() -> list[CoreCheckpoint]:
    """Every stored checkpoint as core values, with its signature (for the verifier and the export)."""
    return [
        CoreCheckpoint(c.sequence, c.hash, c.created_at.isoformat(), c.signature or "")
        for c in Checkpoint.objects.order_by("sequence")
    ]


def verify_ledger() -> Violation | None:
    """Recompute the chain and every invariant from the database; the first violation or None.

    First the stored rows' own integrity (``integrity.check_rows``: the references the database does
    not constrain, each transaction's quantity against its ranges), then the chain and the ledger's
    invariants, then each transaction and its movement rows against its journal entry
    (``integrity.rows_against_journal``)."""
    return (
        check_rows()
        or verify(iter_entries(), snapshot=db_snapshot(), checkpoints=checkpoints())
        or rows_against_journal()
    )


def export_lines() -> Iterator[str]:
    """The public journal export (JSON lines): every entry, then the checkpoints with their signatures."""
    for entry in iter_entries():
        yield to_json_line(entry)
    for cp in checkpoints():
        yield to_json_line(cp)


# -- the JC's notifications (the registry's inbox) ---------------------------------------------------
@dataclass(frozen=True)
class NotificationRow:
    reference: str
    registry: str
    decision: str
    project: str
    monitoring_period: str
    vintage: int
    quantity: int
    status: str
    issuance: str  # "" while open
    serials: list[list[int]]  # the issuance's serials ([] while open)


def jc_notification(reference: str) -> NotificationRow | None:
    n = Notification.objects.select_related("registry", "issuance").filter(reference=reference).first()
    if n is None:
        return None
    return NotificationRow(
        reference=n.reference,
        registry=n.registry.code,
        decision=n.decision,
        project=n.project,
        monitoring_period=n.monitoring_period,
        vintage=n.vintage,
        quantity=n.quantity,
        status=n.status,
        issuance=n.issuance.reference if n.issuance_id else "",
        serials=[[n.issuance.serial_start, n.issuance.serial_end]] if n.issuance_id else [],
    )


# -- holdings --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlockRow:
    """A block as every reader shows it: where it is, what it is (issuance, project, monitoring
    period, vintage) and its Article 6 state (authorisation with the Party's date, purposes, what
    counts as first transfer and when it happened, each Party's corresponding adjustment)."""

    identifier: str
    start: int
    end: int
    quantity: int
    vintage: int
    project: str
    status: str
    account: str | None
    registry: str
    authorised: bool
    purposes: list[str]
    authorisation_id: str
    first_transferred: bool
    adjustments: list[dict[str, object]]  # [{party, year, recorded_on ("" if not kept)}], by party
    authorisation_date: str = ""  # ISO date of the Party's authorisation ("" if not authorised)
    first_transfer_trigger: str = ""  # international_transfer | authorisation | use ("" if not authorised)
    first_transfer_date: str = ""  # ISO date ("" until first transferred)
    issuance: str = ""
    monitoring_period: str = ""


def _adjustments(value: object) -> list[dict[str, object]]:
    return [
        {"party": a.get("party", ""), "year": a.get("year"), "recorded_on": a.get("recorded_on", "")}
        for a in _json_list(value)
        if isinstance(a, dict)
    ]


def _block_row(b: Block) -> BlockRow:
    iss = b.issuance
    return BlockRow(
        identifier=format_identifier(
            approach=iss.approach,
            registry=b.registry.code,
            first_transferring_party=iss.first_transferring_party,
            project=iss.project,
            vintage=b.vintage,
            serials=SerialRange(b.start, b.end),
        ),
        start=b.start,
        end=b.end,
        quantity=b.end - b.start + 1,
        vintage=b.vintage,
        project=iss.project,
        status=b.status,
        account=b.account.number if b.account_id else None,
        registry=b.registry.code,
        authorised=b.authorised,
        purposes=list(b.purposes),
        authorisation_id=b.authorisation_id,
        first_transferred=b.first_transferred,
        adjustments=_adjustments(b.adjustments),
        authorisation_date=b.authorisation_date,
        first_transfer_trigger=b.first_transfer_trigger if b.authorised else "",
        first_transfer_date=b.first_transfer_date,
        issuance=iss.reference,
        monitoring_period=iss.monitoring_period,
    )


@dataclass(frozen=True)
class Holdings:
    account: str
    registry: str
    kind: str
    status: str
    holder: str
    balance: int
    blocks: list[BlockRow]


def holdings(number: str) -> Holdings | None:
    acct = Account.objects.select_related("registry").filter(number=number).first()
    if acct is None:
        return None
    blocks = Block.objects.filter(account=acct).select_related("issuance", "registry", "account").order_by("start")
    return Holdings(
        acct.number,
        acct.registry.code,
        acct.kind,
        acct.status,
        acct.holder_name,
        acct.balance,
        [_block_row(b) for b in blocks],
    )


# -- serial lookup ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SerialHistory:
    serial: int
    block: BlockRow
    issuance: str
    history: list[Step] = field(default_factory=list)


_BLOCK_AT = """
SELECT b.start, b."end", b.vintage, b.status, b.issuance_id, b.authorised, b.purposes, b.authorisation_id,
       b.first_transferred, b.adjustments, a.number, r.code, i.reference, i.approach, i.first_transferring_party,
       i.project, b.authorisation_date, b.first_transfer_trigger, b.first_transfer_date, i.monitoring_period
FROM registry_block b
JOIN registry_issuance i ON i.id = b.issuance_id
JOIN registry_registry r ON r.id = b.registry_id
LEFT JOIN registry_account a ON a.id = b.account_id
WHERE b.start = (SELECT max(start) FROM registry_block WHERE start <= %s)
"""

def _json_list(value: object) -> list[Any]:
    """JSON columns come back decoded on PostgreSQL and as text on SQLite."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, list) else []


def serial_lookup(serial: int) -> SerialHistory | None:
    """Where ``serial`` is now and every step that touched it, in journal order (``history``): the
    movements that brought it there and the Article 6 actions recorded on it.

    Two indexed queries (the block with the greatest start <= serial; the movements of its issuance
    that cover the serial), and a third only for an authorised serial: the authorisations (and, if its
    block records any, corresponding adjustments) after its issuance, through the partial index
    ``registry_journal_actions``; a serial never authorised has no Article 6 action (an adjustment
    needs a first transfer, which needs an authorisation)."""
    with connection.cursor() as cur:
        cur.execute(_BLOCK_AT, [serial])
        row = cur.fetchone()
        if row is None or row[1] < serial:
            return None
        (
            start,
            end,
            vintage,
            status,
            issuance_id,
            authorised,
            purposes,
            authorisation_id,
            first_transferred,
            adjustments,
            account,
            registry,
            reference,
            approach,
            ftp,
            project,
            authorisation_date,
            trigger,
            first_transfer_date,
            monitoring_period,
        ) = row
        history = movement_steps(cur, issuance_id=issuance_id, serial=serial)
        if authorised:
            issued = next((s.sequence for s in history if s.kind == "issuance"), 0)
            actions = article6_steps(cur, serial=serial, after=issued, adjusted=bool(_json_list(adjustments)))
            history = merge(history, actions)
    block = BlockRow(
        identifier=format_identifier(
            approach=approach,
            registry=registry,
            first_transferring_party=ftp,
            project=project,
            vintage=vintage,
            serials=SerialRange(start, end),
        ),
        start=start,
        end=end,
        quantity=end - start + 1,
        vintage=vintage,
        project=project,
        status=status,
        account=account,
        registry=registry,
        authorised=bool(authorised),
        purposes=_json_list(purposes),
        authorisation_id=authorisation_id,
        first_transferred=bool(first_transferred),
        adjustments=_adjustments(adjustments),
        authorisation_date=authorisation_date,
        first_transfer_trigger=trigger if authorised else "",
        first_transfer_date=first_transfer_date,
        issuance=reference,
        monitoring_period=monitoring_period,
    )
    return SerialHistory(serial, block, reference, history)


# -- registry summaries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RegistrySummary:
    code: str
    name: str
    party: str
    issued: int
    by_account_type: dict[str, int]
    accounts: int
    entity_accounts: list[dict[str, str]]


def registries() -> list[dict[str, str]]:
    return [
        {"code": r.code, "name": r.name, "party": r.party}
        for r in Registry.objects.filter(hosted=True).order_by("code")
    ]


def registry_summary(code: str) -> RegistrySummary | None:
    """Amount of credits in each type of account, issued total and the entity holding accounts."""
    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        return None
    by_type = {
        row["kind"]: row["total"] or 0
        for row in Account.objects.filter(registry=reg).values("kind").annotate(total=Sum("balance"))
    }
    issued = Issuance.objects.filter(registry=reg).aggregate(t=Sum("quantity"))["t"] or 0
    entity = [
        {"number": a.number, "holder": a.holder_name, "status": a.status}
        for a in Account.objects.filter(registry=reg, kind="entity_holding").order_by("number")
    ]
    return RegistrySummary(
        reg.code, reg.name, reg.party, issued, by_type, Account.objects.filter(registry=reg).count(), entity
    )


@dataclass(frozen=True)
class YearSummary:
    year: int
    kind: str  # one of ANNUAL_KINDS
    transactions: int
    quantity: int


# The rows of the annual transactions summary, in the order they are shown. What Japan's JCM registry
# publishes each year (issuance, transfer, acquisition, cancellation, retirement, in tCO2), seen from
# one registry, plus the Article 6 actions its Party reports for the year they happen (authorisation,
# first transfer, corresponding adjustment):
ANNUAL_KINDS = (
    "issuance",  # credits issued into this registry
    "transfer",  # between two accounts of this registry
    "international_transfer_out",  # sent to another registry
    "acquisition",  # received from another registry (its international transfer in)
    "authorisation",  # Article 6 authorisations by this registry's Party, in the year of the Party's date
    "first_transfer",  # Article 6 first transfers of credits originating here (international transfer,
    # authorisation or use, as each authorisation says)
    "corresponding_adjustment",  # adjustments applied by this registry's Party, in the year recorded
    "cancellation",
    "retirement",
)
_TX_KIND = {"international_transfer": "international_transfer_out"}


def _year(iso: str) -> int:
    return int(iso[:4])


def _total(ranges: object) -> int:
    return sum(r[1] - r[0] + 1 for r in _json_list(ranges) if isinstance(r, list) and len(r) == 2)


def _originating_in(registry_id: int, ranges: list[Any]) -> int:
    """How many serials of ``ranges`` were issued by registry ``registry_id`` (one indexed query per
    issuance a range touches)."""
    count = 0
    for r in ranges:
        if not (isinstance(r, list) and len(r) == 2):
            continue
        start, end = r
        while start <= end:
            found = (
                Issuance.objects.filter(serial_start__lte=start)
                .order_by("-serial_start")
                .values_list("serial_end", "registry_id")
                .first()
            )
            if found is None or found[0] < start:
                break
            last = min(end, found[0])
            if found[1] == registry_id:
                count += last - start + 1
            start = last + 1
    return count


def annual_summary(code: str) -> list[YearSummary]:
    """Annual transactions summary of one registry (tCO2): per year and kind (``ANNUAL_KINDS``), the
    number of transactions and the credits concerned. International transfers count as
    ``international_transfer_out`` in the sending registry and as ``acquisition`` in the receiving
    one; Article 6 actions are rows of their own."""
    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        return []
    rows: dict[tuple[int, str], list[int]] = {}

    def add(year: int, kind: str, quantity: int) -> None:
        row = rows.setdefault((year, kind), [0, 0])
        row[0] += 1
        row[1] += quantity

    def add_grouped(qs: Any, kind_of: dict[str, str]) -> None:
        for r in qs.annotate(year=ExtractYear("occurred_at")).values("year", "kind").annotate(
            n=Count("id"), q=Sum("quantity")
        ):
            row = rows.setdefault((r["year"], kind_of.get(r["kind"], r["kind"])), [0, 0])
            row[0] += r["n"]
            row[1] += r["q"] or 0

    # Movements: the per-transaction record of this registry (sent) and international transfers in.
    add_grouped(Transaction.objects.filter(registry=reg), _TX_KIND)
    add_grouped(
        Transaction.objects.filter(to_registry=reg, kind="international_transfer"),
        {"international_transfer": "acquisition"},
    )
    # A first transfer by an international transfer is always out of the credits' originating
    # registry (only it authorises them, and the first such transfer is the first transfer).
    moved = JournalEntry.objects.filter(transaction__registry=reg, kind="international_transfer").values_list(
        "occurred_at", "payload"
    )
    for occurred_at, payload in moved:
        if first := _total((payload or {}).get("first_transferred")):
            add(_year(occurred_at), "first_transfer", first)
    # Article 6 actions have no transaction row, and a first transfer by use (cancellation or
    # retirement, possibly in another registry) belongs to the registry the credits come from: read
    # them from the journal (partial index ``registry_journal_actions``: transfers are not in it).
    numbers = set(Account.objects.filter(registry=reg).values_list("number", flat=True))
    actions = JournalEntry.objects.filter(
        kind__in=("authorisation", "corresponding_adjustment", "cancellation", "retirement")
    ).values_list("kind", "occurred_at", "payload")
    for kind, occurred_at, payload in actions:
        p = payload if isinstance(payload, dict) else {}
        date = p.get("date")
        when = date if isinstance(date, str) and date else occurred_at
        if kind == "authorisation" and p.get("account") in numbers:
            add(_year(when), "authorisation", _total(p.get("ranges")))
            if p.get("first_transfer_trigger") == "authorisation":
                add(_year(when), "first_transfer", _total(p.get("ranges")))
        elif kind == "corresponding_adjustment" and p.get("party") == reg.party:
            add(_year(occurred_at), "corresponding_adjustment", _total(p.get("ranges")))
        elif (
            kind in ("cancellation", "retirement")
            and p.get("first_transferred")
            and (ours := _originating_in(reg.pk, _json_list(p.get("first_transferred"))))
        ):
            add(_year(occurred_at), "first_transfer", ours)
    order = {k: i for i, k in enumerate(ANNUAL_KINDS)}
    return [
        YearSummary(year, kind, n, q)
        for (year, kind), (n, q) in sorted(rows.items(), key=lambda item: (item[0][0], order.get(item[0][1], 99)))
    ]


# -- retirements -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Retirement:
    number: str
    registry: str
    quantity: int
    purpose: str
    ndc_party: str
    beneficiary: str
    identifiers: list[str]
    vintages: list[int]
    retired_at: str
    from_account: str
    sequence: int


def _retirement(r: RetirementRecord) -> Retirement:
    return Retirement(
        r.number,
        r.registry.code,
        r.quantity,
        r.purpose,
        r.ndc_party,
        r.beneficiary,
        list(r.identifiers),
        list(r.vintages),
        r.retired_at.isoformat(),
        r.from_account.number,
        r.transaction.entry.sequence,
    )


def retirements(*, registry: str | None = None, limit: int = 200) -> list[Retirement]:
    qs = RetirementRecord.objects.select_related("registry", "from_account", "transaction__entry")
    if registry:
        qs = qs.filter(registry__code=registry)
    return [_retirement(r) for r in qs[:limit]]


def retirement(number: str) -> Retirement | None:
    r = (
        RetirementRecord.objects.select_related("registry", "from_account", "transaction__entry")
        .filter(number=number)
        .first()
    )
    return _retirement(r) if r else None


def journal_head() -> tuple[int, str]:
    last = JournalEntry.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return (last[0], last[1]) if last else (0, "0" * 64)


def accounts_of_holders(organisation_ids: list[int]) -> list[str]:
    return list(Account.objects.filter(holder_id__in=organisation_ids).values_list("number", flat=True))
