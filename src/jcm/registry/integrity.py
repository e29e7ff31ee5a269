"""Referential integrity of the ledger rows whose references have no foreign-key constraint.

``ledger_references()`` finds them from the models (every ``ForeignKey`` with
``db_constraint=False``: blocks -> account/issuance/registry, transactions -> registries/accounts,
movements -> transaction/issuance). The database does not check them on write
(see the models); this check does, for ``jcm ledger verify``: one anti-join per reference.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, ForeignKey, OuterRef

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
