"""The registry's operations through the services, on the database."""

from __future__ import annotations

import pytest

from jcm.audit.models import AuditEvent
from jcm.registry import services
from jcm.registry.core.article6 import Purpose
from jcm.registry.core.errors import (
    AccountNotOpen,
    IdempotencyConflict,
    InsufficientHoldings,
    SerialsNotHeld,
    UnauthorisedInternationalTransfer,
    WrongRegistry,
)
from jcm.registry.core.model import RetirementPurpose
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Block, JournalEntry, RetirementRecord
from jcm.registry.queries import verify_ledger

from .conftest import NOW, key

pytestmark = pytest.mark.django_db


def balances():
    return dict(Account.objects.values_list("number", "balance"))


def held(number):
    return list(
        Block.objects.filter(account__number=number, status="held").order_by("start").values_list("start", "end")
    )


def test_first_jcm_issuance_splits_40_into_27_4_9_across_both_registries(issued):
    b = balances()
    assert (b["JP-GOV"], b["JP-MAYEKAWA"], b["ID-GOV"]) == (27, 4, 9)
    assert held("JP-GOV") == [(1, 27)] and held("JP-MAYEKAWA") == [(28, 31)] and held("ID-GOV") == [(32, 40)]
    assert verify_ledger() is None


def test_transfer_by_range_then_oldest_first(issued):
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(5, 9)], now=NOW)
    assert held("JP-GOV") == [(1, 4), (10, 27)]
    # Oldest vintage first, from the fewest blocks: the smallest block that holds all 6 gives its head.
    r = services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=6, now=NOW)
    assert r.ranges == [[10, 15]]
    assert held("JP-GOV") == [(1, 4), (16, 27)]
    # No block holds 14: the largest goes whole (12), then the smallest that holds the last 2.
    r = services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=14, now=NOW)
    assert r.ranges == [[1, 2], [16, 27]]
    assert held("JP-GOV") == [(3, 4)]
    assert held("JP-BUYER") == [(1, 2), (5, 9), (10, 15), (16, 27)]
    assert balances()["JP-BUYER"] == 25
    assert verify_ledger() is None


def test_refusals(issued):
    with pytest.raises(InsufficientHoldings):
        services.transfer(idempotency_key=key(), from_account="JP-MAYEKAWA", to_account="JP-BUYER", quantity=5, now=NOW)
    with pytest.raises(SerialsNotHeld):
        services.transfer(
            idempotency_key=key(), from_account="JP-MAYEKAWA", to_account="JP-BUYER", ranges=[R(1, 2)], now=NOW
        )
    with pytest.raises(WrongRegistry):
        services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="ID-PP", ranges=[R(1, 2)], now=NOW)
    with pytest.raises(UnauthorisedInternationalTransfer):
        services.international_transfer(
            idempotency_key=key(),
            from_account="ID-GOV",
            to_registry="JP",
            to_account="JP-GOV",
            ranges=[R(32, 33)],
            now=NOW,
        )
    services.suspend_account(idempotency_key=key(), account="JP-BUYER", now=NOW)
    with pytest.raises(AccountNotOpen):
        services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=1, now=NOW)
    services.close_account(idempotency_key=key(), account="JP-BUYER", now=NOW)
    with pytest.raises(AccountNotOpen, match="closed"):
        services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=1, now=NOW)
    assert balances()["JP-GOV"] == 27
    assert verify_ledger() is None


def test_idempotency_replay_and_conflict(issued):
    k = key()
    first = services.transfer(idempotency_key=k, from_account="JP-GOV", to_account="JP-BUYER", quantity=3, now=NOW)
    again = services.transfer(idempotency_key=k, from_account="JP-GOV", to_account="JP-BUYER", quantity=3, now=NOW)
    assert again.replayed and again.sequence == first.sequence and again.ranges == first.ranges
    assert balances()["JP-BUYER"] == 3
    with pytest.raises(IdempotencyConflict):
        services.transfer(idempotency_key=k, from_account="JP-GOV", to_account="JP-BUYER", quantity=4, now=NOW)


def test_refused_operation_writes_nothing(issued):
    entries, events = JournalEntry.objects.count(), AuditEvent.objects.count()
    k = key()
    with pytest.raises(InsufficientHoldings):
        services.transfer(idempotency_key=k, from_account="JP-GOV", to_account="JP-BUYER", quantity=99, now=NOW)
    assert (JournalEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)
    # The key was not consumed: the corrected request goes through.
    services.transfer(idempotency_key=k, from_account="JP-GOV", to_account="JP-BUYER", quantity=2, now=NOW)


