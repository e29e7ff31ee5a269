"""Pure core of the credits registry: serial ranges, allocation, identifiers, Article 6 state,
the ledger (state + events + apply), the hash-chained journal and the invariant verifier.

No Django here: plain values and deterministic functions (see docs/registry.md).
"""

from .allocation import AllocationRule, Share, allocate, percent_to_basis_points
from .article6 import Article6State, FirstTransferTrigger, Purpose
from .book import Book
from .errors import LedgerError
from .identifiers import format_identifier, parse_identifier
from .journal import Checkpoint, JournalEntry, canonical_json, entry_hash, read_jsonl, to_json_line
from .ledger import Event, LedgerState, apply
from .model import (
    AccountInfo,
    AccountKind,
    AccountStatus,
    Block,
    BlockStatus,
    IssuanceInfo,
    RetirementPurpose,
)
from .serials import SerialRange
from .verify import Snapshot, Violation, verify

__all__ = [
    "AccountInfo",
    "AccountKind",
    "AccountStatus",
    "AllocationRule",
    "Article6State",
    "Block",
    "BlockStatus",
    "Book",
    "Checkpoint",
    "Event",
    "FirstTransferTrigger",
    "IssuanceInfo",
    "JournalEntry",
    "LedgerError",
    "LedgerState",
    "Purpose",
    "RetirementPurpose",
    "SerialRange",
    "Share",
    "Snapshot",
    "Violation",
    "allocate",
    "apply",
    "canonical_json",
    "entry_hash",
    "format_identifier",
    "parse_identifier",
    "percent_to_basis_points",
    "read_jsonl",
    "to_json_line",
    "verify",
]
