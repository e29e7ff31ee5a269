"""Behaviour of the pure ledger: what a registry manager or holder would see."""

import pytest

from jcm.registry.core import AccountStatus, BlockStatus, FirstTransferTrigger, Purpose, RetirementPurpose
from jcm.registry.core.errors import (
    AccountNotOpen,
    Article6Error,
    InsufficientHoldings,
    SerialsNotHeld,
    UnauthorisedInternationalTransfer,
    WrongAccountKind,
    WrongRegistry,
)
from jcm.registry.core.serials import SerialRange as R

from .conftest import T0


def issue_first_jcm(book):
    """The JP side's 31 credits (27 GoJ + 4 Mayekawa) and the ID side's 9, from one 40 t decision."""
    book.issue(
        "ID001-MP1-JP",
        registry="JP",
        quantity=31,
        shares=[("JP-GOV", 8710), ("JP-MAYEKAWA", 1290)],
        approach="JCM_JP_ID",
        first_transferring_party="JP",
        project="ID001",
        vintage=2015,
        at=T0,
    )
    book.issue(
        "ID001-MP1-ID",
        registry="ID",
        quantity=9,
        shares=[("ID-GOV", 10000)],
        approach="JCM_JP_ID",
        first_transferring_party="ID",
        project="ID001",
        vintage=2015,
        at=T0,
    )


def held(book, account):
    return [(b.start, b.end) for b in book.state.account_blocks(account) if b.status is BlockStatus.HELD]


def test_issuance_gives_each_side_its_own_consecutive_serials(book):
    issue_first_jcm(book)
    assert held(book, "JP-GOV") == [(1, 27)]
    assert held(book, "JP-MAYEKAWA") == [(28, 31)]
    assert held(book, "ID-GOV") == [(32, 40)]
    assert book.state.balances["JP-GOV"] == 27
    assert book.verify() is None


def test_partial_transfer_splits_the_block_and_keeps_the_lowest_piece_under_its_key(book):
    issue_first_jcm(book)
    book.transfer("JP-GOV", "JP-BUYER", ranges=[R(10, 14)], at=T0)
    assert held(book, "JP-GOV") == [(1, 9), (15, 27)]
    assert held(book, "JP-BUYER") == [(10, 14)]
    assert book.state.balances == {**book.state.balances, "JP-GOV": 22, "JP-BUYER": 5}
    assert book.verify() is None


def test_oldest_vintage_first(book):
    book.issue(
        "B",
        registry="JP",
        quantity=5,
        shares=[("JP-GOV", 10000)],
        approach="JCM_JP_ID",
        first_transferring_party="JP",
        project="ID002",
        vintage=2020,
        at=T0,
    )
    book.issue(
        "A",
        registry="JP",
        quantity=5,
        shares=[("JP-GOV", 10000)],
        approach="JCM_JP_ID",
        first_transferring_party="JP",
        project="ID001",
        vintage=2016,
        at=T0,
    )
    entry = book.transfer("JP-GOV", "JP-BUYER", quantity=7, at=T0)
    assert entry.payload["ranges"] == [[1, 2], [6, 10]]  # 2016's 6-10 first, then 2020's 1-2
    with pytest.raises(InsufficientHoldings):
        book.transfer("JP-GOV", "JP-BUYER", quantity=4, at=T0)


def test_refusals_name_the_reason_and_change_nothing(book):
    issue_first_jcm(book)
    before = (dict(book.state.balances), len(book.journal))
    with pytest.raises(SerialsNotHeld, match="28-31"):
        book.transfer("JP-GOV", "JP-BUYER", ranges=[R(20, 31)], at=T0)
    with pytest.raises(WrongRegistry):
        book.transfer("JP-GOV", "ID-PP", ranges=[R(1, 2)], at=T0)
    with pytest.raises(WrongAccountKind):
        book.transfer("JP-GOV", "JP-RETIRE", ranges=[R(1, 2)], at=T0)
    book.set_status("JP-BUYER", AccountStatus.SUSPENDED, at=T0)
    with pytest.raises(AccountNotOpen, match="suspended"):
        book.transfer("JP-GOV", "JP-BUYER", ranges=[R(1, 2)], at=T0)
    book.set_status("JP-BUYER", AccountStatus.CLOSED, at=T0)
    with pytest.raises(AccountNotOpen, match="closed"):
        book.transfer("JP-GOV", "JP-BUYER", ranges=[R(1, 2)], at=T0)
    assert dict(book.state.balances) == before[0]
    assert book.verify() is None


