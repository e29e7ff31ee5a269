"""An international transfer to a registry hosted elsewhere names no account of ours as receiver,
even when the account number on the other system equals one here (found by the services state machine)."""

from __future__ import annotations

import pytest

from jcm.registry import services
from jcm.registry.core.article6 import Purpose
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Block, Transaction
from jcm.registry.queries import verify_ledger

from .conftest import NOW, key

pytestmark = pytest.mark.django_db


def test_export_to_a_registry_hosted_elsewhere_has_no_local_receiver(issued):
    services.create_registry(idempotency_key=key(), code="KH", party="KH", name="Cambodia", hosted=False, now=NOW)
    services.authorise(
        idempotency_key=key(), account="JP-GOV", ranges=[R(1, 3)], authorisation_id="LoA", purposes=[Purpose.NDC],
        now=NOW,
    )
    r = services.international_transfer(
        idempotency_key=key(), from_account="JP-GOV", to_registry="KH", to_account="JP-BUYER", ranges=[R(1, 3)],
        now=NOW,
    )
    tx = Transaction.objects.get(pk=r.transaction)
    assert tx.to_registry.code == "KH"
    assert tx.to_account is None  # was JP-BUYER: the account page of JP-BUYER listed the export as incoming
    assert not Transaction.objects.filter(to_account__number="JP-BUYER").exists()
    assert Block.objects.get(start=1).status == "exported"
    assert verify_ledger() is None
