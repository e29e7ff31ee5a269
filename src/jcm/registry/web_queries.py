"""Reads for the signed-in registry pages (account holders and registry managers) and the retirement
certificate. Plain dataclasses and dicts, like ``queries``; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from jcm.accounts.queries import organisations_of
from jcm.registry import queries
from jcm.registry.core.errors import LedgerError
from jcm.registry.core.identifiers import parse_identifier
from jcm.registry.models import Account, Checkpoint, Registry, RetirementRecord, Transaction
from jcm.registry.permissions import manages


@dataclass(frozen=True)
class TxRow:
    sequence: int | None
    kind: str
    occurred_at: str
    quantity: int
    ranges: list[list[int]]
    from_account: str | None
    to_account: str | None
    to_registry: str | None
    direction: str  # "in", "out" or "" (registry-wide lists: only international transfers have one)
    retirement: str | None = None


@dataclass(frozen=True)
class AccountView:
    holdings: queries.Holdings
    registry_name: str
    transactions: list[TxRow] = field(default_factory=list)


def _tx_rows(qs: Any, account_id: int | None = None, limit: int = 20, *, registry_id: int | None = None) -> list[TxRow]:
    rows = qs.select_related("entry", "from_account", "to_account", "to_registry", "retirement").order_by(
        "-occurred_at", "-pk"
    )[:limit]
    out = []
    for t in rows:
        direction = ""
        if account_id is not None:
            direction = "out" if t.from_account_id == account_id else "in"
        elif registry_id is not None and t.kind == "international_transfer":
            direction = "out" if t.registry_id == registry_id else "in"
        retirement = getattr(t, "retirement", None) if t.kind == "retirement" else None
        out.append(
            TxRow(
                sequence=t.entry.sequence if t.entry_id else None,
                kind=t.kind,
                occurred_at=t.occurred_at.isoformat(),
                quantity=t.quantity,
                ranges=[list(r) for r in t.ranges],
                from_account=t.from_account.number if t.from_account_id else None,
                to_account=t.to_account.number if t.to_account_id else None,
                to_registry=t.to_registry.code if t.to_registry_id else None,
                direction=direction,
                retirement=retirement.number if retirement is not None else None,
            )
        )
    return out


def account_view(number: str, *, transactions: int = 20) -> AccountView | None:
    """One account: holdings block by block (identifier, serials, vintage, project, Article 6 state),
    balance, and its latest transactions in and out."""
    acct = Account.objects.select_related("registry").filter(number=number).first()
    if acct is None:
        return None
    h = queries.holdings(number)
    assert h is not None
    txs = _tx_rows(Transaction.objects.filter(Q(from_account=acct) | Q(to_account=acct)), acct.pk, transactions)
    txs = sorted([*txs, *_issuances_into(acct)], key=lambda t: (t.occurred_at, t.sequence or 0), reverse=True)
    return AccountView(h, acct.registry.name, txs[:transactions])


def _issuances_into(acct: Account, limit: int = 20) -> list[TxRow]:
    """Issuances that credited ``acct`` (an issuance names its accounts in its journal entry only)."""
    out = []
    rows = (
        Transaction.objects.filter(kind="issuance", registry_id=acct.registry_id)
        .select_related("entry")
        .order_by("-occurred_at", "-pk")
    )
    for t in rows:
        payload = t.entry.payload if t.entry_id else {}
        mine = [a for a in payload.get("allocations", []) if a.get("account") == acct.number]
        if not mine:
            continue
        out.append(
            TxRow(
                sequence=t.entry.sequence,
                kind="issuance",
                occurred_at=t.occurred_at.isoformat(),
                quantity=sum(a["end"] - a["start"] + 1 for a in mine),
                ranges=[[a["start"], a["end"]] for a in mine],
                from_account=None,
                to_account=acct.number,
                to_registry=None,
                direction="in",
            )
        )
        if len(out) >= limit:
            break
    return out


def my_accounts(user: Any) -> list[AccountView]:
    """The accounts held by the organisations ``user`` acts for (and only those)."""
    numbers = (
        Account.objects.filter(holder_id__in=organisations_of(user))
        .order_by("registry__code", "number")
        .values_list("number", flat=True)
    )
    return [v for n in numbers if (v := account_view(n, transactions=5)) is not None]


def account_of(number: str) -> Account | None:
    return Account.objects.select_related("registry").filter(number=number).first()


def registry_of(code: str) -> Registry | None:
    return Registry.objects.filter(code=code).first()


def managed_registries(user: Any) -> list[dict[str, str]]:
    """The registries hosted here that ``user`` is the registry manager of."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"code": r.code, "name": r.name, "party": r.party}
        for r in Registry.objects.filter(hosted=True).order_by("code")
        if manages(user, r)
    ]


