"""Referential integrity of the ledger rows whose references have no foreign-key constraint.

``models.LEDGER_REFERENCES`` lists them (blocks -> account/issuance/registry, transactions ->
registries/accounts, movements -> transaction/issuance). The database does not check them on write
(see the models); this check does, for ``jcm ledger verify``: one anti-join per reference.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef

from jcm.registry.core.verify import Violation
from jcm.registry.models import LEDGER_REFERENCES


def dangling_references() -> Violation | None:
    """The first ledger row that refers to a row that does not exist, or None."""
    for model_name, field, parent_name in LEDGER_REFERENCES:
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
