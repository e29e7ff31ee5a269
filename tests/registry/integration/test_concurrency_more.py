"""PostgreSQL: threads (one connection each) racing over the same blocks and accounts with
international transfers (between the hosted registries and out to one hosted elsewhere),
cancellations, retirements, Article 6 authorisations, corresponding adjustments, transfers, and
issuances of the same JC notification at once.

Every thread must finish (no hang), no call may fail with a database error (deadlock detected,
serialization failure, integrity error): only clear refusals (``LedgerError``) are allowed. No
serial is spent twice (cancelled, retired or exported by two successful calls), what the database
holds is exactly what the successful calls did, each notification is issued once, and
``verify_ledger()`` is clean afterwards.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter

import pytest
from django.db import DatabaseError, connection, transaction

from jcm.registry import services
from jcm.registry.core.article6 import Purpose
from jcm.registry.core.errors import LedgerError
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Block, Issuance, Notification
from jcm.registry.queries import verify_ledger
from tests.registry.helpers import notify_and_issue

from .conftest import NOW, first_transferred_in_id_gov, issue_first_jcm, key, setup_registries
from .test_concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcome_of(call) -> str:
    """'ok', the refusal's class name, or 'db:...' / 'exc:...' for anything that is not a refusal."""
    try:
        call()
        return "ok"
    except LedgerError as exc:
        return type(exc).__name__
    except DatabaseError as exc:  # deadlock_detected, serialization failure, integrity error...
        return f"db:{type(exc).__name__}: {exc}".strip()
    except Exception as exc:
        return f"exc:{type(exc).__name__}: {exc}"


def assert_only_refusals(outcomes: Counter[str]) -> None:
    bad = {k: v for k, v in outcomes.items() if k.startswith(("db:", "exc:"))}
    assert not bad, f"errors other than refusals: {bad}"


def serials(ranges) -> list[int]:
    return [n for s, e in ranges for n in range(s, e + 1)]


def stored(status: str) -> set[int]:
    return {n for b in Block.objects.filter(status=status) for n in range(b.start, b.end + 1)}


def notice(
    reference: str, *, registry="JP", decision=None, period=None, allocation=None, quantity=20, vintage=2016
) -> None:
    services.record_jc_notification(
        idempotency_key=key("notice"),
        registry=registry,
        reference=reference,
        decision=decision or f"D-{reference}",
        project="ID001",
        monitoring_period=period or f"P-{reference}",
        vintage=vintage,
        approach="JCM_JP_ID",
        quantity=quantity,
        allocation=allocation or [("JP-GOV", 5000), ("JP-BUYER", 5000)],
        rule="largest_remainder",
        now=NOW,
    )


# --------------------------------------------------------------------------------------------------
# Issuance


def test_one_notification_is_issued_once_however_many_ask_at_once():
    setup_registries()
    issue_first_jcm()
    notice("N-RACE")
    results = []

    def attempt(i):
        # Threads 0 and 1 retry with the same key (a replay); the others each use their own.
        k = "issue-same-key" if i < 2 else f"issue-{i}"

        def call():
            results.append(services.issue(idempotency_key=k, registry="JP", notification="N-RACE", now=NOW))

        yield outcome_of(call)

    outcomes = run_threads(8, attempt)
    assert_only_refusals(outcomes)
    executed = [r for r in results if not r.replayed]
    assert len(executed) == 1, outcomes
    # The other caller with the winning key (if it was the same-key pair) got a replay, everyone else a refusal.
    assert outcomes["ok"] == len(results) and outcomes["NotificationConsumed"] == 8 - len(results)
    assert all(r.sequence == executed[0].sequence for r in results)
    assert Issuance.objects.filter(reference="N-RACE").count() == 1
    assert Notification.objects.get(reference="N-RACE").issuance.reference == "N-RACE"
    assert sum(b.end - b.start + 1 for b in Block.objects.filter(issuance__reference="N-RACE")) == 20
    assert verify_ledger() is None