def test_retired_and_cancelled_credits_never_move_again(book):
    issue_first_jcm(book)
    book.retire(
        "JP-GOV",
        to="JP-RETIRE",
        purpose=RetirementPurpose.NDC,
        ndc_party="JP",
        beneficiary="Japan",
        retirement="R-1",
        ranges=[R(1, 5)],
        at=T0,
    )
    book.cancel("JP-GOV", to="JP-CANCEL", reason="correction", ranges=[R(6, 6)], at=T0)
    for serials in (R(1, 1), R(6, 6)):
        with pytest.raises(SerialsNotHeld):
            book.transfer("JP-GOV", "JP-BUYER", ranges=[serials], at=T0)
    with pytest.raises(WrongAccountKind):
        book.transfer("JP-RETIRE", "JP-BUYER", ranges=[R(1, 1)], at=T0)
    assert book.verify() is None


def test_international_transfer_requires_authorisation_and_records_first_transfer(book):
    issue_first_jcm(book)
    with pytest.raises(UnauthorisedInternationalTransfer):
        book.international_transfer("ID-GOV", to_registry="JP", to="JP-GOV", ranges=[R(32, 35)], at=T0)
    book.authorise("ID-GOV", ranges=[R(32, 37)], authorisation_id="ID-LoA-1", purposes=[Purpose.NDC], at=T0)
    with pytest.raises(Article6Error):
        book.corresponding_adjustment(ranges=[R(32, 35)], party="ID", year=2026, at=T0)
    entry = book.international_transfer("ID-GOV", to_registry="JP", to="JP-GOV", ranges=[R(32, 35)], at=T0)
    assert entry.payload["first_transferred"] == [[32, 35]]
    book.corresponding_adjustment(ranges=[R(32, 35)], party="ID", year=2026, at=T0)
    book.corresponding_adjustment(ranges=[R(32, 35)], party="JP", year=2026, at=T0)
    moved = book.state.block_at(33)
    assert moved is not None and moved.account == "JP-GOV" and moved.a6.first_transferred
    assert [a.party for a in moved.a6.adjustments] == ["ID", "JP"]
    # A second international transfer is not a first transfer.
    again = book.international_transfer("JP-GOV", to_registry="ID", to="ID-PP", ranges=[R(32, 33)], at=T0)
    assert again.payload["first_transferred"] == []
    assert book.verify() is None


def test_first_transfer_on_use_for_oimp(book):
    issue_first_jcm(book)
    book.authorise(
        "JP-GOV",
        ranges=[R(1, 3)],
        authorisation_id="JP-A6-7",
        purposes=[Purpose.OIMP],
        trigger=FirstTransferTrigger.USE,
        at=T0,
    )
    entry = book.retire(
        "JP-GOV",
        to="JP-RETIRE",
        purpose=RetirementPurpose.OMGE,
        beneficiary="Airline",
        retirement="R-2",
        ranges=[R(1, 2)],
        at=T0,
    )
    assert entry.payload["first_transferred"] == [[1, 2]]
    assert book.verify() is None


def test_export_to_a_registry_on_another_system_counts_as_moved_out(book):
    book.create_registry("SG", party="SG", hosted=False, at=T0)
    issue_first_jcm(book)
    book.authorise("JP-GOV", ranges=[R(1, 10)], authorisation_id="JP-A6-1", purposes=[Purpose.NDC], at=T0)
    book.international_transfer("JP-GOV", to_registry="SG", to="SG-ACCT-9", ranges=[R(1, 10)], at=T0)
    assert book.state.block_at(5).status is BlockStatus.EXPORTED
    assert book.state.block_at(5).account is None
    assert book.verify() is None


def test_closing_an_account_that_holds_credits_is_refused(book):
    issue_first_jcm(book)
    with pytest.raises(Exception, match="still holds 4"):
        book.set_status("JP-MAYEKAWA", AccountStatus.CLOSED, at=T0)
