"""PostgreSQL: many threads fighting over the same blocks never double-spend and never deadlock."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from django.db import OperationalError, connection

from jcm.registry import services
from jcm.registry.core.errors import LedgerError
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Block
from jcm.registry.queries import verify_ledger

from .conftest import NOW, issue_first_jcm, setup_registries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_threads(n, target):
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def runner(i):
        try:
            barrier.wait()
            for outcome in target(i):
                with lock:
                    outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), "a thread hung (deadlock?)"
    return outcomes


def test_same_serials_are_spent_exactly_once():
    setup_registries()
    issue_first_jcm()

    def attempt(i):
        dest = "JP-BUYER" if i % 2 else "JP-MAYEKAWA"
        try:
            services.transfer(
                idempotency_key=f"race-{i}", from_account="JP-GOV", to_account=dest, ranges=[R(1, 5)], now=NOW
            )
            yield "ok"
        except LedgerError as exc:
            yield type(exc).__name__

    outcomes = run_threads(8, attempt)
    assert outcomes["ok"] == 1
    assert outcomes["SerialsNotHeld"] == 7
    assert Account.objects.get(number="JP-GOV").balance == 22
    assert verify_ledger() is None


def test_random_crossing_transfers_never_deadlock_or_double_spend():
    setup_registries()
    issue_first_jcm()
    jp = ["JP-GOV", "JP-MAYEKAWA", "JP-BUYER"]

    def worker(i):
        rnd = random.Random(i)
        for n in range(25):
            src, dst = rnd.sample(jp, 2)
            try:
                if rnd.random() < 0.1:
                    services.retire(
                        idempotency_key=f"w{i}-{n}",
                        from_account=src,
                        purpose="voluntary",
                        beneficiary="x",
                        quantity=1,
                        now=NOW,
                    )
                elif rnd.random() < 0.5:
                    services.transfer(
                        idempotency_key=f"w{i}-{n}",
                        from_account=src,
                        to_account=dst,
                        quantity=rnd.randint(1, 6),
                        now=NOW,
                    )
                else:
                    lo = rnd.randint(1, 31)
                    services.transfer(
                        idempotency_key=f"w{i}-{n}",
                        from_account=src,
                        to_account=dst,
                        ranges=[R(lo, min(31, lo + rnd.randint(0, 4)))],
                        now=NOW,
                    )
                yield "ok"
            except LedgerError as exc:
                yield type(exc).__name__
            except OperationalError as exc:  # a deadlock would surface here
                yield f"db:{exc}"

    outcomes = run_threads(8, worker)
    assert not [k for k in outcomes if k.startswith("db:")], outcomes
    assert outcomes["ok"] > 0
    held = sum(Account.objects.filter(registry__code="JP").values_list("balance", flat=True))
    assert held == 31
    assert sum(b.end - b.start + 1 for b in Block.objects.filter(registry__code="JP")) == 31
    assert verify_ledger() is None
