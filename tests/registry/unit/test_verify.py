"""The verifier finds the first violation, from the book's own state or from a public export alone."""

import dataclasses
import io

from jcm.registry.core import BlockStatus, Checkpoint, read_jsonl, to_json_line, verify
from jcm.registry.core.journal import JournalEntry, canonical_json, entry_hash
from jcm.registry.core.serials import SerialRange as R

from .conftest import T0
from .test_ledger import issue_first_jcm


def exported(book) -> str:
    return "\n".join(to_json_line(e) for e in book.journal) + "\n"


def test_canonical_json_is_sorted_compact_and_refuses_floats():
    assert canonical_json({"b": 1, "a": "日本"}) == '{"a":"日本","b":1}'.encode()
    try:
        canonical_json({"q": 1.5})
    except Exception as exc:
        assert "float" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("float accepted")


def test_public_export_verifies_without_a_database(book):
    issue_first_jcm(book)
    book.transfer("JP-GOV", "JP-BUYER", ranges=[R(3, 8)], at=T0)
    text = exported(book)
    items = list(read_jsonl(io.StringIO(text)))
    assert verify([i for i in items if isinstance(i, JournalEntry)]) is None
    cp = Checkpoint(book.journal[-1].sequence, book.journal[-1].hash)
    assert verify(book.journal, checkpoints=[cp]) is None
    assert verify(book.journal, checkpoints=[Checkpoint(3, "f" * 64)]).code == "checkpoint"


def test_editing_an_entry_breaks_the_chain(book):
    issue_first_jcm(book)
    entries = list(book.journal)
    i = next(k for k, e in enumerate(entries) if e.kind == "issuance")
    forged = dict(entries[i].payload, quantity=32)
    entries[i] = dataclasses.replace(entries[i], payload=forged)
    v = verify(entries)
    assert v.code == "chain" and v.sequence == entries[i].sequence


def test_rehashed_forgery_is_caught_by_replay(book):
    """A forger who recomputes every hash still cannot move serials the source does not hold."""
    issue_first_jcm(book)
    entries = list(book.journal)
    prev = entries[-1]
    payload = {"from": "JP-BUYER", "to": "JP-GOV", "ranges": [[1, 3]], "date": "2026-01-15"}
    seq = prev.sequence + 1
    entries.append(
        JournalEntry(seq, "transfer", T0, payload, prev.hash, entry_hash(prev.hash, seq, "transfer", T0, payload))
    )
    v = verify(entries)
    assert v.code == "invalid_entry" and "not held" in v.message


def test_tampered_snapshot_is_reported(book):
    issue_first_jcm(book)
    snap = book.snapshot()
    blocks = sorted(snap.blocks, key=lambda b: b.start)
    # Move a block to another account without a journal entry (balances adjusted to match).
    blocks[0] = dataclasses.replace(blocks[0], account="JP-BUYER")
    snap.blocks = blocks
    snap.balances["JP-GOV"] -= 27
    snap.balances["JP-BUYER"] += 27
    v = verify(book.journal, snapshot=snap)
    assert v.code == "mismatch" and "account" in v.message


def test_double_spent_block_is_an_overlap(book):
    issue_first_jcm(book)
    snap = book.snapshot()
    snap.blocks.append(dataclasses.replace(snap.blocks[0], start=5, end=6, account="JP-BUYER"))
    snap.balances["JP-BUYER"] += 2
    assert verify(book.journal, snapshot=snap).code == "overlap"


def test_lost_credits_break_conservation_and_wrong_balance_is_named(book):
    issue_first_jcm(book)
    snap = book.snapshot()
    snap.blocks = [b for b in snap.blocks if b.start != 28]
    snap.balances["JP-MAYEKAWA"] = 0
    v = verify(book.journal, snapshot=snap)
    assert v.code == "conservation" and "issued 31" in v.message
    snap = book.snapshot()
    snap.balances["JP-GOV"] += 1
    assert verify(book.journal, snapshot=snap).code == "balance"
    snap = book.snapshot()
    snap.blocks = [dataclasses.replace(b, status=BlockStatus.RETIRED) if b.start == 1 else b for b in snap.blocks]
    assert verify(book.journal, snapshot=snap).code == "block_account"
