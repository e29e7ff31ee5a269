"""Through the services, on the database: the Party's own authorisation date, the date a corresponding
adjustment was recorded, the identifier check at the JC-notification/issuance boundary, and the
configured allocation rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jcm.registry import queries, services
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Block, JournalEntry, Notification, Registry
from jcm.registry.queries import verify_ledger
from tests.registry.helpers import notify_and_issue

from .conftest import NOW, key

pytestmark = pytest.mark.django_db


def entries() -> int:
    return JournalEntry.objects.count()


# -- item 3: the authorisation date ----------------------------------------------------------------
def test_authorisation_records_the_partys_date(issued):
    r = services.authorise(idempotency_key=key(), account="JP-GOV", ranges=[R(1, 5)], authorisation_id="JP-LoA-7",
                           purposes=["ndc"], authorisation_date="2025-12-24", now=NOW)
    assert r.details == {"authorisation_id": "JP-LoA-7", "authorisation_date": "2025-12-24"}
    assert Block.objects.get(start=1).authorisation_date == "2025-12-24"
    assert JournalEntry.objects.get(sequence=r.sequence).payload["date"] == "2025-12-24"
    # Without a date: today (the date of ``now``), as before.
    services.authorise(idempotency_key=key(), account="JP-GOV", ranges=[R(6, 6)], authorisation_id="JP-LoA-8",
                       purposes=["oimp"], first_transfer_trigger="authorisation", now=NOW)
    b = Block.objects.get(start=6)
    assert (b.authorisation_date, b.first_transferred, b.first_transfer_date) == ("2026-03-02", True, "2026-03-02")
    assert verify_ledger() is None


@pytest.mark.parametrize(
    ("given", "reason"),
    [("2026-03-04", "authorisation_date 2026-03-04 is in the future"),
     ("2026-02-30", "is not a date; write it as YYYY-MM-DD"),
     ("2 March 2026", "is not a date; write it as YYYY-MM-DD")],
)
def test_a_future_or_unreadable_authorisation_date_is_refused_and_nothing_is_written(issued, given, reason):
    before = entries()
    with pytest.raises(InvalidInput) as err:
        services.authorise(idempotency_key=key(), account="JP-GOV", ranges=[R(1, 5)], authorisation_id="JP-LoA-7",
                           purposes=["ndc"], authorisation_date=given, now=NOW)
    assert err.value.field == "authorisation_date" and reason in str(err.value)
    assert entries() == before and not Block.objects.get(start=1).authorised


def test_tomorrow_in_utc_is_today_somewhere(issued):
    """23:00 UTC on 1 March is already 2 March in Tokyo: a Japanese authorisation of 2 March is not future."""
    late = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    services.authorise(idempotency_key=key(), account="JP-GOV", ranges=[R(1, 5)], authorisation_id="JP-LoA-7",
                       purposes=["ndc"], authorisation_date="2026-03-02", now=late)
    assert Block.objects.get(start=1).authorisation_date == "2026-03-02"


def test_corresponding_adjustment_keeps_party_year_and_the_date_it_was_recorded(issued):
    services.authorise(idempotency_key=key(), account="ID-GOV", ranges=[R(32, 37)], authorisation_id="ID-LoA-1",
                       purposes=["ndc"], authorisation_date="2026-01-20", now=NOW)
    services.international_transfer(idempotency_key=key(), from_account="ID-GOV", to_registry="JP",
                                    to_account="JP-GOV", ranges=[R(32, 34)], now=NOW)
    later = datetime(2026, 4, 15, 8, 0, tzinfo=UTC)
    services.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(32, 34)], party="ID", year=2026,
                                             now=later)
    assert Block.objects.get(start=32).adjustments == [{"party": "ID", "year": 2026, "recorded_on": "2026-04-15"}]
    found = queries.serial_lookup(33)
    assert found is not None
    b = found.block
    assert (b.authorisation_date, b.first_transfer_date, b.first_transfer_trigger) == (
        "2026-01-20", "2026-03-02", "international_transfer")
    assert b.adjustments == [{"party": "ID", "year": 2026, "recorded_on": "2026-04-15"}]
    assert verify_ledger() is None


# -- item 4: the project reference fits the unique identifier ----------------------------------------
def test_a_project_reference_that_cannot_name_a_block_is_refused_at_the_notification(registries):
    before = entries()
    with pytest.raises(InvalidInput) as err:
        services.record_jc_notification(
            idempotency_key=key(), registry="JP", reference="N-BAD", decision="D-BAD", project="ID-001",
            vintage=2015, approach="JCM_JP_ID", quantity=40, allocation=[("JP-GOV", 10000)], now=NOW)
    assert err.value.field == "project"
    assert str(err.value) == "project 'ID-001' must be upper-case letters, digits and _"
    assert entries() == before and not Notification.objects.exists()
    with pytest.raises(InvalidInput) as err:
        services.record_jc_notification(
            idempotency_key=key(), registry="JP", reference="N-BAD", decision="D-BAD", project="ID001",
            vintage=15, approach="JCM_JP_ID", quantity=40, allocation=[("JP-GOV", 10000)], now=NOW)
    assert err.value.field == "vintage"


def test_a_notification_recorded_before_the_check_is_not_issued(registries):
    """A notification row written before the boundary check existed: the issuance refuses it, naming
    the field, and writes nothing (it would otherwise issue blocks no holding or lookup could name)."""
    Notification.objects.create(
        reference="N-OLD", registry=Registry.objects.get(code="JP"), decision="D-OLD", project="ID-001",
        vintage=2015, approach="JCM_JP_ID", first_transferring_party="JP", total=10, quantity=10,
        allocation={"total": 10, "rule": "largest_remainder", "designated": "", "shares": [["JP-GOV", 10000]],
                    "resolved": [["JP-GOV", 10]], "accounts": [["JP-GOV", 10]]},
        recorded_at=NOW,
    )
    before = entries()
    with pytest.raises(InvalidInput) as err:
        services.issue(idempotency_key=key(), registry="JP", notification="N-OLD", now=NOW)
    assert err.value.field == "project"
    assert entries() == before and not Block.objects.exists()


# -- item 6: the allocation rule is a setting ------------------------------------------------------
def _notify(reference: str, quantity: int, allocation, **kw):
    return services.record_jc_notification(
        idempotency_key=key(), registry="JP", reference=reference, decision=f"D-{reference}", project="ID001",
        vintage=2015, approach="JCM_JP_ID", quantity=quantity, allocation=allocation, now=NOW, **kw)


THIRDS = [("JP-GOV", 3333), ("JP-MAYEKAWA", 3333), ("JP-BUYER", 3334)]


def test_default_rule_is_largest_remainder_and_the_public_example_holds(registries, monkeypatch):
    monkeypatch.delenv("JCM_ALLOCATION_RULE", raising=False)
    # 10 credits in thirds: floors 3/3/3, the left-over credit to the largest remainder (the third).
    assert _notify("N-T", 10, THIRDS).details["accounts"] == [["JP-GOV", 3], ["JP-MAYEKAWA", 3], ["JP-BUYER", 4]]
    assert Notification.objects.get(reference="N-T").allocation["rule"] == "largest_remainder"
    # The first JCM issuance: 40 t -> GoJ 27, Mayekawa 4, Indonesian side 9, under the default.
    for shares in ([("JP-GOV", 6750), ("JP-MAYEKAWA", 1000), ("ID", 2250)],
                   [("JP-GOV", 6700), ("JP-MAYEKAWA", 1000), ("ID", 2300)]):
        ref = f"N-40-{shares[0][1]}"
        r = _notify(ref, 40, shares)
        assert Notification.objects.get(reference=ref).allocation["resolved"] == [
            ["JP-GOV", 27], ["JP-MAYEKAWA", 4], ["ID", 9]]
        assert r.quantity == 31


def test_the_setting_changes_the_split(registries, monkeypatch):
    monkeypatch.setenv("JCM_ALLOCATION_RULE", "remainder_to_designated")
    # The left-over credit now goes to the share declared first (the Government of Japan's).
    assert _notify("N-T", 10, THIRDS).details["accounts"] == [["JP-GOV", 4], ["JP-MAYEKAWA", 3], ["JP-BUYER", 3]]
    stored = Notification.objects.get(reference="N-T").allocation
    assert (stored["rule"], stored["designated"]) == ("remainder_to_designated", "JP-GOV")
    # A rule passed in code still wins over the setting.
    r = _notify("N-U", 10, THIRDS, rule="largest_remainder")
    assert r.details["accounts"] == [["JP-GOV", 3], ["JP-MAYEKAWA", 3], ["JP-BUYER", 4]]
    # ... and the issuance issues what the notification resolved.
    services.issue(idempotency_key=key(), registry="JP", notification="N-T", now=NOW)
    assert dict(Account.objects.filter(registry__code="JP").values_list("number", "balance"))["JP-GOV"] == 4
    # The public example still holds under this rule.
    _notify("N-40", 40, [("JP-GOV", 6700), ("JP-MAYEKAWA", 1000), ("ID", 2300)])
    assert Notification.objects.get(reference="N-40").allocation["resolved"] == [
        ["JP-GOV", 27], ["JP-MAYEKAWA", 4], ["ID", 9]]


def test_the_setting_can_come_from_django_settings(registries, monkeypatch, settings):
    monkeypatch.delenv("JCM_ALLOCATION_RULE", raising=False)
    settings.JCM_ALLOCATION_RULE = "remainder_to_designated"
    assert _notify("N-T", 10, THIRDS).details["accounts"][0] == ["JP-GOV", 4]


def test_a_misconfigured_rule_is_refused_not_guessed(registries, monkeypatch):
    monkeypatch.setenv("JCM_ALLOCATION_RULE", "ceil_for_japan")
    before = entries()
    with pytest.raises(InvalidInput) as err:
        _notify("N-T", 10, THIRDS)
    assert err.value.field == "rule" and "JCM_ALLOCATION_RULE 'ceil_for_japan'" in str(err.value)
    assert entries() == before


def test_notify_and_issue_helper_still_issues_the_first_jcm_example(registries, monkeypatch):
    monkeypatch.delenv("JCM_ALLOCATION_RULE", raising=False)
    notify_and_issue(idempotency_key=key(), registry="JP", reference="X-JP", project="ID001", vintage=2015,
                     approach="JCM_JP_ID", quantity=40,
                     allocation=[("JP-GOV", 6750), ("JP-MAYEKAWA", 1000), ("ID", 2250)], now=NOW)
    balances = dict(Account.objects.values_list("number", "balance"))
    assert (balances["JP-GOV"], balances["JP-MAYEKAWA"]) == (27, 4)
