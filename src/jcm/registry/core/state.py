"""The ledger's state and events as plain values (see ``ledger`` for the event kinds)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import (
    InvalidInput,
    UnknownObject,
)
from .messages import N_, Message
from .model import (
    AccountInfo,
    Block,
    IssuanceInfo,
    NotificationInfo,
    RegistryInfo,
)
from .serials import SerialRange

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    payload: Payload


# --------------------------------------------------------------------------------------------------
# State


@dataclass
class LedgerState:
    """Registries, accounts, issuances, blocks (keyed by start serial) and balances.

    A state may be *partial* (a service loads only the rows it locked); ``apply`` then sees only
    those rows, which is enough because every event names the accounts and serials it touches.
    """

    registries: dict[str, RegistryInfo] = field(default_factory=dict)
    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    issuances: dict[str, IssuanceInfo] = field(default_factory=dict)
    notifications: dict[str, NotificationInfo] = field(default_factory=dict)
    balances: dict[str, int] = field(default_factory=dict)
    next_serial: int = 1
    _blocks: dict[int, Block] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _by_account: dict[str, set[int]] = field(default_factory=dict)

    # -- blocks --------------------------------------------------------------------------------
    @property
    def blocks(self) -> Mapping[int, Block]:
        return self._blocks

    def sorted_blocks(self) -> list[Block]:
        return [self._blocks[s] for s in self._starts]

    def load_block(self, block: Block) -> None:
        """Add a block as it is stored (no balance change)."""
        if block.start in self._blocks:
            raise InvalidInput(Message(N_("block starting at %(start)s loaded twice"), start=block.start))
        self._blocks[block.start] = block
        bisect.insort(self._starts, block.start)
        if block.account is not None:
            self._by_account.setdefault(block.account, set()).add(block.start)

    def _remove(self, start: int) -> Block:
        block = self._blocks.pop(start)
        i = bisect.bisect_left(self._starts, start)
        del self._starts[i]
        if block.account is not None:
            self._by_account[block.account].discard(start)
        return block

    def overlapping(self, r: SerialRange) -> list[Block]:
        """Blocks sharing at least one serial with ``r``, ascending."""
        i = bisect.bisect_right(self._starts, r.start) - 1
        i = max(i, 0)
        out = []
        while i < len(self._starts) and self._starts[i] <= r.end:
            b = self._blocks[self._starts[i]]
            if b.end >= r.start:
                out.append(b)
            i += 1
        return out

    def account_blocks(self, account: str) -> list[Block]:
        return [self._blocks[s] for s in sorted(self._by_account.get(account, ()))]

    def block_at(self, serial: int) -> Block | None:
        i = bisect.bisect_right(self._starts, serial) - 1
        if i < 0:
            return None
        b = self._blocks[self._starts[i]]
        return b if b.end >= serial else None

    # -- lookups -------------------------------------------------------------------------------
    def account(self, number: object) -> AccountInfo:
        if not isinstance(number, str) or number not in self.accounts:
            raise UnknownObject(Message(N_("account %(number)s does not exist"), number=repr(number)))
        return self.accounts[number]

    def registry(self, code: object) -> RegistryInfo:
        if not isinstance(code, str) or code not in self.registries:
            raise UnknownObject(Message(N_("registry %(code)s does not exist"), code=repr(code)))
        return self.registries[code]
