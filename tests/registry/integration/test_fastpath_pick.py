"""PostgreSQL: the fast path chooses an oldest-first transfer's blocks from unlocked reads, then locks
them and checks they did not change meanwhile. A block split while the transfer waited for its lock
(what a corresponding adjustment over part of it does) is chosen again, from the rows as they are
after the split: the stale copy is never written back."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from django.db import connection, transaction

from jcm.registry import services
from jcm.registry.models import Block

from .conftest import NOW, issue_first_jcm, key, setup_registries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return int(cur.fetchone()[0])


def test_a_block_split_while_the_transfer_waits_is_chosen_again():
    setup_registries()
    issue_first_jcm()  # JP-GOV holds [1, 27]
    outcome: dict[str, object] = {}

    def transfer() -> None:
        try:
            outcome["result"] = services.transfer(
                idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=5, now=NOW
            )
        except Exception as exc:  # reported by the assertions below
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT start FROM registry_block WHERE start = 1 FOR UPDATE")
        worker = threading.Thread(target=transfer)
        worker.start()
        deadline = time.monotonic() + 30
        while not _waiting_for_a_lock():  # it chose [1, 27] and waits for it
            assert time.monotonic() < deadline, "the transfer never waited for the block"
            time.sleep(0.02)
        # Split [1, 27] into [1, 3] and [4, 27] in the same account, as an adjustment over 1-3 would.
        with connection.cursor() as cur:
            cur.execute(
                """INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id,
                       status, authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                       first_transferred, first_transfer_date, adjustments)
                   SELECT 4, 27, issuance_id, registry_id, vintage, account_id, status, authorised, purposes,
                       authorisation_id, authorisation_date, first_transfer_trigger, first_transferred,
                       first_transfer_date, adjustments
                   FROM registry_block WHERE start = 1"""
            )
            cur.execute('UPDATE registry_block SET "end" = 3 WHERE start = 1')
    worker.join(timeout=60)
    assert not worker.is_alive(), "the transfer hung"
    assert "error" not in outcome, outcome.get("error")
    # Chosen again: the smallest block now holding 5 is [4, 27]; [1, 3] was not overwritten.
    assert outcome["result"].ranges == [[4, 8]]
    rows = list(Block.objects.filter(start__lte=40).order_by("start").values_list("start", "end", "account__number"))
    assert rows[:3] == [(1, 3, "JP-GOV"), (4, 8, "JP-BUYER"), (9, 27, "JP-GOV")]
    for (_, end, _), (start, _, _) in itertools.pairwise(rows):
        assert end < start, rows
