"""The transaction and movement rows the public pages and the serial lookup read must be what the
journal says: editing them (even consistently with each other) makes `jcm ledger verify` fail naming
the row and what differs (``integrity.rows_against_journal``)."""

from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from jcm.registry import services
from jcm.registry.cli import app
from jcm.registry.core.article6 import Purpose
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Issuance, JournalEntry, Movement, Registry, Transaction
from jcm.registry.queries import verify_ledger

from .conftest import NOW, first_transferred_in_id_gov, key

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def busy(issued):
    """Issuances, a transfer (3-7 to JP-BUYER), an international transfer in and one out of the system,
    a transfer across two issuances, a cancellation and a retirement."""
    first_transferred_in_id_gov("ID001-2-JP")  # issues 41-100, authorises them, sends them to ID-GOV
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 7)], now=NOW)
    # ID-GOV holds 32-40 (issuance ID001-1-ID) and 41-100 (ID001-2-JP): one transfer takes from both
    services.transfer(idempotency_key=key(), from_account="ID-GOV", to_account="ID-PP", ranges=[R(35, 50)], now=NOW)
    services.create_registry(idempotency_key=key(), code="KH", party="KH", name="Cambodia", hosted=False, now=NOW)
    services.authorise(
        idempotency_key=key(), account="JP-GOV", ranges=[R(8, 10)], authorisation_id="LoA", purposes=[Purpose.NDC],
        now=NOW,
    )
    services.international_transfer(
        idempotency_key=key(), from_account="JP-GOV", to_registry="KH", to_account="KH-1", ranges=[R(8, 9)], now=NOW
    )
    services.cancel(idempotency_key=key(), from_account="JP-GOV", reason="error", ranges=[R(11, 12)], now=NOW)
    services.retire(
        idempotency_key=key(), from_account="JP-BUYER", purpose="voluntary", beneficiary="Buyer KK", quantity=2,
        now=NOW,
    )


