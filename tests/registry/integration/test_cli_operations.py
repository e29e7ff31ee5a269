"""`jcm ledger` reads and operations: run as a named user, checked like the API, idempotent."""

from __future__ import annotations

import pytest

from jcm.registry.models import Account, JournalEntry
from jcm.registry.queries import verify_ledger
from tests.registry.cli_helpers import error, ledger, ok_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(registry_people):
    return registry_people


def balance(number: str) -> int:
    return Account.objects.get(number=number).balance


def test_manager_transfers_and_retires(people):
    moved = ok_json("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "5", "--as", "manager")
    assert moved["operation"] == "transfer" and moved["ranges"] == [[1, 5]] and moved["idempotency_key"]
    assert balance("JP-GOV") == 22 and balance("JP-BUYER") == 5
    retired = ok_json("retire", "--from", "JP-GOV", "--range", "6-7", "--range", "9-9", "--purpose", "voluntary",
                      "--beneficiary", "Government of Japan", "--as", "manager")
    assert retired["quantity"] == 3 and retired["details"]["retirement"].startswith("RET-")
    assert balance("JP-RETIRE") == 3
    # The table form names the operation and the key.
    table = ledger("cancel", "--from", "JP-GOV", "--quantity", "1", "--reason", "error", "--as", "manager",
                   "--idempotency-key", "c-1")
    assert table.exit_code == 0, table.output
    assert "cancel" in table.stdout and "c-1" in table.stdout
    assert verify_ledger() is None


def test_holder_transfers_own_credits_only(people):
    ok_json("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "5", "--as", "manager")
    mine = ok_json("transfer", "--from", "JP-BUYER", "--to", "JP-MAYEKAWA", "--range", "1-2", "--as", "holder")
    assert mine["ranges"] == [[1, 2]] and balance("JP-BUYER") == 3
    theirs = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "1", "--as", "holder")
    assert theirs.exit_code == 1 and error(theirs).startswith("error: as: ")
    # Cancelling is the registry manager's alone, even from the holder's own account.
    cancel = ledger("cancel", "--from", "JP-BUYER", "--quantity", "1", "--reason", "x", "--as", "holder")
    assert cancel.exit_code == 1 and "registry manager" in cancel.stderr
    assert verify_ledger() is None


def test_stranger_is_refused_and_nothing_moves(people):
    before = JournalEntry.objects.count()
    for args in (
        ["transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "5"],
        ["retire", "--from", "JP-GOV", "--quantity", "1", "--purpose", "voluntary", "--beneficiary", "x"],
        ["open-account", "--registry", "JP", "--number", "JP-NEW", "--kind", "entity_holding"],
        ["international-transfer", "--from", "JP-GOV", "--to-registry", "ID", "--to", "ID-GOV", "--quantity", "1"],
    ):
        result = ledger(*args, "--as", "stranger")
        assert result.exit_code == 1, result.output
        assert error(result).startswith("error: as: 'stranger'"), result.stderr
    assert ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "1", "--as", "nobody").exit_code == 1
    assert JournalEntry.objects.count() == before and balance("JP-GOV") == 27
    assert verify_ledger() is None


def test_replaying_a_key_does_not_move_twice(people):
    args = ["transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "4", "--as", "manager",
            "--idempotency-key", "op-1"]
    first = ok_json(*args)
    again = ok_json(*args)
    assert first["replayed"] is False and again["replayed"] is True and again["sequence"] == first["sequence"]
    assert balance("JP-BUYER") == 4
    # The same key for a different request is refused, naming the key.
    other = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--range", "10-10", "--as", "manager",
                   "--idempotency-key", "op-1")
    assert other.exit_code == 1 and error(other).startswith("error: idempotency-key: ")
    # Without a key one is generated and printed.
    fresh = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "1", "--as", "manager")
    assert fresh.exit_code == 0 and "idempotency key: " in fresh.stderr


def test_domain_errors_go_to_stderr(people):
    result = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--quantity", "500", "--as", "manager")
    assert result.exit_code == 1 and error(result).startswith("error: quantity: ")
    result = ledger("transfer", "--from", "JP-NOPE", "--to", "JP-BUYER", "--quantity", "1", "--as", "manager")
    assert result.exit_code == 1 and error(result).startswith("error: from: no account 'JP-NOPE'")


def test_lookup_shows_history_and_reads(people):
    ok_json("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--range", "3-7", "--as", "manager")
    found = ok_json("lookup", "5")
    assert found["block"]["account"] == "JP-BUYER"
    assert [s["kind"] for s in found["history"]] == ["issuance", "transfer"]
    table = ledger("lookup", "5")
    assert table.exit_code == 0 and "JP-BUYER" in table.stdout and "transfer" in table.stdout
    assert ledger("lookup", "999").exit_code == 1
    accounts = ok_json("accounts", "JP")
    assert {a["number"]: a["balance"] for a in accounts}["JP-BUYER"] == 5
    assert ok_json("holdings", "JP-BUYER")["balance"] == 5
    assert ok_json("summary", "JP")["issued"] == 31
    assert ledger("summary", "XX").exit_code == 1


@pytest.mark.parametrize("bad", ["5", "a-b", "7-3", "0-2", "-"])
def test_bad_range_is_a_usage_error(people, bad):
    result = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--range", bad, "--as", "manager")
    assert result.exit_code == 2, result.output
    assert balance("JP-GOV") == 27


def test_range_and_quantity_together_is_a_usage_error(people):
    result = ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--range", "1-2", "--quantity", "2",
                    "--as", "manager")
    assert result.exit_code == 2
    assert ledger("transfer", "--from", "JP-GOV", "--to", "JP-BUYER", "--as", "manager").exit_code == 2


