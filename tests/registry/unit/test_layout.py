"""The pure core stays split by topic (DESIGN: split a file past ~500 lines) and keeps its public
names importable from where callers import them."""

from __future__ import annotations

from pathlib import Path

import jcm.registry.core as core_pkg
from jcm.registry.core import ledger


def test_core_modules_stay_small():
    sizes = {p.name: len(p.read_text().splitlines()) for p in Path(core_pkg.__file__).parent.glob("*.py")}
    assert max(sizes.values()) <= 500, sizes


def test_public_names_of_the_ledger_are_where_they_were():
    for name in ("APPLIERS", "MOVEMENT_KINDS", "Event", "LedgerState", "Payload", "Purpose", "apply",
                 "end_state_event", "international_transfer_event", "issuance_event", "resolve_ranges",
                 "select_oldest_first", "NOT_OPEN", "NOT_HOLDING", "AccountInfo", "Block", "SerialRange"):
        assert hasattr(ledger, name), name
    assert core_pkg.apply is ledger.apply and core_pkg.LedgerState is ledger.LedgerState
