"""A hypothesis state machine over the real registry services, on the database.

Every rule calls a service (record a JC notification and issue it, transfer by quantity or by
serial ranges, international transfer between the two hosted registries and to one hosted
elsewhere, Article 6 authorisation, corresponding adjustments, cancellation, retirement, account
suspension / reopening / closing / opening, idempotency replays with the same and with different
content). Next to the database the machine keeps its own model, one record per serial, and
predicts for every call whether it must be refused and with which errors. After every step:

* ``verify_ledger()`` finds no violation;
* the blocks stored, read serial by serial, equal the model (place, status, Article 6 state);
* per issuance, held + cancelled + retired + exported = issued, counted from the block rows;
  no two block rows overlap; each block sits in an account of the kind its status needs;
* account balances and statuses, the journal length and head, the next free serial, the
  notifications, transactions, movements and retirement records agree with the model;
* a refused call or a replay changed nothing: every block, account, journal, idempotency-key,
  notification, transaction and audit row is the same before and after it.

Each example runs inside its own transaction (a savepoint in the test's), rolled back at teardown,
so every example starts from the same fresh registries. Runs on SQLite and PostgreSQL (where a
transfer takes the PL/pgSQL fast path).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from jcm.audit.models import AuditEvent
from jcm.registry import services
from jcm.registry.core.article6 import FirstTransferTrigger, Purpose
from jcm.registry.core.errors import (
    AccountNotOpen,
    Article6Error,
    IdempotencyConflict,
    InsufficientHoldings,
    InvalidInput,
    LedgerError,
    NotificationConsumed,
    SerialsNotHeld,
    UnauthorisedInternationalTransfer,
    UnknownObject,
    WrongAccountKind,
    WrongRegistry,
)
from jcm.registry.core.model import AccountKind, AccountStatus, RetirementPurpose
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import (
    Account,
    Block,
    IdempotencyKey,
    Issuance,
    JournalEntry,
    JournalHead,
    Movement,
    Notification,
    Registry,
    RetirementRecord,
    Transaction,
)
from jcm.registry.queries import verify_ledger

from .conftest import ACCOUNTS, NOW

pytestmark = pytest.mark.django_db

# JP and ID are hosted here; KH is a counterpart registry on another system (credits sent there leave).
REGISTRIES = [("JP", "JP", True), ("ID", "ID", True), ("KH", "KH", False)]
HOLDING_KINDS = (AccountKind.GOVERNMENT_HOLDING, AccountKind.ENTITY_HOLDING)
END_KIND = {"cancel": AccountKind.CANCELLATION, "retire": AccountKind.RETIREMENT}
END_STATUS = {"cancel": "cancelled", "retire": "retired"}
STATUS_MOVES = {
    (AccountStatus.OPEN, AccountStatus.SUSPENDED),
    (AccountStatus.SUSPENDED, AccountStatus.OPEN),
    (AccountStatus.OPEN, AccountStatus.CLOSED),
    (AccountStatus.SUSPENDED, AccountStatus.CLOSED),
}
NOBODY = "XX-NOBODY"  # an account number that never exists
DEFAULT_TRIGGER = FirstTransferTrigger.INTERNATIONAL_TRANSFER.value
# Mostly valid: at least one purpose (now and then none, refused), the default trigger most often.
PURPOSES = st.integers(0, 9).flatmap(
    lambda i: st.just(set()) if i == 0 else st.sets(st.sampled_from(list(Purpose)), min_size=1, max_size=3)
)
TRIGGERS = st.sampled_from([FirstTransferTrigger.INTERNATIONAL_TRANSFER] * 2 + list(FirstTransferTrigger))


# --------------------------------------------------------------------------------------------------
# The model


@dataclass
class Acct:
    registry: str
    kind: AccountKind
    status: AccountStatus = AccountStatus.OPEN


@dataclass(frozen=True)
class Serial:
    """Where one serial is and its Article 6 state, as the machine expects it."""

    issuance: str
    vintage: int
    origin: str
    account: str | None
    status: str = "held"
    authorised: bool = False
    purposes: tuple[str, ...] = ()
    authorisation_id: str = ""
    authorisation_date: str = ""
    trigger: str = DEFAULT_TRIGGER
    first_transferred: bool = False
    first_transfer_date: str = ""
    adjustments: frozenset[tuple[str, int, str]] = frozenset()  # (party, year, recorded on)


@dataclass
class Note:
    registry: str
    vintage: int
    accounts: list[tuple[str, int]]  # this registry's non-zero shares, declared order
    issued: bool = False


@dataclass
class Done:
    """A successful call, kept to be replayed."""

    operation: str
    fn: Any
    kwargs: dict[str, Any]
    result: services.Result
    mutations: list[dict[str, Any]] = field(default_factory=list)


def largest_remainder(quantity: int, shares: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The documented rule, written again here: floors, then one each by largest remainder, first declared first."""
    floors = [quantity * bp // 10_000 for _, bp in shares]
    rems = [quantity * bp % 10_000 for _, bp in shares]
    for i in sorted(range(len(shares)), key=lambda i: (-rems[i], i))[: quantity - sum(floors)]:
        floors[i] += 1
    return [(t, q) for (t, _), q in zip(shares, floors, strict=True)]


def overlapping(ranges: list[R]) -> bool:
    seen: set[int] = set()
    for r in ranges:
        s = set(range(r.start, r.end + 1))
        if seen & s:
            return True
        seen |= s
    return False


def serials_of(ranges: list[R]) -> list[int]:
    return sorted({n for r in ranges for n in range(r.start, r.end + 1)})


def as_ranges(serials: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for n in sorted(serials):
        if out and out[-1][1] + 1 == n:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


_TABLES = [
    (m._meta.db_table, m._meta.pk.column)
    for m in (
        Registry, Account, Block, JournalEntry, IdempotencyKey, Notification, Issuance, Transaction, Movement,
        RetirementRecord, AuditEvent,
    )
]
# Row counts and highest keys of every table a write touches, and the journal head, in one round trip.
_FINGERPRINT = "SELECT " + ", ".join(
    [f"(SELECT COUNT(*) FROM {t}), (SELECT MAX({pk}) FROM {t})" for t, pk in _TABLES]
    + [f"(SELECT {c} FROM {JournalHead._meta.db_table} WHERE id = 1)" for c in ("sequence", "hash", "next_serial")]
)


def db_state() -> dict[str, Any]:
    """Every row a refused call or a replay must leave alone (the rows a write may update in full)."""
    with connection.cursor() as cur:
        cur.execute(_FINGERPRINT)
        fingerprint = cur.fetchone()
    return {
        "fingerprint": fingerprint,
        "accounts": list(Account.objects.order_by("pk").values()),
        "blocks": list(Block.objects.order_by("pk").values()),
        "notifications": list(Notification.objects.order_by("pk").values()),
        "keys": list(IdempotencyKey.objects.order_by("pk").values_list("key", "request_hash", "result")),
    }


def db_serials(blocks: list[Block]) -> dict[int, Serial]:
    out: dict[int, Serial] = {}
    for b in blocks:
        value = Serial(
            issuance=b.issuance.reference,
            vintage=b.vintage,
            origin=b.registry.code,
            account=b.account.number if b.account_id else None,
            status=b.status,
            authorised=b.authorised,
            purposes=tuple(b.purposes),
            authorisation_id=b.authorisation_id,
            authorisation_date=b.authorisation_date,
            trigger=b.first_transfer_trigger,
            first_transferred=b.first_transferred,
            first_transfer_date=b.first_transfer_date,
            adjustments=frozenset((a["party"], a["year"], a.get("recorded_on", "")) for a in b.adjustments),
        )
        for n in range(b.start, b.end + 1):
            assert n not in out, f"serial {n} is in two block rows"
            out[n] = value
    return out


# --------------------------------------------------------------------------------------------------
# The machine


class ServicesMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A fresh database per example: everything below is rolled back in teardown().
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.tick = 0
        self.counter = itertools.count(1)
        self.registries: dict[str, bool] = {}  # code -> hosted
        self.accounts: dict[str, Acct] = {}  # insertion order = primary-key order
        self.serials: dict[int, Serial] = {}
        self.issuances: dict[str, tuple[str, int, int, int]] = {}  # ref -> (registry, quantity, first, last)
        self.notes: dict[str, Note] = {}
        self.decisions: set[tuple[str, str, str, str]] = set()
        self.next_serial = 1
        self.entries = 0
        self.movement_txs = 0
        self.retirements: dict[str, int] = {}  # record number -> quantity
        self.exports: set[int] = set()  # transaction ids of international transfers out of the system
        self.done: list[Done] = []
        for code, party, hosted in REGISTRIES:
            self.call(
                "create_registry", services.create_registry, set(),
                code=code, party=party, name=f"registry {code}", hosted=hosted,
                mutations=[{"name": f"other {code}"}, {"hosted": not hosted}],
            )
            self.registries[code] = hosted
        for number, reg, kind, holder in ACCOUNTS:
            self.call(
                "open_account", services.open_account, set(),
                registry=reg, number=number, kind=kind, holder_name=holder, mutations=[{"holder_name": "someone else"}],
            )
            self.accounts[number] = Acct(reg, kind)
        # The first JCM issuance (27 / 4 / 9) so that every example starts with credits on both sides.
        self.notify_and_issue(
            "JP", [("JP-GOV", 6750), ("JP-MAYEKAWA", 1000), ("ID", 2250)], 40, 2015, decision="D-0", issue_it=True
        )
        self.notify_and_issue("ID", [("JP", 7750), ("ID-GOV", 2250)], 40, 2015, decision="D-0", issue_it=True)
        # Some of each side's serials start authorised, so international transfers happen early.
        assert self.held_by("JP-GOV")[:10] == list(range(1, 11)) and self.held_by("ID-GOV") == list(range(32, 41))
        self.do_authorise("JP-GOV", [R(1, 10)], "LoA-JP", [Purpose.NDC], FirstTransferTrigger.INTERNATIONAL_TRANSFER)
        self.do_authorise("ID-GOV", [R(32, 36)], "LoA-ID", [Purpose.OIMP], FirstTransferTrigger.INTERNATIONAL_TRANSFER)
        # An older vintage issued later: oldest-vintage-first is not lowest-serial-first in JP-GOV.
        self.notify_and_issue(
            "JP", [("JP-GOV", 6000), ("JP-BUYER", 4000)], 10, 2013, decision="D-00", issue_it=True, project="ID002"
        )
        assert self.serials[41].vintage == 2013 and self.serials[41].account == "JP-GOV"
        # A suspended and a closed holding account on each side, from the start.
        for registry in ("JP", "ID"):
            for status in (AccountStatus.SUSPENDED, AccountStatus.CLOSED):
                number = f"{registry}-{status.value.upper()}"
                self.call(
                    "open_account", services.open_account, set(), registry=registry, number=number,
                    kind=AccountKind.ENTITY_HOLDING, holder_name="Dormant", mutations=[{"holder_name": "x"}],
                )
                self.accounts[number] = Acct(registry, AccountKind.ENTITY_HOLDING)
                self.call(
                    "set_account_status", services.set_account_status, set(), account=number, status=status,
                    mutations=[{"status": AccountStatus.OPEN}],
                )
                self.accounts[number].status = status

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- plumbing --------------------------------------------------------------------------------
    @property
    def now(self):
        return NOW + timedelta(hours=5 * self.tick)

    @property
    def today(self) -> str:
        return self.now.date().isoformat()

    def call(self, operation, fn, reasons: set[type[LedgerError]], *, mutations=(), **kwargs) -> services.Result | None:
        """Call ``fn``; refused iff ``reasons`` is non-empty, with one of them; a refusal changes nothing."""
        kwargs["idempotency_key"] = f"{operation}-{next(self.counter)}"
        # A call predicted to go through that is refused fails below anyway: snapshot only the others.
        before = db_state() if reasons else None
        try:
            result = fn(now=self.now, **kwargs)
        except LedgerError as exc:
            self.tick += 1
            assert reasons, f"{operation}({kwargs}) refused unexpectedly: {type(exc).__name__}: {exc}"
            assert type(exc) in reasons, (
                f"{operation}({kwargs}) refused with {type(exc).__name__} ({exc}), expected one of"
                f" {sorted(r.__name__ for r in reasons)}"
            )
            assert db_state() == before, f"refused {operation} changed the database"
            return None
        self.tick += 1  # the clock moves on: later dates differ now and then
        assert not reasons, f"{operation}({kwargs}) accepted, expected one of {sorted(r.__name__ for r in reasons)}"
        assert not result.replayed
        self.entries += 1
        assert result.sequence == self.entries
        self.done.append(Done(operation, fn, kwargs, result, list(mutations)))
        return result

    def names(self, registry: str | None = None, *, holding: bool | None = None) -> list[str]:
        return [
            n
            for n, a in self.accounts.items()
            if (registry is None or a.registry == registry) and (holding is None or (a.kind in HOLDING_KINDS) == holding)
        ]

    def held_by(self, account: str) -> list[int]:
        return sorted(n for n, s in self.serials.items() if s.account == account and s.status == "held")

    def runs(self, serials: list[int]) -> list[tuple[int, int]]:
        return [(a, b) for a, b in as_ranges(serials)]

    def draw_account(self, data, label, *, registry=None, holding=None, with_credits=False) -> str:
        pool = self.names(registry, holding=holding)
        if with_credits:
            pool = [n for n in pool if self.held_by(n)] or pool
        if not pool or data.draw(st.integers(0, 11), label=f"{label} unknown") == 0:
            return NOBODY
        return data.draw(st.sampled_from(pool), label=label)

    def draw_ranges(self, data, candidates: list[int], label: str) -> list[R]:
        """One or two ranges inside runs of ``candidates`` (possibly overlapping), or serials anywhere."""
        runs = self.runs(candidates)
        if not runs or data.draw(st.integers(0, 7), label=f"{label} wild") == 0:
            lo = data.draw(st.integers(1, self.next_serial + 3), label=f"{label} lo")
            return [R(lo, lo + data.draw(st.integers(0, 8), label=f"{label} len"))]
        out = []
        for i in range(data.draw(st.sampled_from([1, 1, 2]), label=f"{label} count")):
            lo, hi = data.draw(st.sampled_from(runs), label=f"{label} run {i}")
            a = data.draw(st.integers(lo, hi), label=f"{label} start {i}")
            out.append(R(a, data.draw(st.integers(a, hi), label=f"{label} end {i}")))
        return out

    def draw_quantity(self, data, src: str, small: int) -> int:
        """``small``, or anything up to one more than ``src`` holds (oldest first then spans several blocks)."""
        if data.draw(st.booleans(), label="small quantity"):
            return small
        return data.draw(st.integers(1, len(self.held_by(src)) + 1), label="quantity")

    def select(self, src: str, ranges: list[R] | None, quantity: int | None, reasons: set) -> list[int] | None:
        """The serials a movement takes from ``src`` (oldest vintage first for a quantity); adds refusals."""
        if ranges is not None:
            if overlapping(ranges):
                reasons.add(InvalidInput)
                return None
            wanted = serials_of(ranges)
            held = set(self.held_by(src))
            if not all(n in held for n in wanted):
                reasons.add(SerialsNotHeld)
                return None
            return wanted
        if len(self.held_by(src)) < quantity:
            reasons.add(InsufficientHoldings)
            return None
        return self.fewest_blocks_oldest_first(src, quantity)

    @staticmethod
    def fewest_blocks_oldest_first(src: str, quantity: int) -> list[int]:
        """Oldest vintage first, fewest blocks, over the block rows (whose serials the invariants check):
        the smallest block of the oldest vintage left that holds the rest gives its lowest serials, or
        else the largest block (lowest start on a tie) goes whole."""
        pool = list(Block.objects.filter(account__number=src, status="held").values_list("vintage", "start", "end"))
        out: list[int] = []
        while len(out) < quantity:
            left = quantity - len(out)
            oldest = min(v for v, _, _ in pool)
            blocks = sorted((e - s + 1, s) for v, s, e in pool if v == oldest)
            size, start = next(((n, s) for n, s in blocks if n >= left), min(blocks, key=lambda b: (-b[0], b[1])))
            out.extend(range(start, start + min(size, left)))
            pool = [b for b in pool if b[1] != start]
        return sorted(out)

    def check_source(self, src: str, reasons: set) -> Acct | None:
        a = self.accounts.get(src)
        if a is None:
            reasons.add(UnknownObject)
            return None
        if a.kind not in HOLDING_KINDS:
            reasons.add(WrongAccountKind)
        if a.status is not AccountStatus.OPEN:
            reasons.add(AccountNotOpen)
        return a

    def check_destination(self, dst: str, registry: str, reasons: set) -> None:
        a = self.accounts.get(dst)
        if a is None:
            reasons.add(UnknownObject)
            return
        if a.registry != registry:
            reasons.add(WrongRegistry)
        if a.kind not in HOLDING_KINDS:
            reasons.add(WrongAccountKind)
        if a.status is not AccountStatus.OPEN:
            reasons.add(AccountNotOpen)

    def moved(self, result, serials: list[int], change) -> None:
        assert result.ranges == as_ranges(serials), (result.ranges, as_ranges(serials))
        assert result.quantity == len(serials)
        for n in serials:
            self.serials[n] = change(self.serials[n])
        self.movement_txs += 1

    @staticmethod
    def movement_mutations(ranges, quantity) -> list[dict[str, Any]]:
        if quantity is not None:
            return [{"quantity": quantity + 1}]
        return [{"ranges": [*ranges, R(10**9, 10**9)]}]

    # -- issuance ---------------------------------------------------------------------------------
    def notify_and_issue(self, registry, shares, quantity, vintage, *, decision, issue_it, project="ID001") -> None:
        ref = f"N-{next(self.counter)}"
        period = "2015-02-01/2015-08-01"
        reasons: set[type[LedgerError]] = set()
        targets = [t for t, _ in shares]
        ours: list[tuple[str, int]] = []
        if len(set(targets)) != len(targets):
            reasons.add(InvalidInput)
        else:
            resolved = largest_remainder(quantity, shares)
            assert sum(q for _, q in resolved) == quantity
            ours = [(t, q) for t, q in resolved if t.split(":", 1)[0] not in self.registries]
            for t, _ in ours:
                if t not in self.accounts:
                    reasons.add(UnknownObject)
                elif self.accounts[t].registry != registry:
                    reasons.add(WrongRegistry)
            if sum(q for _, q in ours) < 1:
                reasons.add(InvalidInput)
            if (registry, decision, project, period) in self.decisions:
                reasons.add(InvalidInput)
            if not self.registries[registry]:
                reasons.add(WrongRegistry)
        result = self.call(
            "record_jc_notification", services.record_jc_notification, reasons,
            registry=registry, reference=ref, decision=decision, project=project, monitoring_period=period,
            vintage=vintage, approach="JCM_JP_ID", quantity=quantity, allocation=shares, rule="largest_remainder",
            mutations=[{"quantity": quantity + 1}, {"vintage": vintage + 1}],
        )
        if result is None:
            return
        side = [(t, q) for t, q in ours if q]
        assert result.quantity == sum(q for _, q in side)
        assert result.details["accounts"] == [[t, q] for t, q in side]
        self.decisions.add((registry, decision, project, period))
        self.notes[ref] = Note(registry, vintage, side)
        if issue_it:
            self.issue_note(ref, registry)

    def issue_note(self, ref: str, registry: str) -> None:
        reasons: set[type[LedgerError]] = set()
        note = self.notes.get(ref)
        if note is None:
            reasons.add(UnknownObject)
        else:
            if note.registry != registry:
                reasons.add(WrongRegistry)
            if note.issued:
                reasons.add(NotificationConsumed)
            for t, _ in note.accounts:
                a = self.accounts[t]
                if a.kind not in HOLDING_KINDS:
                    reasons.add(WrongAccountKind)
                if a.status is not AccountStatus.OPEN:
                    reasons.add(AccountNotOpen)
        result = self.call(
            "issue", services.issue, reasons, registry=registry, notification=ref,
            mutations=[{"reference": "another reference"}],
        )
        if result is None:
            return
        assert note is not None
        first = cursor = self.next_serial
        for t, q in note.accounts:
            for n in range(cursor, cursor + q):
                self.serials[n] = Serial(ref, note.vintage, registry, t)
            cursor += q
        assert result.ranges == [[first, cursor - 1]] and result.quantity == cursor - first
        self.issuances[ref] = (registry, cursor - first, first, cursor - 1)
        self.next_serial = cursor
        note.issued = True
        self.movement_txs += 1

    @rule(
        data=st.data(),
        registry=st.sampled_from(["JP", "ID", "JP", "ID", "KH"]),
        quantity=st.integers(1, 60),
        vintage=st.integers(2013, 2030),
        first=st.integers(0, 10_000),
        second_part=st.integers(0, 10_000),
        reuse_decision=st.integers(0, 7),
        issue_it=st.integers(0, 3),
    )
    def notify(self, data, registry, quantity, vintage, first, second_part, reuse_decision, issue_it):
        own = [n for n in self.names(registry, holding=True) if self.accounts[n].status is AccountStatus.OPEN] or [NOBODY]
        a = data.draw(st.sampled_from(own), label="first target")
        # Mostly another open holding account of this registry; sometimes any account (or none at all).
        stray = data.draw(st.integers(0, 5), label="stray") == 0
        others = [n for n in own if n != a] or own
        b = data.draw(st.sampled_from([*self.names(), NOBODY] if stray else others), label="second target")
        second = second_part * (10_000 - first) // 10_000
        other = "ID" if registry == "JP" else "JP"
        shares = [(a, first), (b, second), (f"{other}:Partner", 10_000 - first - second)]
        decision = "D-0" if reuse_decision == 0 else f"D-{next(self.counter)}"
        self.notify_and_issue(registry, shares, quantity, vintage, decision=decision, issue_it=issue_it > 0)

    @rule(data=st.data(), wrong_registry=st.integers(0, 5))
    def issue(self, data, wrong_registry):
        ref = data.draw(st.sampled_from([*sorted(self.notes), "N-NONE"]), label="notification")
        registry = self.notes[ref].registry if ref in self.notes else "JP"
        if wrong_registry == 0:
            registry = {"JP": "ID", "ID": "KH", "KH": "JP"}[registry]
        self.issue_note(ref, registry)

    # -- movements --------------------------------------------------------------------------------
    @rule(data=st.data(), by_quantity=st.booleans(), quantity=st.integers(1, 8), same_registry=st.integers(0, 9))
    def transfer(self, data, by_quantity, quantity, same_registry):
        src = self.draw_account(data, "from", holding=data.draw(st.integers(0, 6)) > 0 or None, with_credits=True)
        reg = self.accounts[src].registry if src in self.accounts else None
        if same_registry == 0:
            dst = src
        elif same_registry == 1:
            dst = self.draw_account(data, "to")
        else:
            others = [n for n in self.names(reg) if n != src]
            dst = data.draw(st.sampled_from(others), label="to") if others else NOBODY
        ranges = None if by_quantity else self.draw_ranges(data, self.held_by(src), "ranges")
        qty = self.draw_quantity(data, src, quantity) if by_quantity else None
        reasons: set[type[LedgerError]] = set()
        taken = self.select(src, ranges, qty, reasons)
        source = self.check_source(src, reasons)
        if source is not None:
            self.check_destination(dst, source.registry, reasons)
        if src == dst:
            reasons.add(InvalidInput)
        result = self.call(
            "transfer", services.transfer, reasons, from_account=src, to_account=dst, ranges=ranges, quantity=qty,
            mutations=self.movement_mutations(ranges, qty),
        )
        if result is not None:
            self.moved(result, taken, lambda s: dataclasses.replace(s, account=dst))

    @rule(
        data=st.data(),
        by_quantity=st.booleans(),
        quantity=st.integers(1, 12),
        to_registry=st.integers(0, 9),
        authorise_first=st.integers(0, 2),
        purposes=PURPOSES,
        trigger=TRIGGERS,
        adjust=st.integers(0, 2),
    )
    def international_transfer(
        self, data, by_quantity, quantity, to_registry, authorise_first, purposes, trigger, adjust
    ):
        src = self.draw_account(data, "from", holding=True, with_credits=True)
        reg = self.accounts[src].registry if src in self.accounts else "JP"
        # Mostly the other hosted registry or the one hosted elsewhere; now and then a wrong one.
        target = reg if to_registry == 0 else "ZZ" if to_registry == 1 else "KH" if to_registry > 5 else (
            "ID" if reg == "JP" else "JP"
        )
        if target == "KH":
            # An account number on the other system (may look like one of ours, or be empty).
            dst = data.draw(st.sampled_from(["KH-GOV-001", "JP-BUYER", "KH-PP-42", "JP-BUYER", "KH-GOV-001", ""]))
        else:
            holding = data.draw(st.integers(0, 5), label="to any kind") > 0 or None
            dst = self.draw_account(data, "to", registry=target if target in self.registries else None, holding=holding)
        held = self.held_by(src)
        # Prefer authorised serials, so that some of these go through.
        authorised = [n for n in held if self.serials[n].authorised]
        ranges = None if by_quantity else self.draw_ranges(data, authorised or held, "ranges")
        qty = self.draw_quantity(data, src, quantity) if by_quantity else None
        if authorise_first:
            # The originating registry authorises the serials first (its own refusals are checked too).
            probe: set[type[LedgerError]] = set()
            picked = self.select(src, ranges, qty, probe)
            if picked:
                self.do_authorise(src, [R(a, b) for a, b in as_ranges(picked)], "LoA-1", purposes, trigger)
        reasons: set[type[LedgerError]] = set()
        taken = self.select(src, ranges, qty, reasons)
        source = self.check_source(src, reasons)
        hosted = self.registries.get(target)
        if hosted is None:
            reasons.add(UnknownObject)
        elif source is not None:
            if target == source.registry:
                reasons.add(WrongRegistry)
            if not dst:
                reasons.add(InvalidInput)
            elif hosted:
                self.check_destination(dst, target, reasons)
        if taken is not None and not all(self.serials[n].authorised for n in taken):
            reasons.add(UnauthorisedInternationalTransfer)
        today = self.today
        result = self.call(
            "international_transfer", services.international_transfer, reasons,
            from_account=src, to_registry=target, to_account=dst, ranges=ranges, quantity=qty,
            mutations=[*self.movement_mutations(ranges, qty), {"to_account": dst + "X"}],
        )
        if result is None:
            return
        first = [n for n in taken if self.serials[n].trigger == DEFAULT_TRIGGER and not self.serials[n].first_transferred]
        assert result.details["first_transferred"] == as_ranges(first)

        def move(s: Serial) -> Serial:
            if s.trigger == DEFAULT_TRIGGER and not s.first_transferred:
                s = dataclasses.replace(s, first_transferred=True, first_transfer_date=today)
            if hosted:
                return dataclasses.replace(s, account=dst)
            return dataclasses.replace(s, account=None, status="exported")

        self.moved(result, taken, move)
        if not hosted:
            self.exports.add(result.transaction)
        if adjust and first:
            # Both Parties record their corresponding adjustments for the first transfer (twice: refused).
            for party in [reg, target if hosted else "KH", reg][: adjust + 1]:
                self.do_adjustment([R(a, b) for a, b in as_ranges(first)], party, self.now.year)

    def end_state(self, op, data, by_quantity, quantity, extra, reasons):
        src = self.draw_account(data, "from", holding=data.draw(st.integers(0, 6)) > 0, with_credits=True)
        ranges = None if by_quantity else self.draw_ranges(data, self.held_by(src), "ranges")
        qty = self.draw_quantity(data, src, quantity) if by_quantity else None
        taken = self.select(src, ranges, qty, reasons)
        source = self.check_source(src, reasons)
        end = None
        if source is not None:
            end = next(
                (
                    n
                    for n, a in self.accounts.items()
                    if a.registry == source.registry and a.kind is END_KIND[op] and a.status is AccountStatus.OPEN
                ),
                None,
            )
            if end is None:
                reasons.add(UnknownObject)
        fn = services.cancel if op == "cancel" else services.retire
        today = self.today
        result = self.call(
            op, fn, reasons, from_account=src, ranges=ranges, quantity=qty, mutations=self.movement_mutations(ranges, qty),
            **extra,
        )
        if result is None:
            return None

        def move(s: Serial) -> Serial:
            if s.authorised and s.trigger == FirstTransferTrigger.USE.value and not s.first_transferred:
                s = dataclasses.replace(s, first_transferred=True, first_transfer_date=today)
            return dataclasses.replace(s, account=end, status=END_STATUS[op])

        self.moved(result, taken, move)
        return result

    @rule(data=st.data(), by_quantity=st.booleans(), quantity=st.integers(1, 12), reason=st.sampled_from(["error"] * 5 + [" "]))
    def cancel(self, data, by_quantity, quantity, reason):
        reasons: set[type[LedgerError]] = set() if reason.strip() else {InvalidInput}
        self.end_state("cancel", data, by_quantity, quantity, {"reason": reason}, reasons)

    @rule(
        data=st.data(),
        by_quantity=st.booleans(),
        quantity=st.integers(1, 12),
        purpose=st.sampled_from(list(RetirementPurpose)),
        ndc_party=st.sampled_from(["", "JP", "ID", "JP"]),
    )
    def retire(self, data, by_quantity, quantity, purpose, ndc_party):
        reasons: set[type[LedgerError]] = set()
        if purpose is RetirementPurpose.NDC and not ndc_party:
            reasons.add(InvalidInput)
        extra = {"purpose": purpose, "beneficiary": "Beneficiary KK", "ndc_party": ndc_party}
        result = self.end_state("retire", data, by_quantity, quantity, extra, reasons)
        if result is not None:
            number = result.details["retirement"]
            assert number not in self.retirements
            self.retirements[number] = result.quantity

    # -- Article 6 --------------------------------------------------------------------------------
    def do_authorise(self, account, ranges, authorisation_id, purposes, trigger, authorisation_date=None) -> None:
        values = tuple(sorted(p.value for p in purposes))
        today = authorisation_date or self.today
        reasons: set[type[LedgerError]] = set()
        if authorisation_date and authorisation_date > self.today:
            reasons.add(InvalidInput)  # the Party's authorisation cannot be dated in the future
        acct = self.accounts.get(account)
        if overlapping(ranges):
            reasons.add(InvalidInput)
        elif acct is None:
            reasons.add(UnknownObject)
        else:
            if not values:
                reasons.add(InvalidInput)
            wanted = serials_of(ranges)
            if not set(wanted) <= set(self.held_by(account)):
                reasons.add(SerialsNotHeld)
            else:
                for n in wanted:
                    s = self.serials[n]
                    if s.origin != acct.registry:
                        reasons.add(WrongRegistry)
                    # Re-authorising is refused unless it is identical (then it is a no-op).
                    if s.authorised and (s.authorisation_id, s.purposes, s.trigger, s.authorisation_date) != (
                        authorisation_id,
                        values,
                        trigger.value,
                        today,
                    ):
                        reasons.add(Article6Error)
        result = self.call(
            "authorise", services.authorise, reasons, account=account, ranges=ranges,
            authorisation_id=authorisation_id, purposes=list(purposes), first_transfer_trigger=trigger,
            **({"authorisation_date": authorisation_date} if authorisation_date else {}),
            mutations=[{"authorisation_id": authorisation_id + "-bis"}, {"authorisation_date": "2025-12-31"}],
        )
        if result is None:
            return
        for n in serials_of(ranges):
            s = self.serials[n]
            if not s.authorised:
                s = dataclasses.replace(
                    s, authorised=True, purposes=values, authorisation_id=authorisation_id,
                    authorisation_date=today, trigger=trigger.value,
                )
                if trigger is FirstTransferTrigger.AUTHORISATION:
                    s = dataclasses.replace(s, first_transferred=True, first_transfer_date=today)
                self.serials[n] = s

    @rule(
        data=st.data(),
        authorisation_id=st.sampled_from(["LoA-1", "LoA-2"]),
        purposes=PURPOSES,
        trigger=TRIGGERS,
        authorisation_date=st.sampled_from([None, None, "2026-01-15", "2099-01-01"]),
    )
    def authorise(self, data, authorisation_id, purposes, trigger, authorisation_date):
        account = self.draw_account(data, "account", with_credits=True)
        ranges = self.draw_ranges(data, self.held_by(account), "ranges")
        self.do_authorise(account, ranges, authorisation_id, purposes, trigger, authorisation_date)

    @rule(data=st.data(), party=st.sampled_from(["JP", "ID", "KH", "JP", "ID", ""]), year=st.integers(2025, 2027))
    def corresponding_adjustment(self, data, party, year):
        first = sorted(n for n, s in self.serials.items() if s.first_transferred)
        ranges = self.draw_ranges(data, first or sorted(self.serials), "ranges")
        self.do_adjustment(ranges, party, year)

    def do_adjustment(self, ranges: list[R], party: str, year: int) -> None:
        reasons: set[type[LedgerError]] = set()
        if overlapping(ranges):
            reasons.add(InvalidInput)
        else:
            if not party:
                reasons.add(InvalidInput)
            wanted = serials_of(ranges)
            if not all(n in self.serials for n in wanted):
                reasons.add(SerialsNotHeld)
            else:
                for n in wanted:
                    s = self.serials[n]
                    if not s.first_transferred or any(a[0] == party for a in s.adjustments):
                        reasons.add(Article6Error)
        today = self.today
        result = self.call(
            "record_corresponding_adjustment", services.record_corresponding_adjustment, reasons,
            ranges=ranges, party=party, year=year, mutations=[{"year": year + 1}],
        )
        if result is not None:
            for n in serials_of(ranges):
                s = self.serials[n]
                self.serials[n] = dataclasses.replace(s, adjustments=s.adjustments | {(party, year, today)})

    # -- accounts ---------------------------------------------------------------------------------
    @rule(data=st.data(), status=st.sampled_from(list(AccountStatus)))
    def set_status(self, data, status):
        account = self.draw_account(data, "account")
        reasons: set[type[LedgerError]] = set()
        acct = self.accounts.get(account)
        if acct is None:
            reasons.add(UnknownObject)
        else:
            if (acct.status, status) not in STATUS_MOVES:
                reasons.add(InvalidInput)
            if status is AccountStatus.CLOSED and acct.kind in HOLDING_KINDS and self.held_by(account):
                reasons.add(InvalidInput)
        other = AccountStatus.SUSPENDED if status is not AccountStatus.SUSPENDED else AccountStatus.OPEN
        result = self.call(
            "set_account_status", services.set_account_status, reasons, account=account, status=status,
            mutations=[{"status": other}],
        )
        if result is not None:
            acct.status = status

    @rule(
        registry=st.sampled_from(["JP", "ID", "KH", "ZZ"]),
        kind=st.sampled_from(list(AccountKind)),
        existing=st.integers(0, 5),
    )
    def open_account(self, registry, kind, existing):
        number = "JP-GOV" if existing == 0 else f"{registry}-A{next(self.counter)}"
        reasons: set[type[LedgerError]] = set()
        if registry not in self.registries:
            reasons.add(UnknownObject)
        else:
            if not self.registries[registry]:
                reasons.add(WrongRegistry)
            if number in self.accounts:
                reasons.add(InvalidInput)
        result = self.call(
            "open_account", services.open_account, reasons, registry=registry, number=number, kind=kind,
            holder_name="New holder", mutations=[{"kind": AccountKind.ENTITY_HOLDING if kind != "entity_holding" else
                                                  AccountKind.GOVERNMENT_HOLDING}],
        )
        if result is not None:
            self.accounts[number] = Acct(registry, kind)

    # -- idempotency ------------------------------------------------------------------------------
    @precondition(lambda self: self.done)
    @rule(data=st.data())
    def replay_same_request(self, data):
        done = data.draw(st.sampled_from(self.done), label="replayed")
        self.tick += 1
        before = db_state()
        again = done.fn(now=self.now, **done.kwargs)
        assert again.replayed, f"{done.operation} with a used key was executed again"
        assert dataclasses.replace(again, replayed=False) == done.result
        assert db_state() == before, f"replayed {done.operation} changed the database"

    @precondition(lambda self: self.done)
    @rule(data=st.data(), other_operation=st.booleans())
    def replay_different_request(self, data, other_operation):
        done = data.draw(st.sampled_from(self.done), label="replayed")
        self.tick += 1
        before = db_state()
        key = done.kwargs["idempotency_key"]
        with pytest.raises(IdempotencyConflict):
            if other_operation:
                # The same key for another kind of operation.
                if done.operation == "set_account_status":
                    services.create_registry(idempotency_key=key, code="QQ", party="QQ", name="Q", now=self.now)
                else:
                    services.set_account_status(idempotency_key=key, account="JP-GOV", status="open", now=self.now)
            else:
                changed = data.draw(st.sampled_from(done.mutations), label="changed")
                done.fn(now=self.now, **{**done.kwargs, **changed})
        assert db_state() == before, f"conflicting replay of {done.operation} changed the database"

    # -- invariants -------------------------------------------------------------------------------
    @invariant()
    def ledger_verifies(self):
        violation = verify_ledger()
        assert violation is None, str(violation)

    @invariant()
    def rows_agree_with_the_model(self):
        blocks = list(Block.objects.select_related("issuance", "registry", "account").order_by("start"))
        # The blocks, serial by serial, are the model.
        stored = db_serials(blocks)
        if stored != self.serials:
            diff = sorted(n for n in set(stored) | set(self.serials) if stored.get(n) != self.serials.get(n))
            n = diff[0]
            raise AssertionError(f"serial {n}: stored {stored.get(n)}, expected {self.serials.get(n)} ({len(diff)} differ)")
        # No overlap; each block in an account of the kind its status needs.
        wanted_kind = {
            "held": set(HOLDING_KINDS),
            "cancelled": {AccountKind.CANCELLATION},
            "retired": {AccountKind.RETIREMENT},
            "exported": set(),
        }
        per_issuance: dict[int, int] = {}
        last_end = 0
        for b in blocks:
            assert b.start > last_end, f"block {b.start}-{b.end} overlaps the previous one"
            last_end = b.end
            kind = b.account.kind if b.account_id else None
            assert (kind in wanted_kind[b.status]) if kind else not wanted_kind[b.status], f"{b.status} block {b} in {kind}"
            per_issuance[b.issuance_id] = per_issuance.get(b.issuance_id, 0) + b.end - b.start + 1
        # Conservation, counted from the rows: held + cancelled + retired + exported = issued.
        issued = {i.pk: i for i in Issuance.objects.select_related("registry")}
        assert per_issuance == {pk: i.quantity for pk, i in issued.items()}
        assert {i.reference: (i.registry.code, i.quantity, i.serial_start, i.serial_end) for i in issued.values()} == (
            self.issuances
        )
        # Balances and statuses.
        counts: dict[str, int] = {}
        for s in self.serials.values():
            if s.account is not None:
                counts[s.account] = counts.get(s.account, 0) + 1
        stored_accounts = {n: (b, st_) for n, b, st_ in Account.objects.values_list("number", "balance", "status")}
        assert stored_accounts == {n: (counts.get(n, 0), a.status.value) for n, a in self.accounts.items()}
        # Journal, serial counter, notifications.
        head = JournalHead.objects.get(pk=1)
        assert JournalEntry.objects.count() == head.sequence == self.entries
        assert head.next_serial == self.next_serial
        notes = dict(Notification.objects.values_list("reference", "issuance__reference"))
        assert notes == {ref: ref if n.issued else None for ref, n in self.notes.items()}
        # Transactions and their movements.
        moved: dict[int, int] = {}
        for tx_id, start, end in Movement.objects.values_list("transaction_id", "start", "end"):
            moved[tx_id] = moved.get(tx_id, 0) + end - start + 1
        txs = list(Transaction.objects.values_list("pk", "quantity", "entry_id", "to_account_id"))
        assert len(txs) == self.movement_txs
        for pk, quantity, entry_id, to_account_id in txs:
            assert entry_id is not None
            assert moved.get(pk) == quantity, f"transaction #{pk} moves {moved.get(pk)} serials, not {quantity}"
            if pk in self.exports:
                assert to_account_id is None, f"export #{pk} names a local account as its receiver"
        assert dict(RetirementRecord.objects.values_list("number", "quantity")) == self.retirements


def test_services_keep_every_invariant():
    run_state_machine_as_test(
        ServicesMachine,
        settings=settings(max_examples=25, stateful_step_count=30, deadline=None),
    )
