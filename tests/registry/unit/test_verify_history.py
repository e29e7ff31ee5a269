"""The verifier, without a database, against what a reader recorded earlier: checkpoints they hold
(``trusted``) and an earlier export the journal must extend (``earlier``)."""

import dataclasses

from jcm.registry.core import Checkpoint, verify
from jcm.registry.core.journal import GENESIS_HASH, entry_hash
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.core.verify import Export, match_checkpoint

from .conftest import T0
from .test_ledger import issue_first_jcm


def rehashed(entries, *, from_sequence, occurred_at):
    """The journal with entry ``from_sequence`` re-timed and every hash from there recomputed."""
    out, prev = [], GENESIS_HASH
    for e in entries:
        if e.sequence == from_sequence:
            e = dataclasses.replace(e, occurred_at=occurred_at)
        h = entry_hash(prev, e.sequence, e.kind, e.occurred_at, e.payload)
        out.append(dataclasses.replace(e, prev_hash=prev, hash=h))
        prev = h
    return out


def test_entry_zero_is_the_empty_journal():
    assert match_checkpoint(Checkpoint(0, GENESIS_HASH), {}, code="checkpoint", what="checkpoint") is None
    v = match_checkpoint(Checkpoint(0, "a" * 64), {}, code="checkpoint", what="checkpoint")
    assert v.code == "checkpoint" and "entry 0" in v.message and "64 zeros" in v.message
    v = match_checkpoint(Checkpoint(-2, "a" * 64), {1: "b" * 64}, code="checkpoint", what="checkpoint")
    assert "never negative" in v.message
    assert verify([], checkpoints=[Checkpoint(0, GENESIS_HASH)]) is None
    assert verify([], checkpoints=[Checkpoint(1, "a" * 64)]).message.endswith("which ends at entry 0")


def test_a_journal_extends_its_own_past(book):
    issue_first_jcm(book)
    past = Export(list(book.journal), [Checkpoint(book.journal[-1].sequence, book.journal[-1].hash)])
    book.transfer("JP-GOV", "JP-BUYER", ranges=[R(3, 8)], at=T0)
    now = list(book.journal)
    assert verify(now, checkpoints=past.checkpoints, trusted=past.checkpoints, earlier=past) is None
    # the reader's checkpoint must still be published by the newer journal
    v = verify(now, earlier=past)
    assert v.code == "history" and "no longer published" in v.message


def test_rewritten_history_is_caught_only_against_the_past(book):
    issue_first_jcm(book)
    recorded = Checkpoint(book.journal[-1].sequence, book.journal[-1].hash)
    past = Export(list(book.journal), [recorded])
    book.transfer("JP-GOV", "JP-BUYER", ranges=[R(3, 8)], at=T0)
    forged = rehashed(book.journal, from_sequence=4, occurred_at="2025-12-31T00:00:00+00:00")
    reissued = [Checkpoint(recorded.sequence, forged[recorded.sequence - 1].hash)]
    assert verify(forged, checkpoints=reissued) is None
    v = verify(forged, checkpoints=reissued, trusted=[recorded])
    assert (v.code, v.sequence) == ("trusted_checkpoint", recorded.sequence) and recorded.hash in v.message
    v = verify(forged, checkpoints=reissued, earlier=past)
    assert (v.code, v.sequence) == ("history", 4)
