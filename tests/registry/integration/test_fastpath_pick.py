"""PostgreSQL: the fast path reads an oldest-first transfer's blocks under the source account's lock
without locking the blocks, which is sound because every change to a block is made under the lock of
the account holding it. A corresponding adjustment names serials, not an account: it locks their
holders first, and when a block has moved to another account while it waited, it locks that one too.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from jcm.registry import locks, services
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Block
from jcm.registry.queries import verify_ledger

from .conftest import NOW, first_transferred_in_id_gov, issue_first_jcm, key, setup_registries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return int(cur.fetchone()[0])


def test_an_adjustment_waits_for_the_holders_lock_and_follows_a_block_that_moved():
    setup_registries()
    issue_first_jcm()
    first_transferred_in_id_gov("N-PICK")  # ID-GOV holds [41, 100], first transferred
    outcome: dict[str, object] = {}

    def adjust() -> None:
        try:
            outcome["result"] = services.record_corresponding_adjustment(
                idempotency_key=key(), ranges=[R(41, 45)], party="JP", year=2026, now=NOW
            )
        except Exception as exc:  # reported by the assertions below
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        locks.lock_accounts(["ID-GOV"])  # a transfer from ID-GOV in flight
        worker = threading.Thread(target=adjust)
        worker.start()
        deadline = time.monotonic() + 30
        while not _waiting_for_a_lock():  # the adjustment waits for ID-GOV, before any block
            assert time.monotonic() < deadline, "the adjustment never waited for the holder"
            time.sleep(0.02)
        assert not Block.objects.filter(start__gte=41, start__lte=45).exclude(start=41).exists()
        # The transfer (the fast path, within this transaction) moves 41-45 to ID-PP meanwhile.
        moved = services.transfer(
            idempotency_key=key(), from_account="ID-GOV", to_account="ID-PP", ranges=[R(41, 45)], now=NOW
        )
        assert moved.ranges == [[41, 45]]
    worker.join(timeout=60)
    assert not worker.is_alive(), "the adjustment hung"
    assert "error" not in outcome, outcome.get("error")
    rows = list(Block.objects.filter(start__gte=41).order_by("start").values_list("start", "end", "account__number"))
    assert rows == [(41, 45, "ID-PP"), (46, 100, "ID-GOV")]
    adjusted = Block.objects.get(start=41)
    assert [a["party"] for a in adjusted.adjustments] == ["JP"]
    assert Block.objects.get(start=46).adjustments == []
    assert verify_ledger() is None
