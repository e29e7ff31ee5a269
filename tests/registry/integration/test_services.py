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
    r = services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=6, now=NOW)
    assert r.ranges == [[1, 4], [10, 11]]
    assert held("JP-BUYER") == [(1, 4), (5, 9), (10, 11)]
    assert balances()["JP-BUYER"] == 11
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
        and block.adjustments == [{"party": "ID", "year": 2026}]
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
