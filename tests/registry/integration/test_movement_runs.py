"""A transfer records one movement per contiguous run of one issuance's serials: pieces of adjacent
blocks merge (on SQLite through the services, on PostgreSQL through the fast path as well)."""

from __future__ import annotations

import pytest

from jcm.registry import services
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Block, Movement, Transaction
from jcm.registry.queries import serial_lookup, verify_ledger

from .conftest import NOW, key

pytestmark = pytest.mark.django_db


def _two_adjacent_blocks_in_buyer() -> None:
    # JP-GOV holds the first 27 serials of the JP issuance: send 3-5 and then 6-7 separately, so the
    # buyer holds two adjacent blocks of one issuance.
    for rng in (R(3, 5), R(6, 7)):
        services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[rng], now=NOW)
    assert list(Block.objects.filter(account__number="JP-BUYER").values_list("start", "end")) == [(3, 5), (6, 7)]


@pytest.mark.parametrize("how", ["quantity", "ranges"])
def test_adjacent_pieces_make_one_movement(issued, how):
    _two_adjacent_blocks_in_buyer()
    request = {"quantity": 5} if how == "quantity" else {"ranges": [R(4, 7)]}
    result = services.transfer(
        idempotency_key=key(), from_account="JP-BUYER", to_account="JP-MAYEKAWA", now=NOW, **request
    )
    tx = Transaction.objects.get(pk=result.transaction)
    expected = (3, 7) if how == "quantity" else (4, 7)
    assert list(Movement.objects.filter(transaction=tx).values_list("start", "end")) == [expected]
    assert tx.quantity == expected[1] - expected[0] + 1
    # the lookup still finds every step of a serial of either former block
    for serial in (expected[0], 7):
        found = serial_lookup(serial)
        assert found is not None and found.block.account == "JP-MAYEKAWA"
        assert [(st.kind, st.to_account) for st in found.history][-2:] == [
            ("transfer", "JP-BUYER"),
            ("transfer", "JP-MAYEKAWA"),
        ]
    assert verify_ledger() is None