def holds_any_account(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Account.objects.filter(holder_id__in=organisations_of(user)).exists()


def suggested_destinations(account: Account) -> list[dict[str, str]]:
    """Open holding accounts of the same registry, other than ``account`` (suggestions only: the
    service decides)."""
    return [
        {"number": a.number, "holder": a.holder_name}
        for a in Account.objects.filter(
            registry_id=account.registry_id, status="open", kind__in=["government_holding", "entity_holding"]
        )
        .exclude(pk=account.pk)
        .order_by("number")
    ]


def other_registries(account: Account) -> list[dict[str, str]]:
    return [{"code": r.code, "name": r.name} for r in Registry.objects.exclude(pk=account.registry_id).order_by("code")]


@dataclass(frozen=True)
class ManagerView:
    code: str
    name: str
    party: str
    accounts: list[dict[str, Any]]
    head_sequence: int
    head_hash: str
    checkpoint: dict[str, Any] | None
    transactions: list[TxRow]


def manager_view(code: str) -> ManagerView | None:
    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        return None
    accounts = [
        {
            "number": a.number,
            "kind": a.kind,
            "status": a.status,
            "holder": a.holder_name,
            "balance": a.balance,
            "opened_at": a.opened_at.isoformat(),
        }
        for a in Account.objects.filter(registry=reg).order_by("number")
    ]
    seq, digest = queries.journal_head()
    cp = Checkpoint.objects.order_by("-sequence").first()
    checkpoint = {"sequence": cp.sequence, "hash": cp.hash, "created_at": cp.created_at.isoformat()} if cp else None
    txs = _tx_rows(Transaction.objects.filter(Q(registry=reg) | Q(to_registry=reg)), None, 20, registry_id=reg.pk)
    return ManagerView(reg.code, reg.name, reg.party, accounts, seq, digest, checkpoint, txs)


# -- retirement certificate ------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    identifier: str
    project: str
    vintage: int
    start: int
    end: int
    quantity: int


@dataclass(frozen=True)
class Certificate:
    retirement: queries.Retirement
    registry_name: str
    entry_hash: str
    prev_hash: str
    pieces: list[Piece]
    projects: list[str]


def certificate(number: str) -> Certificate | None:
    """What the retirement certificate shows: the public retirement record, each retired piece read
    back from its unique identifier, and the journal entry (sequence and hash) that proves it."""
    r = queries.retirement(number)
    if r is None:
        return None
    row = RetirementRecord.objects.select_related("registry", "transaction__entry").get(number=number)
    entry = row.transaction.entry
    pieces = []
    for text in r.identifiers:
        try:
            uid = parse_identifier(text)
        except LedgerError:
            continue
        pieces.append(Piece(text, uid.project, uid.vintage, uid.serials.start, uid.serials.end, uid.serials.quantity))
    projects = sorted({p.project for p in pieces})
    return Certificate(
        r,
        row.registry.name,
        entry.hash if entry else "",
        entry.prev_hash if entry else "",
        pieces,
        projects,
    )


def organisations() -> list[tuple[int, str]]:
    """Organisations that may hold an account (for the registry manager's open-account form)."""
    from jcm.accounts.models import Organisation

    return list(Organisation.objects.order_by("name").values_list("pk", "name"))
