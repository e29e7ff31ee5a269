"""Integrity of the stored ledger rows that the journal replay does not compare (``check_rows``, part
of ``jcm ledger verify`` on the database, before the chain and the invariants):

* references without a foreign-key constraint: ``ledger_references()`` finds them from the models
  (every ``ForeignKey`` with ``db_constraint=False``: blocks -> account/issuance/registry,
  transactions -> registries/accounts, movements -> transaction/issuance). The database does not
  check them on write (see the models); ``dangling_references`` does: one anti-join per reference.
* stored values that can be derived from others: ``Transaction.quantity`` is the number of serials
  in the transaction's ``ranges`` (``misstated_quantities``: one pass over the transactions).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, ForeignKey, OuterRef

from jcm.registry.core.errors import LedgerError
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


def check_rows() -> Violation | None:
    """The first violation of the stored rows' own integrity (dangling references, then misstated
    quantities), or None."""
    return dangling_references() or misstated_quantities()