def verify_output():
    result = runner.invoke(app, ["verify"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def fails_with(text: str) -> str:
    code, out = verify_output()
    assert code == 1, out
    assert text in out, out
    return out


def transfer_3_7() -> Transaction:
    return Transaction.objects.select_related("entry").get(kind="transfer", ranges=[[3, 7]])


def test_untouched_ledger_with_every_kind_verifies(busy):
    kinds = set(Transaction.objects.values_list("kind", flat=True))
    assert kinds == {"issuance", "transfer", "international_transfer", "cancellation", "retirement"}
    across = Transaction.objects.get(kind="transfer", ranges=[[35, 50]])
    assert list(Movement.objects.filter(transaction=across).order_by("start").values_list("start", "end")) == [
        (35, 40), (41, 50)
    ]
    assert verify_ledger() is None
    code, out = verify_output()
    assert code == 0 and "OK" in out, out


def test_ranges_and_quantity_edited_together_fail(busy):
    tx = transfer_3_7()
    Transaction.objects.filter(pk=tx.pk).update(ranges=[[3, 6]], quantity=4)
    fails_with(
        f"FAIL transaction_entry: registry_transaction row {tx.pk} (transfer): quantity 4, but its journal entry "
        f"says 5; ranges [[3, 6]], but its journal entry says [[3, 7]] (journal entry {tx.entry.sequence})"
    )
    found = verify_ledger()
    assert found is not None and (found.code, found.sequence) == ("transaction_entry", tx.entry.sequence)


def test_changed_to_account_fails(busy):
    tx = transfer_3_7()
    Transaction.objects.filter(pk=tx.pk).update(to_account=Account.objects.get(number="JP-MAYEKAWA"))
    fails_with(
        f"FAIL transaction_entry: registry_transaction row {tx.pk} (transfer): to account JP-MAYEKAWA, but its "
        f"journal entry says JP-BUYER (journal entry {tx.entry.sequence})"
    )


def test_changed_from_account_kind_and_registry_fail(busy):
    tx = transfer_3_7()
    Transaction.objects.filter(pk=tx.pk).update(from_account=Account.objects.get(number="JP-MAYEKAWA"))
    fails_with(f"row {tx.pk} (transfer): from account JP-MAYEKAWA, but its journal entry says JP-GOV")
    Transaction.objects.filter(pk=tx.pk).update(from_account=Account.objects.get(number="JP-GOV"), kind="retirement")
    fails_with(f"row {tx.pk} (retirement): kind retirement, but its journal entry says transfer")
    Transaction.objects.filter(pk=tx.pk).update(kind="transfer", registry=Registry.objects.get(code="ID"))
    fails_with(f"row {tx.pk} (transfer): registry ID, but its journal entry says JP")
    Transaction.objects.filter(pk=tx.pk).update(registry=Registry.objects.get(code="JP"))
    assert verify_output()[0] == 0


def test_export_receiver_and_issuance_rows_are_checked(busy):
    out = Transaction.objects.get(kind="international_transfer", to_registry__code="KH")
    Transaction.objects.filter(pk=out.pk).update(to_account=Account.objects.get(number="JP-BUYER"))
    fails_with(f"row {out.pk} (international_transfer): to account JP-BUYER, but its journal entry says (none)")
    Transaction.objects.filter(pk=out.pk).update(to_account=None)
    issuance = Transaction.objects.get(kind="issuance", ranges=[[41, 100]])
    Transaction.objects.filter(pk=issuance.pk).update(ranges=[[41, 99]], quantity=59)
    fails_with(f"row {issuance.pk} (issuance): quantity 59, but its journal entry says 60; ranges [[41, 99]]")


def test_deleted_movement_row_fails(busy):
    tx = transfer_3_7()
    Movement.objects.filter(transaction=tx).delete()
    fails_with(
        f"FAIL movement: registry_transaction row {tx.pk} (transfer): no registry_movement row for serials 3-7 of "
        f"issuance ID001-1-JP (journal entry {tx.entry.sequence})"
    )


def test_altered_movement_range_fails(busy):
    tx = transfer_3_7()
    m = Movement.objects.get(transaction=tx)
    Movement.objects.filter(pk=m.pk).update(end=6)
    fails_with(
        f"FAIL movement: registry_movement row {m.pk} of registry_transaction row {tx.pk} (transfer): serials 3-6 "
        f"of issuance ID001-1-JP, but its ranges give serials 3-7 of issuance ID001-1-JP "
        f"(journal entry {tx.entry.sequence})"
    )


def test_movement_moved_to_another_issuance_fails(busy):
    tx = Transaction.objects.get(kind="transfer", ranges=[[35, 50]])
    m = Movement.objects.get(transaction=tx, start=41)
    Movement.objects.filter(pk=m.pk).update(issuance=Issuance.objects.get(reference="ID001-1-ID"))
    fails_with(
        f"registry_movement row {m.pk} of registry_transaction row {tx.pk} (transfer): serials 41-50 of issuance "
        "ID001-1-ID, but its ranges give serials 41-50 of issuance ID001-2-JP"
    )


def test_added_movement_rows_fail(busy):
    tx = transfer_3_7()
    iss = Issuance.objects.get(reference="ID001-1-JP")
    extra = Movement.objects.create(transaction=tx, issuance=iss, start=20, end=22)
    fails_with(
        f"FAIL movement: registry_movement row {extra.pk} of registry_transaction row {tx.pk} (transfer): serials "
        f"20-22 of issuance ID001-1-JP, not in its ranges (journal entry {tx.entry.sequence})"
    )
    extra.delete()
    again = Movement.objects.create(transaction=tx, issuance=iss, start=3, end=7)
    fails_with(f"registry_movement row {again.pk} of registry_transaction row {tx.pk} (transfer): serials 3-7 of "
               "issuance ID001-1-JP, a second row for them")
    again.delete()
    assert verify_output()[0] == 0


def test_unlinked_and_deleted_transactions_fail(busy):
    tx = transfer_3_7()
    entry = tx.entry
    Transaction.objects.filter(pk=tx.pk).update(entry=None)
    fails_with(f"FAIL transaction_entry: registry_transaction row {tx.pk} (transfer) has no journal entry")
    Movement.objects.filter(transaction_id=tx.pk).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # past the never-deleted trigger, as someone with the database might
            cur.execute("SET LOCAL session_replication_role = replica")
    Transaction.objects.filter(pk=tx.pk).delete()
    fails_with(
        f"FAIL transaction_entry: the transfer has no registry_transaction row (journal entry {entry.sequence})"
    )


def test_transaction_linked_to_an_entry_that_moves_nothing_fails(busy):
    tx = transfer_3_7()
    entry = tx.entry
    other = JournalEntry.objects.filter(kind="authorisation").first()
    Transaction.objects.filter(pk=tx.pk).update(entry=other)
    # the transfer's entry lost its row first (journal order)
    out = fails_with("FAIL transaction_entry: ")
    first = min(entry.sequence, other.sequence)
    assert f"(journal entry {first})" in out
    if other.sequence < entry.sequence:
        assert f"row {tx.pk} (transfer): its journal entry is of kind authorisation, which moves no credits" in out
