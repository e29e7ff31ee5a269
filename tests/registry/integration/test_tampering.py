"""Tampering with stored rows makes `jcm ledger verify` fail, naming the violation; the public
export verifies without the database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jcm.registry import services
from jcm.registry.cli import app
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Account, Block, Checkpoint, JournalEntry, JournalHead, Transaction
from jcm.registry.queries import verify_ledger

from .conftest import NOW, key

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def busy(issued):
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 7)], now=NOW)
    services.create_checkpoint(now=NOW)


def verify_output():
    result = runner.invoke(app, ["verify"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_clean_ledger_verifies(busy):
    code, out = verify_output()
    assert code == 0, out
    assert "OK" in out


def test_edited_journal_payload_fails(busy):
    e = JournalEntry.objects.get(kind="transfer")
    e.payload = {**e.payload, "to": "JP-MAYEKAWA"}
    e.save()
    code, out = verify_output()
    assert code == 1 and "chain" in out and f"entry {e.sequence}" in out


def test_moved_block_row_fails(busy):
    Block.objects.filter(start=3).update(account=Account.objects.get(number="JP-MAYEKAWA"))
    code, out = verify_output()
    assert code == 1 and "balance" in out


def test_block_row_moved_with_matching_balances_is_still_caught(busy):
    Block.objects.filter(start=3).update(account=Account.objects.get(number="JP-MAYEKAWA"))
    Account.objects.filter(number="JP-BUYER").update(balance=0)
    Account.objects.filter(number="JP-MAYEKAWA").update(balance=9)
    code, out = verify_output()
    assert code == 1 and "mismatch" in out and "3-7" in out


def test_forged_checkpoint_fails(busy):
    Checkpoint.objects.update(hash="0" * 64)
    code, out = verify_output()
    assert code == 1 and "checkpoint" in out


def test_export_verifies_offline_and_detects_edits(busy, tmp_path):
    path = tmp_path / "journal.jsonl"
    assert runner.invoke(app, ["export", str(path)]).exit_code == 0
    result = runner.invoke(app, ["verify", "--export", str(path)])
    assert result.exit_code == 0, result.output
    lines = path.read_text().splitlines()
    i = next(n for n, line in enumerate(lines) if '"kind":"transfer"' in line)
    lines[i] = lines[i].replace('"to":"JP-BUYER"', '"to":"JP-MAYEKAWA"')
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["verify", "--export", str(path)])
    assert result.exit_code == 1 and "chain" in result.output


def test_transaction_quantity_that_is_not_its_ranges_fails(busy):
    """``Transaction.quantity`` is derivable (the serials in its ``ranges``): verify recomputes it."""
    tx = Transaction.objects.select_related("entry").get(kind="transfer")
    Transaction.objects.filter(pk=tx.pk).update(quantity=6)
    code, out = verify_output()
    assert code == 1, out
    assert f"FAIL transaction_quantity: registry_transaction row {tx.pk} (transfer): quantity 6, but its ranges " \
           f"[[3, 7]] hold 5 credits (journal entry {tx.entry.sequence})" in out
    found = verify_ledger()
    assert (found.code, found.sequence) == ("transaction_quantity", tx.entry.sequence)
    Transaction.objects.filter(pk=tx.pk).update(quantity=5)
    assert verify_output()[0] == 0


def test_transaction_ranges_that_are_not_ranges_fail(busy):
    tx = Transaction.objects.get(kind="transfer")
    Transaction.objects.filter(pk=tx.pk).update(ranges=[[7, 3]])
    code, out = verify_output()
    assert code == 1 and f"row {tx.pk} (transfer): quantity 5, but its ranges [[7, 3]] are not serial ranges" in out


def test_dangling_reference_fails_the_command_too(busy):
    """The command runs the stored rows' checks (``integrity.check_rows``) as ``verify_ledger`` does."""
    Block.objects.filter(start=3).update(issuance_id=987654321)
    code, out = verify_output()
    assert code == 1 and "FAIL reference: registry_block row 3: issuance 987654321 does not exist" in out


def test_journal_head_that_is_not_the_last_entry_fails(busy):
    """The head is derivable from the last entry (its sequence, hash and the hash it chained to)."""
    last = JournalEntry.objects.order_by("-sequence").first()
    JournalHead.objects.filter(pk=1).update(hash="f" * 64)
    code, out = verify_output()
    assert code == 1, out
    assert f"FAIL journal_head: registry_journalhead is at {last.sequence} {'f' * 64}" in out
    JournalHead.objects.filter(pk=1).update(hash=last.hash, prev_hash="e" * 64)
    assert verify_ledger().code == "journal_head"
    JournalHead.objects.filter(pk=1).update(prev_hash=last.prev_hash)
    assert verify_output()[0] == 0