def test_issuances_of_different_notifications_at_once_get_disjoint_serials():
    setup_registries()
    for i in range(8):
        notice(f"N-{i}", quantity=7 + i, vintage=2016 + i % 3)

    def attempt(i):
        yield outcome_of(
            lambda: services.issue(idempotency_key=f"issue-{i}", registry="JP", notification=f"N-{i}", now=NOW)
        )

    outcomes = run_threads(8, attempt)
    assert outcomes == Counter({"ok": 8})
    spans = sorted(Issuance.objects.values_list("serial_start", "serial_end"))
    assert spans[0][0] == 1 and all(a[1] + 1 == b[0] for a, b in itertools.pairwise(spans))
    assert spans[-1][1] == sum(7 + i for i in range(8))
    assert verify_ledger() is None


DUPLICATE = "registry_one_notification_per_decision_and_side"


def test_the_same_jc_decision_notified_at_once_is_recorded_once():
    """Threads (with different references and keys) record the JC's same decision for the same
    registry, project and period: exactly one notification is recorded."""
    setup_registries()

    def attempt(i):
        yield outcome_of(lambda: notice(f"N-DUP-{i}", decision="D-SAME", period="2016-01-01/2016-07-01"))

    outcomes = run_threads(8, attempt)
    # The losers of the race are refused clearly (InvalidInput), never with the unique index's error.
    assert_only_refusals(outcomes)
    assert not any(DUPLICATE in k for k in outcomes), outcomes
    assert outcomes["ok"] == 1 and outcomes["InvalidInput"] == 7, outcomes
    assert Notification.objects.filter(decision="D-SAME").count() == 1
    assert verify_ledger() is None


