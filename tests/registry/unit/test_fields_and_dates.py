"""Core checks that name the field they refuse: identifier elements at the issuance boundary, the
Party's authorisation date, the allocation rule; and which input any refusal is about."""

from __future__ import annotations

from datetime import date

import pytest

from jcm.registry.core import Event
from jcm.registry.core.allocation import AllocationRule, parse_rule
from jcm.registry.core.article6 import (
    NOT_AUTHORISED,
    CorrespondingAdjustment,
    FirstTransferTrigger,
    Purpose,
    add_corresponding_adjustment,
    authorise,
    first_transfer,
    parse_date,
)
from jcm.registry.core.checks import NOT_OPEN, refusal_field
from jcm.registry.core.errors import (
    AccountNotOpen,
    Article6Error,
    IdempotencyConflict,
    InsufficientHoldings,
    InvalidInput,
    UnknownObject,
)
from jcm.registry.core.identifiers import check_elements
from jcm.registry.core.messages import Message
from jcm.registry.core.serials import SerialRange as R

from .conftest import T0

GOOD = dict(approach="JCM_JP_ID", registry="JP", first_transferring_party="JP", project="ID001", vintage=2015)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("project", "ID-001"),  # "-" separates the identifier's fields
        ("project", "id001"),
        ("project", ""),
        ("approach", "JCM JP ID"),
        ("registry", "J-P"),
        ("first_transferring_party", "JPN"),
        ("vintage", 15),
        ("vintage", True),
    ],
)
def test_identifier_elements_are_refused_naming_the_field(field, value):
    with pytest.raises(InvalidInput) as err:
        check_elements(**{**GOOD, field: value})
    assert err.value.field == field
    assert field in str(err.value)


def test_good_identifier_elements_pass():
    check_elements(**GOOD)


def test_dates_parse_strictly_and_name_the_field():
    assert parse_date("2025-12-01", field="authorisation_date") == "2025-12-01"
    assert parse_date(date(2025, 12, 1), field="authorisation_date", not_after=date(2025, 12, 1)) == "2025-12-01"
    for bad in ("2025-13-01", "01/12/2025", "20251201", "", None, 20251201):
        with pytest.raises(InvalidInput) as err:
            parse_date(bad, field="authorisation_date")
        assert err.value.field == "authorisation_date" and "YYYY-MM-DD" in str(err.value)
    with pytest.raises(InvalidInput) as err:
        parse_date("2025-12-02", field="authorisation_date", not_after=date(2025, 12, 1))
    assert err.value.field == "authorisation_date"
    assert str(err.value) == "authorisation_date 2025-12-02 is in the future"


def test_authorisation_keeps_the_partys_date_and_first_transfer_on_authorisation_takes_it():
    s = authorise(NOT_AUTHORISED, authorisation_id="LoA-1", date="2025-06-30", purposes=(Purpose.OIMP,),
                  trigger=FirstTransferTrigger.AUTHORISATION)
    assert (s.authorisation_date, s.first_transferred, s.first_transfer_date) == ("2025-06-30", True, "2025-06-30")
    with pytest.raises(InvalidInput) as err:
        authorise(NOT_AUTHORISED, authorisation_id="LoA-1", date="30.6.2025", purposes=(Purpose.NDC,),
                  trigger=FirstTransferTrigger.INTERNATIONAL_TRANSFER)
    assert err.value.field == "authorisation_date"


def test_corresponding_adjustment_keeps_party_year_and_recorded_date():
    s = first_transfer(
        authorise(NOT_AUTHORISED, authorisation_id="LoA-1", date="2025-06-30", purposes=(Purpose.NDC,),
                  trigger=FirstTransferTrigger.INTERNATIONAL_TRANSFER),
        date="2025-07-01",
    )
    s = add_corresponding_adjustment(s, party="JP", year=2025, recorded_on="2026-01-10")
    s = add_corresponding_adjustment(s, party="ID", year=2025)  # older entries: no date
    assert s.adjustments == (CorrespondingAdjustment("ID", 2025, ""), CorrespondingAdjustment("JP", 2025, "2026-01-10"))
    assert s.to_json()["adjustments"] == [
        {"party": "ID", "year": 2025},
        {"party": "JP", "year": 2025, "recorded_on": "2026-01-10"},
    ]
    with pytest.raises(Article6Error) as err:
        add_corresponding_adjustment(s, party="JP", year=2026, recorded_on="2026-01-11")
    assert err.value.field == "party"
    with pytest.raises(Article6Error) as err:
        add_corresponding_adjustment(NOT_AUTHORISED, party="JP", year=2026)
    assert err.value.field == "ranges"


def test_journal_replay_keeps_the_recorded_date_and_accepts_entries_without_it(book):
    book.issue("I-1", registry="ID", quantity=10, shares=[("ID-GOV", 10000)], approach="JCM_JP_ID",
               first_transferring_party="ID", project="ID001", vintage=2015, at=T0)
    book.authorise("ID-GOV", ranges=[R(1, 10)], authorisation_id="LoA-1", purposes=[Purpose.NDC], at=T0)
    book.international_transfer("ID-GOV", to_registry="JP", to="JP-GOV", ranges=[R(1, 10)], at=T0)
    book.record(Event("corresponding_adjustment", {"ranges": [[1, 4]], "party": "ID", "year": 2026,
                                                   "date": "2026-02-01"}), at=T0)
    book.record(Event("corresponding_adjustment", {"ranges": [[5, 10]], "party": "ID", "year": 2026}), at=T0)
    assert book.state.block_at(1).a6.adjustments == (CorrespondingAdjustment("ID", 2026, "2026-02-01"),)
    assert book.state.block_at(5).a6.adjustments == (CorrespondingAdjustment("ID", 2026, ""),)
    assert book.verify() is None


def test_the_allocation_rule_is_parsed_with_a_clear_error():
    assert parse_rule(" remainder_to_designated ") is AllocationRule.REMAINDER_TO_DESIGNATED
    with pytest.raises(InvalidInput) as err:
        parse_rule("largest", source="JCM_ALLOCATION_RULE")
    assert err.value.field == "rule" and "JCM_ALLOCATION_RULE 'largest' is not an allocation rule" in str(err.value)


def test_which_input_a_refusal_is_about():
    assert refusal_field(InvalidInput("x", field="project")) == "project"
    # Re-raised from SQL (the fast path) with the template but no field: recovered from the template.
    assert refusal_field(AccountNotOpen(Message(NOT_OPEN["destination"], number="JP-B", status="closed"))) == (
        "to_account"
    )
    assert refusal_field(AccountNotOpen(Message(NOT_OPEN["source"], number="JP-A", status="closed"))) == (
        "from_account"
    )
    assert refusal_field(InsufficientHoldings("account JP-GOV holds 3 credits, 5 requested")) == "quantity"
    assert refusal_field(IdempotencyConflict("key used")) == "idempotency_key"
    assert refusal_field(UnknownObject("account 'X' does not exist")) == ""
