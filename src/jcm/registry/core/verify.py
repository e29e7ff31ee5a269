"""The invariant verifier: plain values in, the first violation (or None) out.

Checks, in this order, stopping at the first violation:

1. ``chain`` — entries are numbered 1, 2, 3 ... without gaps; each ``prev_hash`` is the previous
   entry's hash (64 zeros for the first); each ``hash`` recomputes from the canonical content.
2. ``invalid_entry`` — replaying every entry through :func:`~jcm.registry.core.ledger.apply`
   succeeds (no entry moves serials its source did not hold, issues serials twice, ...).
3. ``checkpoint`` — every published checkpoint names an entry with that hash (a checkpoint at
   entry 0 stands for the empty journal and must carry the genesis hash, 64 zeros).
   ``trusted_checkpoint`` — every checkpoint the caller recorded earlier (``trusted``, e.g. from
   ``jcm ledger verify --checkpoint SEQ:HASH``) names an entry with that hash: a server that rewrote
   its journal and its published checkpoints together passes step 1 but fails here.
   ``history`` — the journal extends an earlier export (``earlier``): every entry of the earlier
   export is in this one unchanged, and every checkpoint it published is still published, unchanged.
   ``signature`` — with the registry's public key (``public_key``), every checkpoint that carries a
   signature (published, trusted or earlier) carries a valid one; unsigned checkpoints are not
   checked (count them with :func:`signed_checkpoints` to require signatures).
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .errors import LedgerError
from .journal import GENESIS_HASH, Checkpoint, JournalEntry, entry_hash
from .ledger import Event, LedgerState, apply
from .model import STATUS_ACCOUNT_KINDS, AccountInfo, Block, BlockStatus, IssuanceInfo
from .signing import Ed25519PublicKey, signature_valid


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    message: str
    sequence: int | None = None

    def __str__(self) -> str:
        where = f" (journal entry {self.sequence})" if self.sequence is not None else ""
        return f"{self.code}: {self.message}{where}"


@dataclass(frozen=True, slots=True)
class Export:
    """A public journal export, parsed: its entries (in order) and the checkpoints it publishes."""

    entries: Sequence[JournalEntry]
    checkpoints: Sequence[Checkpoint] = ()


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
    trusted: Iterable[Checkpoint] = (),
    earlier: Export | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> Violation | None:
    """Run every check (see module docstring); return the first violation or None.

    ``checkpoints`` are the ones the journal's publisher lists alongside it; ``trusted`` are
    checkpoints the caller recorded earlier and holds independently; ``earlier`` is an export the
    caller kept from an earlier download, which this journal must extend unchanged; ``public_key``
    is the registry's checkpoint key, against which every signature present is checked.
    """
    state, violation, hashes = replay(entries)
    if violation:
        return violation
    published = list(checkpoints)
    trusted = list(trusted)
    if public_key is not None:
        violation = check_signatures(
            public_key,
            [("checkpoint", published), ("the checkpoint you gave", trusted),
             ("the earlier export's checkpoint", earlier.checkpoints if earlier else ())],
        )
        if violation:
            return violation
    for cp in published:
        violation = match_checkpoint(cp, hashes, code="checkpoint", what="checkpoint")
        if violation:
            return violation
    for cp in trusted:
        violation = match_checkpoint(cp, hashes, code="trusted_checkpoint", what="the checkpoint you gave")
        if violation:
            return violation
    if earlier is not None:
        violation = check_extends(hashes, published, earlier)
        if violation:
            return violation
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


def match_checkpoint(cp: Checkpoint, hashes: Mapping[int, str], *, code: str, what: str) -> Violation | None:
    """Does ``cp`` name an entry of the journal (``hashes``: sequence -> hash, 1..n) with its hash?

    Entry 0 is the empty journal: its only valid hash is the genesis hash (64 zeros).
    """
    seq = cp.sequence
    if seq < 0:
        return Violation(code, f"{what} at entry {seq}: a sequence is never negative", seq)
    if seq == 0:
        if cp.hash == GENESIS_HASH:
            return None
        return Violation(
            code,
            f"{what} at entry 0 does not match the journal: entry 0 is the empty journal, whose hash is "
            f"64 zeros, not {cp.hash}",
            seq,
        )
    found = hashes.get(seq)
    if found is None:
        return Violation(
            code, f"{what} at entry {seq} lies beyond the journal, which ends at entry {len(hashes)}", seq
        )
    if found != cp.hash:
        return Violation(
            code, f"{what} at entry {seq} does not match the journal: hash {cp.hash}, but entry {seq} has {found}", seq
        )
    return None


def check_signatures(
    key: Ed25519PublicKey, groups: Iterable[tuple[str, Iterable[Checkpoint]]]
) -> Violation | None:
    """Every checkpoint that carries a signature carries the key's valid signature of it."""
    for what, cps in groups:
        for cp in cps:
            if cp.signature and not signature_valid(key, cp.sequence, cp.hash, cp.signature):
                return Violation(
                    "signature",
                    f"{what} at entry {cp.sequence} has a signature that the public key does not accept",
                    cp.sequence,
                )
    return None


def signed_checkpoints(checkpoints: Iterable[Checkpoint]) -> tuple[int, int]:
    """(signed, unsigned) among ``checkpoints``."""
    signed = unsigned = 0
    for cp in checkpoints:
        if cp.signature:
            signed += 1
        else:
            unsigned += 1
    return signed, unsigned


def check_extends(hashes: Mapping[int, str], published: Iterable[Checkpoint], earlier: Export) -> Violation | None:
    """The journal (``hashes``, with ``published`` checkpoints) extends ``earlier`` unchanged.

    Every earlier entry must hash as it claims (else the earlier file is damaged) and have that hash
    at the same sequence here; since each hash covers the previous one, equal hashes mean an equal
    history up to there. Every checkpoint the earlier export published must match this journal and
    still be published here with the same hash.
    """
    last = len(hashes)
    for e in earlier.entries:
        try:
            own = entry_hash(e.prev_hash, e.sequence, e.kind, e.occurred_at, e.payload)
        except LedgerError as exc:
            own = f"unhashable ({exc})"
        if own != e.hash:
            return Violation(
                "history", f"entry {e.sequence} of the earlier export does not match its own hash (damaged file)",
                e.sequence,
            )
        here = hashes.get(e.sequence)
        if here is None:
            return Violation(
                "history",
                f"entry {e.sequence} of the earlier export is missing: this journal ends at entry {last}",
                e.sequence,
            )
        if here != e.hash:
            return Violation(
                "history",
                f"entry {e.sequence} differs from the earlier export (hash {e.hash} there, {here} here)",
                e.sequence,
            )
    # Published checkpoints were matched against this journal already, so one at the same entry
    # carries the same hash; what is left to catch is a checkpoint that was withdrawn.
    now_published = {cp.sequence for cp in published}
    for cp in earlier.checkpoints:
        violation = match_checkpoint(cp, hashes, code="history", what="the earlier export's checkpoint")
        if violation:
            return violation
        if cp.sequence > 0 and cp.sequence not in now_published:
            return Violation(
                "history", f"the earlier export's checkpoint at entry {cp.sequence} is no longer published",
                cp.sequence,
            )
    return None


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
