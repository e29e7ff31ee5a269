"""Integrity of the stored ledger rows that the journal replay does not compare (``check_rows``, part
of ``jcm ledger verify`` on the database, before the chain and the invariants):

* references without a foreign-key constraint: ``ledger_references()`` finds them from the models
  (every ``ForeignKey`` with ``db_constraint=False``: blocks -> account/issuance/registry,
  transactions -> registries/accounts, movements -> transaction/issuance). The database does not
  check them on write (see the models); ``dangling_references`` does: one anti-join per reference.
* stored values that can be derived from others: ``Transaction.quantity`` is the number of serials
  in the transaction's ``ranges`` (``misstated_quantities``: one pass over the transactions).

``rows_against_journal`` runs after the journal itself verified (the chain, the replay and the
stored blocks, balances, accounts and issuances against it): each transaction row and its movement
rows must be what the services wrote for its journal entry (``core.rows``). One pass over the
journal in sequence order, beside one pass over the movements in the same order; nothing is held
but the current entry's rows and the small tables (registries, accounts, issuances).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, ForeignKey, OuterRef

from jcm.registry.core.errors import LedgerError
from jcm.registry.core.rows import Issuances, Run, TransactionRow, compare_runs, differences, expected_transaction
from jcm.registry.core.serials import ranges_from_json, total
from jcm.registry.core.verify import Violation


def ledger_references() -> list[tuple[str, str, str]]:
    """(model, field, parent model) of every registry relation without a database constraint."""
    return [
        (model.__name__, f.name, f.related_model.__name__)
        for model in apps.get_app_config("registry").get_models()
        for f in model._meta.get_fields()
        if isinstance(f, ForeignKey) and not f.db_constraint
    ]


def dangling_references() -> Violation | None:
    """The first ledger row that refers to a row that does not exist, or None."""
    for model_name, field, parent_name in ledger_references():
        model = apps.get_model("registry", model_name)
        parent = apps.get_model("registry", parent_name)
        column = f"{field}_id"
        row = (
            model.objects.filter(**{f"{column}__isnull": False})
            .exclude(Exists(parent.objects.filter(pk=OuterRef(column))))
            .order_by("pk")
            .values_list("pk", column)
            .first()
        )
        if row is not None:
            return Violation(
                "reference",
                f"{model._meta.db_table} row {row[0]}: {field} {row[1]} does not exist in {parent._meta.db_table}",
            )
    return None


def misstated_quantities(chunk: int = 5000) -> Violation | None:
    """The first transaction whose ``quantity`` is not the number of serials in its ``ranges`` (or
    whose ``ranges`` are not ``[[start, end], ...]``), or None."""
    from jcm.registry.models import JournalEntry, Transaction

    rows = Transaction.objects.order_by("pk").values_list("pk", "kind", "quantity", "ranges", "entry_id")
    for pk, kind, quantity, ranges, entry_id in rows.iterator(chunk_size=chunk):
        try:
            held: int | None = total(ranges_from_json(ranges))
        except LedgerError:
            held = None
        if held == quantity:
            continue
        sequence = JournalEntry.objects.filter(pk=entry_id).values_list("sequence", flat=True).first()
        what = f"ranges {ranges} hold {held} credits" if held is not None else f"ranges {ranges!r} are not serial ranges"
        return Violation(
            "transaction_quantity",
            f"{Transaction._meta.db_table} row {pk} ({kind}): quantity {quantity}, but its {what}",
            sequence,
        )
    return None


def misplaced_head() -> Violation | None:
    """The journal head (the row every append reads and moves) against the last entry: the same
    sequence and hash, and ``prev_hash`` the hash that entry chained to ("" for a head not moved since
    the column was added). A wrong head would chain the next entry to the wrong place. None if it
    agrees (or there is neither head nor entry)."""
    from jcm.registry.models import JournalEntry, JournalHead

    head = JournalHead.objects.filter(pk=1).values_list("sequence", "hash", "prev_hash").first()
    last = JournalEntry.objects.order_by("-sequence").values_list("sequence", "hash", "prev_hash").first()
    table = JournalHead._meta.db_table
    if last is None:
        if head is None or head[:2] == (0, "0" * 64):
            return None
        return Violation("journal_head", f"{table} is at {head[0]} {head[1]}, but the journal has no entries")
    if head is None:
        return Violation("journal_head", f"there is no {table} row, but the journal ends at entry {last[0]}")
    if head[:2] != last[:2] or head[2] not in ("", last[2]):
        return Violation(
            "journal_head",
            f"{table} is at {head[0]} {head[1]} (after {head[2] or '-'}), but the journal ends at "
            f"{last[0]} {last[1]} (after {last[2]})",
            last[0],
        )
    return None


def check_rows() -> Violation | None:
    """The first violation of the stored rows' own integrity (dangling references, misstated
    quantities, the journal head), or None."""
    return dangling_references() or misstated_quantities() or misplaced_head()


def rows_against_journal(chunk: int = 5000) -> Violation | None:
    """The first transaction row or movement row that differs from its journal entry, or None.

    Every transaction row names a journal entry, and every entry of a kind that moves credits has one
    transaction row (``transaction_entry``) with the entry's kind, registry, accounts (by number),
    quantity and ranges; its movement rows are exactly the runs of its ranges per issuance
    (``movement``: a missing, extra or altered row). Run after ``core.verify.verify`` has accepted
    the journal and the stored issuances, which this reads as the truth."""
    from jcm.registry.models import Account, Issuance, JournalEntry, Movement, Registry, Transaction

    tx_table, mv_table = Transaction._meta.db_table, Movement._meta.db_table
    unlinked = Transaction.objects.filter(entry__isnull=True).order_by("pk").values_list("pk", "kind").first()
    if unlinked is not None:
        return Violation("transaction_entry", f"{tx_table} row {unlinked[0]} ({unlinked[1]}) has no journal entry")
    registries = {pk: (code, hosted) for pk, code, hosted in Registry.objects.values_list("pk", "code", "hosted")}
    hosted = {code: flag for code, flag in registries.values()}
    numbers: dict[int, str] = {}
    account_registry: dict[str, str | None] = {}
    for pk, number, registry_id in Account.objects.values_list("pk", "number", "registry_id"):
        numbers[pk] = number
        account_registry[number] = registries[registry_id][0] if registry_id in registries else None
    references = dict(Issuance.objects.values_list("pk", "reference"))
    issuances = Issuances(list(Issuance.objects.values_list("serial_start", "serial_end", "reference")))

    def code(registry_id: int | None) -> str | None:
        return None if registry_id is None else registries.get(registry_id, (f"id {registry_id}", True))[0]

    def number(account_id: int | None) -> str | None:
        return None if account_id is None else numbers.get(account_id, f"id {account_id}")

    entries = JournalEntry.objects.order_by("sequence").values_list(
        "sequence", "kind", "payload", "transaction__pk", "transaction__kind", "transaction__registry_id",
        "transaction__from_account_id", "transaction__to_account_id", "transaction__to_registry_id",
        "transaction__quantity", "transaction__ranges",
    )
    moves = (
        Movement.objects.order_by("transaction__entry__sequence", "start", "pk")
        .values_list("transaction__entry__sequence", "pk", "issuance_id", "start", "end")
        .iterator(chunk_size=chunk)
    )
    pending = next(moves, None)
    for seq, kind, payload, tx, tx_kind, registry_id, from_id, to_id, to_registry_id, quantity, ranges in (
        entries.iterator(chunk_size=chunk)
    ):
        stored: list[tuple[int, Run]] = []
        while pending is not None and pending[0] <= seq:
            _, pk, issuance_id, start, end = pending
            stored.append((pk, Run(start, end, references.get(issuance_id))))
            pending = next(moves, None)
        try:
            expected = expected_transaction(
                kind, payload, account_registry=account_registry.get, hosted=lambda c: hosted.get(c, True)
            )
        except (KeyError, IndexError, TypeError, LedgerError) as exc:  # the replay accepted it: not reached
            return Violation("transaction_entry", f"the {kind} entry cannot be read as a movement ({exc!r})", seq)
        if tx is None:
            if expected is not None:
                return Violation("transaction_entry", f"the {kind} has no {tx_table} row", seq)
            continue
        where = f"{tx_table} row {tx} ({tx_kind})"
        if expected is None:
            return Violation("transaction_entry", f"{where}: its journal entry is of kind {kind}, which moves no credits", seq)
        row = TransactionRow(
            tx_kind, code(registry_id), number(from_id), number(to_id), code(to_registry_id), quantity, ranges
        )
        found = differences(row, expected)
        if found:
            return Violation("transaction_entry", f"{where}: {'; '.join(found)}", seq)
        diff = compare_runs(stored, issuances.runs(expected.ranges))
        if diff is not None:
            pk, what = diff
            if pk is None:
                return Violation("movement", f"{where}: {what.replace('no row', f'no {mv_table} row', 1)}", seq)
            return Violation("movement", f"{mv_table} row {pk} of {where}: {what}", seq)
    return None