def test_manager_authorises_and_transfers_abroad(people):
    auth = ok_json("authorise", "--account", "JP-GOV", "--range", "1-3", "--authorisation-id", "JP-A6-1",
                   "--purpose", "ndc", "--as", "manager")
    assert auth["operation"] == "authorise"
    abroad = ok_json("international-transfer", "--from", "JP-GOV", "--to-registry", "ID", "--to", "ID-GOV",
                     "--range", "1-3", "--as", "manager")
    assert abroad["quantity"] == 3 and balance("JP-GOV") == 24
    assert ledger("authorise", "--account", "JP-GOV", "--authorisation-id", "x", "--purpose", "ndc",
                  "--as", "manager").exit_code == 2  # ranges are required
    assert verify_ledger() is None


def test_manager_suspends_reopens_and_closes(people):
    suspended = ok_json("suspend-account", "JP-MAYEKAWA", "--as", "manager", "--idempotency-key", "s-1")
    assert suspended["details"] == {"account": "JP-MAYEKAWA", "status": "suspended"}
    assert ok_json("suspend-account", "JP-MAYEKAWA", "--as", "manager", "--idempotency-key", "s-1")["replayed"] is True
    refused = ledger("transfer", "--from", "JP-MAYEKAWA", "--to", "JP-BUYER", "--quantity", "1", "--as", "manager")
    # On the option that names the suspended account (the core says which one: the source).
    assert refused.exit_code == 1 and error(refused).startswith("error: from: "), refused.stderr
    assert Account.objects.get(number="JP-MAYEKAWA").status == "suspended" and balance("JP-MAYEKAWA") == 4
    assert ok_json("reopen-account", "JP-MAYEKAWA", "--as", "manager")["details"]["status"] == "open"
    ok_json("transfer", "--from", "JP-MAYEKAWA", "--to", "JP-GOV", "--quantity", "1", "--as", "manager")
    # Closing an account that still holds credits is refused; an empty one closes.
    full = ledger("close-account", "JP-MAYEKAWA", "--as", "manager")
    assert full.exit_code == 1 and error(full).startswith("error: account: "), full.stderr
    assert ok_json("close-account", "JP-BUYER", "--as", "manager")["details"]["status"] == "closed"
    assert Account.objects.get(number="JP-BUYER").status == "closed"
    back = ledger("reopen-account", "JP-BUYER", "--as", "manager")
    assert back.exit_code == 1 and error(back).startswith("error: account: ")
    assert ledger("suspend-account", "JP-NOPE", "--as", "manager").exit_code == 1
    assert verify_ledger() is None


def test_holder_and_stranger_cannot_change_status(people):
    before = JournalEntry.objects.count()
    for cmd in ("suspend-account", "reopen-account", "close-account"):
        for who in ("holder", "stranger"):
            result = ledger(cmd, "JP-BUYER", "--as", who)
            assert result.exit_code == 1, result.output
            assert error(result).startswith(f"error: as: '{who}' is not a registry manager of JP"), result.stderr
    assert JournalEntry.objects.count() == before and Account.objects.get(number="JP-BUYER").status == "open"


def test_corresponding_adjustment_after_authorisation(people):
    # Before the first transfer, the ledger refuses.
    ok_json("authorise", "--account", "JP-GOV", "--range", "1-3", "--authorisation-id", "JP-A6-1",
            "--purpose", "ndc", "--as", "manager")
    early = ledger("corresponding-adjustment", "--range", "1-3", "--party", "JP", "--year", "2026", "--as", "manager")
    assert early.exit_code == 1 and error(early).startswith("error: range: "), early.stderr
    ok_json("international-transfer", "--from", "JP-GOV", "--to-registry", "ID", "--to", "ID-GOV",
            "--range", "1-3", "--as", "manager")
    for who in ("holder", "stranger"):
        refused = ledger("corresponding-adjustment", "--range", "1-3", "--party", "JP", "--year", "2026", "--as", who)
        assert refused.exit_code == 1 and error(refused).startswith(f"error: as: '{who}'"), refused.stderr
    done = ok_json("corresponding-adjustment", "--range", "1-3", "--party", "JP", "--year", "2026",
                   "--as", "manager", "--idempotency-key", "ca-1")
    assert done["operation"] == "record_corresponding_adjustment" and done["quantity"] == 3
    assert done["details"] == {"party": "JP", "year": 2026}
    again = ok_json("corresponding-adjustment", "--range", "1-3", "--party", "JP", "--year", "2026",
                    "--as", "manager", "--idempotency-key", "ca-1")
    assert again["replayed"] is True and again["sequence"] == done["sequence"]
    nowhere = ledger("corresponding-adjustment", "--range", "1-3", "--party", "XX", "--year", "2026",
                     "--as", "manager")
    assert nowhere.exit_code == 1 and error(nowhere).startswith("error: party: ")
    assert ledger("corresponding-adjustment", "--party", "JP", "--year", "2026", "--as", "manager").exit_code == 2
    assert verify_ledger() is None


def test_holdings_as_a_user(people):
    assert ok_json("holdings", "JP-BUYER", "--as", "holder")["account"] == "JP-BUYER"
    assert ok_json("holdings", "JP-GOV", "--as", "manager")["balance"] == 27
    for account in ("JP-BUYER", "JP-GOV"):
        result = ledger("holdings", account, "--as", "stranger")
        assert result.exit_code == 1 and error(result).startswith("error: as: 'stranger' may not see"), result.stderr
        assert result.stdout == ""
    theirs = ledger("holdings", "JP-GOV", "--as", "holder")
    assert theirs.exit_code == 1
    assert ledger("holdings", "JP-BUYER", "--as", "nobody").exit_code == 1
