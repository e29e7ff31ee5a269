"""The invariant verifier: plain values in, the first violation (or None) out.

Checks, in this order, stopping at the first violation:

1. ``chain`` — entries are numbered 1, 2, 3 ... without gaps; each ``prev_hash`` is the previous
   entry's hash (64 zeros for the first); each ``hash`` recomputes from the canonical content.
2. ``invalid_entry`` — replaying every entry through :func:`~jcm.registry.core.ledger.apply`
   succeeds (no entry moves serials its source did not hold, issues serials twice, ...).
3. ``checkpoint`` — every published checkpoint names an entry with that hash.
4. On the state rebuilt from the journal, then on the stored snapshot if one is given:
   ``block_orphan`` (a block of an unknown issuance or outside its serials), ``block_account``
   (a serial in no account, an unknown account, or an account of the wrong type for its status),
   ``overlap`` (two blocks share a serial), ``conservation`` (per issuance,
   held + cancelled + retired + moved out != issued), ``balance`` (an account's balance differs
   from the sum of its blocks).
5. ``mismatch`` — the stored snapshot differs from the state the journal rebuilds (a tampered
   block, balance, account or issuance row).

Without a snapshot (a public export) steps 1–4 run on the journal alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import LedgerError
from .journal import GENESIS_HASH, Checkpoint, JournalEntry, entry_hash
from .ledger import Event, LedgerState, apply
from .model import STATUS_ACCOUNT_KINDS, AccountInfo, Block, BlockStatus, IssuanceInfo


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    message: str
    sequence: int | None = None

    def __str__(self) -> str:
        where = f" (journal entry {self.sequence})" if self.sequence is not None else ""
        return f"{self.code}: {self.message}{where}"


@dataclass
class Snapshot:
    """What the database stores, as plain values."""

    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    balances: dict[str, int] = field(default_factory=dict)
    issuances: dict[str, IssuanceInfo] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


def check_invariants(
    *,
    issuances: Mapping[str, IssuanceInfo],
    accounts: Mapping[str, AccountInfo],
    balances: Mapping[str, int],
    blocks: Iterable[Block],
    label: str = "",
) -> Violation | None:
    where = f"{label}: " if label else ""
    ordered = sorted(blocks, key=lambda b: (b.start, b.end))
    per_issuance: dict[str, dict[BlockStatus, int]] = {}
    sums: dict[str, int] = {}
    prev: Block | None = None
    for b in ordered:
        iss = issuances.get(b.issuance)
        if iss is None or not iss.serials.covers(b.range):
            return Violation("block_orphan", f"{where}block {b.range} lies outside issuance {b.issuance}")
        wanted_kinds = STATUS_ACCOUNT_KINDS[b.status]
        if b.account is None:
            if wanted_kinds:
                return Violation("block_account", f"{where}block {b.range} ({b.status.value}) is in no account")
        else:
            acct = accounts.get(b.account)
            if acct is None:
                return Violation("block_account", f"{where}block {b.range} is in unknown account {b.account}")
            if acct.kind not in wanted_kinds:
                return Violation(
                    "block_account",
                    f"{where}block {b.range} is {b.status.value} but sits in {acct.kind.value} account {acct.number}",
                )
            sums[b.account] = sums.get(b.account, 0) + b.quantity
        if prev is not None and prev.end >= b.start:
            return Violation("overlap", f"{where}blocks {prev.range} and {b.range} share serials")
        prev = b
        counts = per_issuance.setdefault(b.issuance, {})
        counts[b.status] = counts.get(b.status, 0) + b.quantity
    for key in sorted(issuances):
        iss = issuances[key]
        c = per_issuance.get(key, {})
        held, cancelled, retired, out = (
            c.get(BlockStatus.HELD, 0),
            c.get(BlockStatus.CANCELLED, 0),
            c.get(BlockStatus.RETIRED, 0),
            c.get(BlockStatus.EXPORTED, 0),
        )
        if held + cancelled + retired + out != iss.quantity:
            return Violation(
                "conservation",
                f"{where}issuance {key}: held {held} + cancelled {cancelled} + retired {retired}"
                f" + moved out {out}"
                f" = {held + cancelled + retired + out}, issued {iss.quantity}",
            )
    for number in sorted(set(balances) | set(sums)):
        if balances.get(number, 0) != sums.get(number, 0):
            return Violation(
                "balance",
                f"{where}account {number} balance {balances.get(number, 0)} but its blocks hold {sums.get(number, 0)}",
            )
    return None


def replay(entries: Iterable[JournalEntry]) -> tuple[LedgerState, Violation | None, dict[int, str]]:
    """Check the chain and rebuild the state; returns (state, first violation, hash per sequence)."""
    state = LedgerState()
    prev_hash, expected_seq = GENESIS_HASH, 1
    hashes: dict[int, str] = {}
    for e in entries:
        if e.sequence != expected_seq:
            return (
                state,
                Violation("chain", f"expected entry {expected_seq}, found {e.sequence}", e.sequence),
                hashes,
            )
        if e.prev_hash != prev_hash:
            return (
                state,
                Violation("chain", "prev_hash does not match the previous entry's hash", e.sequence),
                hashes,
            )
        try:
            recomputed = entry_hash(e.prev_hash, e.sequence, e.kind, e.occurred_at, e.payload)
        except LedgerError as exc:
            return state, Violation("chain", str(exc), e.sequence), hashes
        if recomputed != e.hash:
            return state, Violation("chain", "hash does not match the entry's content", e.sequence), hashes
        try:
            apply(state, Event(e.kind, e.payload))
        except LedgerError as exc:
            return state, Violation("invalid_entry", f"{e.kind} refused on replay: {exc}", e.sequence), hashes
        hashes[e.sequence] = e.hash
        prev_hash, expected_seq = e.hash, expected_seq + 1
    return state, None, hashes


def verify(
    entries: Iterable[JournalEntry],
    *,
    snapshot: Snapshot | None = None,
    checkpoints: Iterable[Checkpoint] = (),
) -> Violation | None:
    """Run every check (see module docstring); return the first violation or None."""
    state, violation, hashes = replay(entries)
    if violation:
        return violation
    for cp in checkpoints:
        if hashes.get(cp.sequence) != cp.hash:
            return Violation("checkpoint", f"checkpoint at entry {cp.sequence} does not match the journal", cp.sequence)
    violation = check_invariants(
        issuances=state.issuances,
        accounts=state.accounts,
        balances=state.balances,
        blocks=state.blocks.values(),
        label="journal",
    )
    if violation or snapshot is None:
        return violation
    violation = check_invariants(
        issuances=snapshot.issuances,
        accounts=snapshot.accounts,
        balances=snapshot.balances,
        blocks=snapshot.blocks,
        label="stored",
    )
    if violation:
        return violation
    return compare(state, snapshot)


def compare(state: LedgerState, snapshot: Snapshot) -> Violation | None:
    """The first difference between the journal's state and the stored snapshot."""
    stored = {b.start: b for b in snapshot.blocks}
    for start in sorted(set(stored) | set(state.blocks)):
        a, b = state.blocks.get(start), stored.get(start)
        if a != b:
            if a is None:
                return Violation("mismatch", f"stored block {b and b.range} is not in the journal")
            if b is None:
                return Violation("mismatch", f"block {a.range} from the journal is not stored")
            fields = [
                f
                for f in ("end", "issuance", "vintage", "registry", "account", "status", "a6")
                if getattr(a, f) != getattr(b, f)
            ]
            return Violation("mismatch", f"stored block {b.range} differs from the journal in {', '.join(fields)}")
    for number in sorted(set(state.accounts) | set(snapshot.accounts)):
        if state.accounts.get(number) != snapshot.accounts.get(number):
            return Violation("mismatch", f"stored account {number} differs from the journal")
        if state.balances.get(number, 0) != snapshot.balances.get(number, 0):
            return Violation("mismatch", f"stored balance of account {number} differs from the journal")
    for key in sorted(set(state.issuances) | set(snapshot.issuances)):
        if state.issuances.get(key) != snapshot.issuances.get(key):
            return Violation("mismatch", f"stored issuance {key} differs from the journal")
    return None
