"""A complete in-memory ledger: state + hash-chained journal. The reference for the services.

Every method takes the time of the action (``at``, an ISO 8601 string: time is injected) and
returns the journal entry it appended. A refused request raises a LedgerError and appends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .allocation import AllocationRule, Share, allocate
from .article6 import FirstTransferTrigger, Purpose
from .journal import JournalEntry, next_entry
from .ledger import (
    Event,
    LedgerState,
    Payload,
    apply,
    end_state_event,
    international_transfer_event,
    issuance_event,
    resolve_ranges,
)
from .model import AccountKind, AccountStatus, RetirementPurpose
from .serials import SerialRange, normalise, ranges_to_json
from .verify import Snapshot, Violation, verify


@dataclass
class Book:
    state: LedgerState = field(default_factory=LedgerState)
    journal: list[JournalEntry] = field(default_factory=list)

    def record(self, event: Event, *, at: str) -> JournalEntry:
        apply(self.state, event)
        entry = next_entry(
            self.journal[-1] if self.journal else None, kind=event.kind, occurred_at=at, payload=event.payload
        )
        self.journal.append(entry)
        return entry

    # -- registries and accounts ---------------------------------------------------------------
    def create_registry(self, code: str, *, party: str, hosted: bool = True, at: str) -> JournalEntry:
        return self.record(Event("registry.created", {"registry": code, "party": party, "hosted": hosted}), at=at)

    def open_account(self, number: str, *, registry: str, kind: AccountKind, holder: str = "", at: str) -> JournalEntry:
        payload: Payload = {"account": number, "registry": registry, "kind": kind.value, "holder": holder}
        return self.record(Event("account.opened", payload), at=at)

    def set_status(self, number: str, status: AccountStatus, *, at: str) -> JournalEntry:
        return self.record(Event("account.status", {"account": number, "status": status.value}), at=at)

    # -- issuance ------------------------------------------------------------------------------
    def notify(
        self,
        notification: str,
        *,
        registry: str,
        decision: str,
        project: str,
        vintage: int,
        quantity: int,
        monitoring_period: str = "",
        at: str,
    ) -> JournalEntry:
        """Record the Joint Committee's notification to ``registry``: issue ``quantity``, once."""
        payload: Payload = {
            "notification": notification,
            "registry": registry,
            "decision": decision,
            "project": project,
            "monitoring_period": monitoring_period,
            "vintage": vintage,
            "quantity": quantity,
        }
        return self.record(Event("jc_notification", payload), at=at)

    def issue(
        self,
        issuance: str,
        *,
        notification: str | None = None,
        registry: str,
        quantity: int,
        shares: Sequence[tuple[str, int]],
        approach: str,
        first_transferring_party: str,
        project: str,
        vintage: int,
        rule: AllocationRule = AllocationRule.LARGEST_REMAINDER,
        designated: str | None = None,
        at: str,
    ) -> JournalEntry:
        """Issue ``quantity`` into accounts by ``shares`` ((account, basis points), declared order).

        Executes ``notification``; without one, first records a notification ``N-<issuance>`` of
        exactly this quantity (a convenience of this in-memory book).
        """
        resolved = allocate(quantity, [Share(a, bp) for a, bp in shares], rule=rule, designated=designated)
        if notification is None:
            notification = f"N-{issuance}"
            self.notify(
                notification,
                registry=registry,
                decision=f"D-{issuance}",
                project=project,
                vintage=vintage,
                quantity=sum(q for _a, q in resolved),
                at=at,
            )
        event = issuance_event(
            issuance=issuance,
            notification=notification,
            registry=registry,
            approach=approach,
            first_transferring_party=first_transferring_party,
            project=project,
            vintage=vintage,
            first_serial=self.state.next_serial,
            allocations=resolved,
            extra={
                "allocation": {
                    "rule": rule.value,
                    "designated": designated or "",
                    "shares": [[a, bp] for a, bp in shares],
                },
            },
        )
        return self.record(event, at=at)

    # -- movements -----------------------------------------------------------------------------
    def _ranges(self, account: str, ranges: Iterable[SerialRange] | None, quantity: int | None) -> list[SerialRange]:
        return resolve_ranges(self.state, account, ranges=ranges, quantity=quantity)

    def transfer(
        self,
        from_: str,
        to: str,
        *,
        ranges: Iterable[SerialRange] | None = None,
        quantity: int | None = None,
        at: str,
    ) -> JournalEntry:
        rs = self._ranges(from_, ranges, quantity)
        return self.record(
            Event("transfer", {"from": from_, "to": to, "ranges": ranges_to_json(rs), "date": at[:10]}), at=at
        )

    def international_transfer(
        self,
        from_: str,
        *,
        to_registry: str,
        to: str,
        ranges: Iterable[SerialRange] | None = None,
        quantity: int | None = None,
        at: str,
    ) -> JournalEntry:
        rs = self._ranges(from_, ranges, quantity)
        event = international_transfer_event(
            self.state, from_=from_, to_registry=to_registry, to=to, ranges=rs, date=at[:10]
        )
        return self.record(event, at=at)

    def authorise(
        self,
        account: str,
        *,
        ranges: Iterable[SerialRange],
        authorisation_id: str,
        purposes: Sequence[Purpose],
        trigger: FirstTransferTrigger = FirstTransferTrigger.INTERNATIONAL_TRANSFER,
        at: str,
    ) -> JournalEntry:
        payload: Payload = {
            "account": account,
            "ranges": ranges_to_json(normalise(ranges)),
            "authorisation_id": authorisation_id,
            "date": at[:10],
            "purposes": sorted(p.value for p in purposes),
            "first_transfer_trigger": trigger.value,
        }
        return self.record(Event("authorisation", payload), at=at)

    def corresponding_adjustment(
        self, *, ranges: Iterable[SerialRange], party: str, year: int, at: str
    ) -> JournalEntry:
        payload: Payload = {"ranges": ranges_to_json(normalise(ranges)), "party": party, "year": year}
        return self.record(Event("corresponding_adjustment", payload), at=at)

    def cancel(
        self,
        from_: str,
        *,
        to: str,
        reason: str,
        ranges: Iterable[SerialRange] | None = None,
        quantity: int | None = None,
        at: str,
    ) -> JournalEntry:
        rs = self._ranges(from_, ranges, quantity)
        return self.record(
            end_state_event(self.state, "cancellation", from_=from_, to=to, ranges=rs, date=at[:10], reason=reason),
            at=at,
        )

    def retire(
        self,
        from_: str,
        *,
        to: str,
        purpose: RetirementPurpose,
        beneficiary: str,
        retirement: str,
        ndc_party: str = "",
        ranges: Iterable[SerialRange] | None = None,
        quantity: int | None = None,
        at: str,
    ) -> JournalEntry:
        rs = self._ranges(from_, ranges, quantity)
        event = end_state_event(
            self.state,
            "retirement",
            from_=from_,
            to=to,
            ranges=rs,
            date=at[:10],
            purpose=purpose.value,
            ndc_party=ndc_party,
            beneficiary=beneficiary,
            retirement=retirement,
        )
        return self.record(event, at=at)

    # -- proof ---------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        return Snapshot(
            accounts=dict(self.state.accounts),
            balances={k: v for k, v in self.state.balances.items()},
            issuances=dict(self.state.issuances),
            blocks=list(self.state.blocks.values()),
        )

    def verify(self) -> Violation | None:
        return verify(self.journal, snapshot=self.snapshot())