def test_article6_international_transfer_and_corresponding_adjustment(issued):
    services.authorise(
        idempotency_key=key(),
        account="ID-GOV",
        ranges=[R(32, 36)],
        authorisation_id="ID-LoA-1",
        purposes=[Purpose.NDC],
        now=NOW,
    )
    r = services.international_transfer(
        idempotency_key=key(), from_account="ID-GOV", to_registry="JP", to_account="JP-GOV", ranges=[R(32, 34)], now=NOW
    )
    assert r.details["first_transferred"] == [[32, 34]]
    services.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(32, 34)], party="ID", year=2026, now=NOW)
    block = Block.objects.get(start=32)
    assert (
        block.account.number == "JP-GOV"
        and block.first_transferred
        and block.adjustments == [{"party": "ID", "year": 2026, "recorded_on": "2026-03-02"}]
    )
    assert balances()["ID-GOV"] == 6 and balances()["JP-GOV"] == 30
    assert verify_ledger() is None


def test_retirement_record_and_cancellation(issued):
    r = services.retire(
        idempotency_key=key(),
        from_account="JP-GOV",
        purpose=RetirementPurpose.NDC,
        ndc_party="JP",
        beneficiary="Government of Japan",
        quantity=10,
        now=NOW,
    )
    rec = RetirementRecord.objects.get(number=r.details["retirement"])
    assert rec.quantity == 10 and rec.identifiers == ["JCM_JP_ID-JP-JP-ID001-2015-1-10"]
    services.cancel(
        idempotency_key=key(), from_account="JP-GOV", reason="issuance correction", ranges=[R(11, 11)], now=NOW
    )
    with pytest.raises(SerialsNotHeld):
        services.transfer(
            idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(10, 11)], now=NOW
        )
    assert balances()["JP-RETIRE"] == 10 and balances()["JP-CANCEL"] == 1
    assert AuditEvent.objects.filter(action="registry.retirement").count() == 1
    assert verify_ledger() is None


def test_serial_lookup_shows_every_step(issued):
    from jcm.registry.queries import serial_lookup

    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(5, 9)], now=NOW)
    services.transfer(
        idempotency_key=key(), from_account="JP-BUYER", to_account="JP-MAYEKAWA", ranges=[R(7, 7)], now=NOW
    )
    found = serial_lookup(7)
    assert found.block.account == "JP-MAYEKAWA" and found.block.start == found.block.end == 7
    assert [(s.kind, s.from_account, s.to_account) for s in found.history] == [
        ("issuance", None, None),
        ("transfer", "JP-GOV", "JP-BUYER"),
        ("transfer", "JP-BUYER", "JP-MAYEKAWA"),
    ]
    assert [s.kind for s in serial_lookup(8).history] == ["issuance", "transfer"]
    assert serial_lookup(41) is None


# -- issuance executes a JC notification, exactly and once ------------------------------------------
def _notify(reference="N-2", registry="JP", decision="JC-ID-2017-01", quantity=10, allocation=None, **kw):
    return services.record_jc_notification(
        idempotency_key=key("notice"), registry=registry, reference=reference, decision=decision,
        project="ID001", monitoring_period="2016-01-01/2017-01-01", vintage=2016, approach="JCM_JP_ID",
        quantity=quantity, allocation=allocation or [("JP-GOV", 7000), ("JP-BUYER", 3000)], now=NOW, **kw,
    )


def test_issuance_needs_an_open_notification_of_that_registry_and_consumes_it(issued):
    from jcm.registry.core.errors import NotificationConsumed, UnknownObject
    from jcm.registry.models import Issuance, Notification

    before = balances()
    with pytest.raises(UnknownObject, match="JC notification 'N-NONE' does not exist"):
        services.issue(idempotency_key=key(), registry="JP", notification="N-NONE", now=NOW)
    noted = _notify()
    assert noted.quantity == 10 and noted.details["accounts"] == [["JP-GOV", 7], ["JP-BUYER", 3]]
    with pytest.raises(WrongRegistry, match="addressed to registry JP, not ID"):
        services.issue(idempotency_key=key(), registry="ID", notification="N-2", now=NOW)
    assert balances() == before
    k = key()
    done = services.issue(idempotency_key=k, registry="JP", notification="N-2", reference="ID001-2-JP", now=NOW)
    assert done.quantity == 10 and done.ranges == [[41, 50]] and done.details["notification"] == "N-2"
    assert balances()["JP-GOV"] == before["JP-GOV"] + 7 and balances()["JP-BUYER"] == 3
    # a replay with the same key returns the original result; any other request is refused
    again = services.issue(idempotency_key=k, registry="JP", notification="N-2", reference="ID001-2-JP", now=NOW)
    assert again.replayed and again.ranges == done.ranges
    with pytest.raises(NotificationConsumed, match="N-2 was already executed by issuance ID001-2-JP"):
        services.issue(idempotency_key=key(), registry="JP", notification="N-2", reference="ID001-3-JP", now=NOW)
    assert Issuance.objects.filter(reference="ID001-3-JP").count() == 0
    n = Notification.objects.get(reference="N-2")
    assert n.status == "issued" and n.issuance.reference == "ID001-2-JP"
    # the journal names the notification and the JC decision of every issuance
    entries = JournalEntry.objects.filter(kind="issuance").order_by("sequence")
    assert [e.payload["notification"] for e in entries] == ["N-ID001-1-JP", "N-ID001-1-ID", "N-2"]
    assert entries.last().payload["decision"] == "JC-ID-2017-01"
    assert verify_ledger() is None


