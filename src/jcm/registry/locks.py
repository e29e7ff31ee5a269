"""The only module that takes row locks (``select_for_update``), always in one global order:

0. a Joint Committee notification (one row; only issuance takes it);
1. accounts, by primary key;
2. blocks, by primary key;
3. the journal head (one row), last: ``services._append`` takes it just before its final write,
   so it is held only for that write and the commit.

Every write follows this order, so two writes can wait for each other but never deadlock. And
every write that changes a block holds the lock of the account that holds it (a corresponding
adjustment, which names serials rather than an account, locks their holders first:
``lock_blocks_and_holders``), so the holder of an account's lock is the only one who can change that
account's blocks: the PostgreSQL fast path reads them under that lock without locking them. Every
function here fails loudly outside a transaction. On SQLite the transaction itself is the lock
(IMMEDIATE transactions take the write lock at BEGIN) and ``select_for_update`` is a no-op.

On PostgreSQL two details keep that promise under contention:

* accounts are locked ``FOR NO KEY UPDATE`` (what the balance/status update takes anyway), so a
  write that inserts a row referencing an account it has not locked (a corresponding adjustment
  splitting a block) is not blocked by the foreign-key check (``FOR KEY SHARE``) while it holds
  block locks the account's locker waits for;
* blocks and notifications are locked first and read with their related rows afterwards: a row
  that changed while we waited for its lock is re-read by PostgreSQL, but the rows joined to it
  are not (a block moved to another account came back with no account at all).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from jcm.registry.core.serials import SerialRange
from jcm.registry.models import Account, Block, JournalHead, Notification


class NoTransactionError(RuntimeError):
    """A lock was requested outside a transaction: it would be released at once."""


def require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise NoTransactionError("registry locks must be taken inside transaction.atomic")


def lock_accounts(numbers: Iterable[str]) -> dict[str, Account]:
    """Lock the named accounts (by primary key order); unknown numbers are simply absent."""
    require_transaction()
    rows = (
        Account.objects.select_for_update(of=("self",), no_key=True)
        .select_related("registry")  # registries are never updated: the join cannot go stale
        .filter(number__in=set(numbers))
    )
    return {a.number: a for a in rows.order_by("pk")}


def lock_notification(reference: str) -> Notification | None:
    """Lock one notification (taken first, before any account): concurrent issuances of it queue."""
    require_transaction()
    locked = Notification.objects.select_for_update(of=("self",)).filter(reference=reference)
    pk = locked.values_list("pk", flat=True).first()
    # Read after the lock: its issuance may have been created while we waited.
    return None if pk is None else Notification.objects.select_related("registry", "issuance").get(pk=pk)


_BLOCK_RELATED = ("issuance", "registry", "account")


def _lock_then_load(qs: QuerySet[Block]) -> list[Block]:
    """Lock the blocks of ``qs`` (by primary key), then read them with their related rows."""
    if not connection.features.has_select_for_update:
        return list(qs.select_related(*_BLOCK_RELATED).order_by("pk"))
    ids = list(qs.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    return list(Block.objects.select_related(*_BLOCK_RELATED).filter(pk__in=ids).order_by("pk"))


def lock_blocks_in_ranges(ranges: Iterable[SerialRange], *, account_id: int | None = None) -> list[Block]:
    """Lock the blocks overlapping ``ranges`` (optionally only those of one account)."""
    require_transaction()
    cond = Q()
    for r in ranges:
        cond |= Q(start__lte=r.end, end__gte=r.start)
    if not cond:
        return []
    qs = Block.objects.filter(cond)
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    return _lock_then_load(qs)


def lock_blocks_by_id(ids: Iterable[int]) -> list[Block]:
    require_transaction()
    return _lock_then_load(Block.objects.filter(pk__in=set(ids)))


def lock_head() -> JournalHead:
    """Lock the journal head: taken last, held until commit; serialises the chain."""
    require_transaction()
    head = JournalHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        JournalHead.objects.get_or_create(pk=1)
        head = JournalHead.objects.select_for_update().get(pk=1)
    return head


def lock_blocks_and_holders(ranges: list[SerialRange]) -> tuple[dict[str, Account], list[Block]]:
    """Lock the accounts that hold serials of ``ranges``, then the blocks overlapping them. When a
    block moved to another account before we had locked its holder, the attempt is undone (rolled
    back to a savepoint, which releases its locks) and made again: locks are only ever taken in the
    global order."""
    require_transaction()
    cond = Q()
    for r in ranges:
        cond |= Q(start__lte=r.end, end__gte=r.start)
    if not cond:
        return {}, []
    while True:
        attempt = transaction.savepoint_create()
        holders = Block.objects.filter(cond, account__isnull=False).values_list("account__number", flat=True)
        accounts = lock_accounts(set(holders))
        rows = lock_blocks_in_ranges(ranges)
        if all(r.account is None or r.account.number in accounts for r in rows):
            transaction.savepoint_commit(attempt)
            return accounts, rows
        transaction.savepoint_rollback(attempt)