def _second_while_first_uncommitted(first, second) -> str:
    """Run ``first`` in a transaction kept open for a moment while ``second`` runs in another
    thread (past its existence checks, it then waits on the unique index); ``second``'s outcome."""
    started, result = threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                first()
                started.set()
                time.sleep(1.0)
        finally:
            connection.close()

    def race():
        try:
            started.wait(10)
            result.append(outcome_of(second))
        finally:
            connection.close()

    threads = [threading.Thread(target=hold), threading.Thread(target=race)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
        assert not t.is_alive()
    return result[0]


def test_a_duplicate_notification_racing_the_first_is_refused_clearly():
    setup_registries()
    outcome = _second_while_first_uncommitted(
        lambda: notice("N-A", decision="D-SAME", period="2016-01-01/2016-07-01"),
        lambda: notice("N-B", decision="D-SAME", period="2016-01-01/2016-07-01"),
    )
    assert outcome == "InvalidInput", outcome
    assert Notification.objects.filter(decision="D-SAME").count() == 1


def test_an_account_opened_twice_at_once_is_refused_clearly():
    setup_registries()
    outcome = _second_while_first_uncommitted(
        lambda: services.open_account(
            idempotency_key="open-a", registry="JP", number="JP-NEW", kind="entity_holding", now=NOW
        ),
        lambda: services.open_account(
            idempotency_key="open-b", registry="JP", number="JP-NEW", kind="entity_holding", now=NOW
        ),
    )
    assert outcome == "InvalidInput", outcome
    assert Account.objects.filter(number="JP-NEW").count() == 1
    assert verify_ledger() is None


def test_a_registry_created_twice_at_once_is_refused_clearly():
    outcome = _second_while_first_uncommitted(
        lambda: services.create_registry(idempotency_key="reg-a", code="KH", party="KH", name="Cambodia", now=NOW),
        lambda: services.create_registry(idempotency_key="reg-b", code="KH", party="KH", name="Cambodia", now=NOW),
    )
    assert outcome == "InvalidInput", outcome
    assert verify_ledger() is None


# --------------------------------------------------------------------------------------------------
# Article 6


def test_authorising_the_same_serials_at_once_authorises_them_once():
    setup_registries()
    issue_first_jcm()
    wins = []

    def attempt(i):
        lo = 1 + 2 * i  # overlapping ranges, each with its own letter of authorisation
        rs = [R(lo, lo + 6)]

        def call():
            services.authorise(
                idempotency_key=f"auth-{i}", account="JP-GOV", ranges=rs, authorisation_id=f"LoA-{i}",
                purposes=[Purpose.NDC], now=NOW,
            )
            wins.append((f"LoA-{i}", rs[0]))

        yield outcome_of(call)

    outcomes = run_threads(8, attempt)
    assert_only_refusals(outcomes)
    assert outcomes["ok"] >= 1
    assert set(outcomes) <= {"ok", "Article6Error", "SerialsNotHeld"}, outcomes
    # Each serial is authorised under the one letter whose call succeeded for it.
    expected = {n: loa for loa, r in wins for n in range(r.start, r.end + 1)}
    assert len(expected) == sum(r.quantity for _, r in wins), "two successful authorisations share serials"
    got = {n: b.authorisation_id for b in Block.objects.filter(authorised=True) for n in range(b.start, b.end + 1)}
    assert got == expected
    assert verify_ledger() is None


def test_adjustments_racing_movements_of_the_same_blocks():
    """Corresponding adjustments (which lock the blocks' holders, then the blocks, and split them) against transfers,
    retirements and international transfers of the same first-transferred blocks."""
    setup_registries()
    issue_first_jcm()
    first_transferred_in_id_gov("N-MORE")  # ID-GOV holds 41-100, first transferred
    retired: list[list[list[int]]] = []

    def worker(i):
        rnd = random.Random(1000 + i)
        for n in range(20):
            lo = rnd.randint(41, 100)
            rs = [R(lo, min(100, lo + rnd.randint(0, 3)))]
            op = "adjust" if i % 2 == 0 else ["retire", "international", "transfer"][n % 3]
            party, qty = rnd.choice(["JP", "ID", "KH", "TH"]), rnd.randint(1, 4)

            def call(op=op, k=f"w{i}-{n}", rs=rs, party=party, qty=qty):
                if op == "adjust":
                    services.record_corresponding_adjustment(
                        idempotency_key=k, ranges=rs, party=party, year=2026, now=NOW
                    )
                elif op == "retire":
                    r = services.retire(
                        idempotency_key=k, from_account="ID-GOV", purpose="ndc", ndc_party="JP", beneficiary="x",
                        ranges=rs, now=NOW,
                    )
                    retired.append(r.ranges)
                elif op == "international":
                    services.international_transfer(
                        idempotency_key=k, from_account="ID-GOV", to_registry="JP", to_account="JP-BUYER",
                        ranges=rs, now=NOW,
                    )
                elif qty % 2:  # the PostgreSQL fast path, by serials or by quantity
                    services.transfer(idempotency_key=k, from_account="ID-GOV", to_account="ID-PP", ranges=rs, now=NOW)
                else:
                    services.transfer(idempotency_key=k, from_account="ID-GOV", to_account="ID-PP", quantity=qty, now=NOW)

            yield outcome_of(call)

    outcomes = run_threads(8, worker)
    assert_only_refusals(outcomes)
    assert outcomes["ok"] > 0
    retired_serials = [n for rs in retired for n in serials(rs)]
    assert len(retired_serials) == len(set(retired_serials)), "a serial was retired twice"
    assert stored("retired") == set(retired_serials)
    assert verify_ledger() is None


# --------------------------------------------------------------------------------------------------
# Everything at once


def test_everything_at_once_never_double_spends_or_deadlocks():
    setup_registries()
    services.create_registry(idempotency_key=key(), code="KH", party="KH", name="Cambodia", hosted=False, now=NOW)
    issue_first_jcm()  # JP 1-31 (GOV 1-27, MAYEKAWA 28-31), ID 32-40 (ID-GOV)
    notify_and_issue(
        idempotency_key=key(), registry="JP", reference="N-JP2", allocation=[("JP-GOV", 5000), ("JP-BUYER", 5000)],
        project="ID001", vintage=2014, approach="JCM_JP_ID", quantity=60, now=NOW,
    )  # 41-100
    notify_and_issue(
        idempotency_key=key(), registry="ID", reference="N-ID2", allocation=[("ID-GOV", 5000), ("ID-PP", 5000)],
        project="ID001", vintage=2016, approach="JCM_JP_ID", quantity=60, now=NOW,
    )  # 101-160
    for account, rs in [("JP-GOV", R(1, 20)), ("JP-BUYER", R(71, 100)), ("ID-GOV", R(101, 130))]:
        services.authorise(
            idempotency_key=key(), account=account, ranges=[rs], authorisation_id=f"LoA-{account}",
            purposes=[Purpose.NDC, Purpose.OIMP], now=NOW,
        )
    total = sum(Account.objects.values_list("balance", flat=True))
    holding = {"JP": ["JP-GOV", "JP-MAYEKAWA", "JP-BUYER"], "ID": ["ID-GOV", "ID-PP"]}
    done: dict[str, list[list[int]]] = {"cancel": [], "retire": [], "export": []}

    def worker(i):
        rnd = random.Random(i)
        for n in range(30):
            reg = rnd.choice(["JP", "ID"])
            other = "ID" if reg == "JP" else "JP"
            src = rnd.choice(holding[reg])
            op = rnd.choice(["transfer", "international", "export", "cancel", "retire", "authorise", "adjust"])
            # Mostly serials the source holds right now (as a client would see them, unlocked: others
            # may take them first), preferring authorised ones for moves abroad; else anywhere.
            blocks = Block.objects.filter(account__number=src, status="held")
            if op in ("international", "export", "adjust"):
                blocks = blocks.filter(authorised=True) or blocks
            blocks = list(blocks.values_list("start", "end"))
            if blocks and rnd.random() < 0.8:
                start, end = rnd.choice(blocks)
                lo = rnd.randint(start, end)
                hi = min(end, lo + rnd.randint(0, 5))
            else:
                lo = rnd.randint(1, 160)
                hi = min(160, lo + rnd.randint(0, 5))
            rs = [R(lo, hi)] if rnd.random() < 0.7 else None
            qty = None if rs else rnd.randint(1, 6)
            k = f"w{i}-{n}"

            def call(op=op, src=src, rs=rs, qty=qty, k=k, reg=reg, other=other, lo=lo):
                if op == "transfer":
                    dst = rnd.choice([a for a in holding[reg] if a != src])
                    services.transfer(
                        idempotency_key=k, from_account=src, to_account=dst, ranges=rs, quantity=qty, now=NOW
                    )
                elif op == "international":
                    services.international_transfer(
                        idempotency_key=k, from_account=src, to_registry=other, to_account=rnd.choice(holding[other]),
                        ranges=rs, quantity=qty, now=NOW,
                    )
                elif op == "export":
                    r = services.international_transfer(
                        idempotency_key=k, from_account=src, to_registry="KH", to_account="KH-GOV", ranges=rs,
                        quantity=qty, now=NOW,
                    )
                    done["export"].append(r.ranges)
                elif op == "cancel":
                    r = services.cancel(
                        idempotency_key=k, from_account=src, reason="race", ranges=rs, quantity=qty, now=NOW
                    )
                    done["cancel"].append(r.ranges)
                elif op == "retire":
                    r = services.retire(
                        idempotency_key=k, from_account=src, purpose="voluntary", beneficiary="x", ranges=rs,
                        quantity=qty, now=NOW,
                    )
                    done["retire"].append(r.ranges)
                elif op == "authorise":
                    services.authorise(
                        idempotency_key=k, account=src, ranges=rs or [R(lo, lo)], authorisation_id=f"LoA-{i}",
                        purposes=[Purpose.NDC], now=NOW,
                    )
                else:
                    services.record_corresponding_adjustment(
                        idempotency_key=k, ranges=rs or [R(lo, lo)], party=rnd.choice(["JP", "ID"]), year=2026,
                        now=NOW,
                    )

            yield f"{op}:{outcome_of(call)}"

    outcomes = run_threads(8, worker)
    assert_only_refusals(Counter({k.split(":", 1)[1]: v for k, v in outcomes.items()}))
    for op in ("transfer", "international", "export", "cancel", "retire", "authorise"):
        assert outcomes[f"{op}:ok"] > 0, f"no {op} went through: {outcomes}"
    # No serial spent twice; the database holds exactly what the successful calls did.
    spent = [n for rs_list in done.values() for rs in rs_list for n in serials(rs)]
    assert len(spent) == len(set(spent)), "a serial was cancelled, retired or exported twice"
    for op, status in (("cancel", "cancelled"), ("retire", "retired"), ("export", "exported")):
        assert stored(status) == {n for rs in done[op] for n in serials(rs)}, op
    held = sum(Account.objects.filter(kind__in=["government_holding", "entity_holding"]).values_list("balance", flat=True))
    assert held + len(stored("cancelled")) + len(stored("retired")) + len(stored("exported")) == total == 160
    assert verify_ledger() is None