def test_one_notification_per_decision_and_side_and_clear_refusals(issued):
    from jcm.registry.core.errors import InvalidInput, UnknownObject

    _notify()
    with pytest.raises(InvalidInput, match="JC decision JC-ID-2017-01 already notified registry JP"):
        _notify(reference="N-3")
    with pytest.raises(InvalidInput, match="already recorded"):
        _notify(decision="JC-OTHER")
    with pytest.raises(WrongRegistry, match="account ID-GOV is in registry ID"):
        _notify(reference="N-4", decision="JC-X", allocation=[("ID-GOV", 10000)])
    with pytest.raises(UnknownObject, match="NOPE"):
        _notify(reference="N-4", decision="JC-X", allocation=[("NOPE", 10000)])
    with pytest.raises(InvalidInput, match="no credits to accounts of registry JP"):
        _notify(reference="N-4", decision="JC-X", allocation=[("ID", 10000)])
    # the other side's notification of the same decision is its own record
    _notify(reference="N-2-ID", registry="ID", allocation=[("JP", 7000), ("ID-GOV", 3000)])
    assert verify_ledger() is None


def test_a_forged_issuance_without_notification_fails_verification(issued):
    from jcm.registry.core.journal import JournalEntry as Entry
    from jcm.registry.core.journal import entry_hash
    from jcm.registry.core.verify import verify
    from jcm.registry.values import iter_entries

    entries = list(iter_entries())
    prev = entries[-1]
    payload = dict(next(e for e in entries if e.kind == "issuance").payload)
    payload.update(issuance="FORGED", allocations=[{"account": "JP-GOV", "start": 41, "end": 50}], quantity=10)
    for notification in (None, "N-ID001-1-JP"):  # none, or one already consumed
        p = {k: v for k, v in payload.items() if k != "notification"}
        if notification:
            p["notification"] = notification
        seq = prev.sequence + 1
        forged = Entry(seq, "issuance", prev.occurred_at, p, prev.hash,
                       entry_hash(prev.hash, seq, "issuance", prev.occurred_at, p))
        v = verify([*entries, forged])
        assert v is not None and v.code == "invalid_entry", v
    assert "already executed" in v.message


# -- idempotency keys are scoped per actor -----------------------------------------------------------
@pytest.mark.parametrize("fast", [True, False], ids=["fast path if PostgreSQL", "python path"])
def test_idempotency_keys_are_per_actor(issued, fast):
    from contextlib import nullcontext

    from django.contrib.auth import get_user_model

    from jcm.registry import fastpath
    from jcm.registry.models import IdempotencyKey

    alice = get_user_model().objects.create_user("alice", password="x")
    bob = get_user_model().objects.create_user("bob", password="x")
    with nullcontext() if fast else fastpath.disabled():
        a = services.transfer(idempotency_key="same", from_account="JP-GOV", to_account="JP-BUYER", quantity=2,
                              actor=alice, now=NOW)
        # Bob's request under the same key is his own: neither a replay of Alice's nor a conflict with it
        b = services.transfer(idempotency_key="same", from_account="JP-GOV", to_account="JP-BUYER", quantity=3,
                              actor=bob, now=NOW)
        assert not b.replayed and b.ranges == [[3, 5]]
        # the system (no actor) has its own scope too
        c = services.cancel(idempotency_key="same", from_account="JP-GOV", reason="test", quantity=1, now=NOW)
        assert not c.replayed and c.ranges == [[6, 6]]
        assert services.transfer(idempotency_key="same", from_account="JP-GOV", to_account="JP-BUYER", quantity=2,
                                 actor=alice, now=NOW).replayed
        with pytest.raises(IdempotencyConflict, match="'same' was already used for a different transfer request"):
            services.transfer(idempotency_key="same", from_account="JP-GOV", to_account="JP-BUYER", quantity=4,
                              actor=alice, now=NOW)
    assert a.ranges == [[1, 2]]
    assert sorted(IdempotencyKey.objects.filter(key="same").values_list("scope", flat=True)) == [
        "", f"u{alice.pk}", f"u{bob.pk}"]
    assert verify_ledger() is None


@pytest.mark.parametrize("fast", [True, False], ids=["fast path if PostgreSQL", "python path"])
def test_audit_events_of_movements_are_labelled_with_their_journal_sequence(issued, fast):
    from contextlib import nullcontext

    from jcm.registry import fastpath

    with nullcontext() if fast else fastpath.disabled():
        t = services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=2, now=NOW)
        c = services.cancel(idempotency_key=key(), from_account="JP-GOV", reason="test", quantity=1, now=NOW)
    labels = dict(AuditEvent.objects.filter(action__in=["registry.transfer", "registry.cancellation"])
                  .values_list("action", "target_label"))
    assert labels == {"registry.transfer": f"transfer #{t.sequence}",
                      "registry.cancellation": f"cancellation #{c.sequence}"}
    assert not AuditEvent.objects.filter(target_label__contains="None").exists()
