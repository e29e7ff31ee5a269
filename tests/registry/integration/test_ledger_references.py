"""The ledger's references without foreign-key constraints (integrity.ledger_references()) are checked by
`integrity.dangling_references` (part of `jcm ledger verify`), and on PostgreSQL their parents cannot
be deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from jcm.registry import services
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.integrity import dangling_references, ledger_references
from jcm.registry.models import Account, Block, Issuance, Movement, Transaction

from .conftest import NOW, key

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(issued):
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 7)], now=NOW)


def test_clean_ledger_has_no_dangling_reference(busy):
    assert dangling_references() is None


@pytest.mark.parametrize(
    ("model", "field"),
    [(m, f) for m, f, _ in ledger_references() if m != "Transaction" or f != "to_registry"],
)
def test_each_unconstrained_reference_is_checked(busy, model, field):
    table = {"Block": Block, "Transaction": Transaction, "Movement": Movement}[model]
    row = table.objects.filter(**{f"{field}_id__isnull": False}).order_by("pk").first()
    assert row is not None
    table.objects.filter(pk=row.pk).update(**{f"{field}_id": 987654321})
    found = dangling_references()
    assert found is not None and found.code == "reference"
    assert f"{field} 987654321 does not exist" in found.message and f"row {row.pk}" in found.message


def test_verify_ledger_reports_a_dangling_reference(busy):
    from jcm.registry.queries import verify_ledger

    Block.objects.filter(start=3).update(issuance_id=987654321)
    found = verify_ledger()
    assert found is not None and found.code == "reference"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard triggers are PostgreSQL's")
@pytest.mark.parametrize("model", [Account, Issuance, Transaction])
def test_ledger_parents_are_never_deleted(busy, model):
    row = model.objects.order_by("pk").first()
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])
    assert model.objects.filter(pk=row.pk).exists()
