"""Issuance from a Joint Committee notification: the registry's inbox, then the issuance that executes it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.allocation import AllocationRule, Share, allocate, parse_rule
from jcm.registry.core.errors import InvalidInput, NotificationConsumed, UnknownObject, WrongRegistry
from jcm.registry.core.identifiers import check_elements
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.serials import SerialRange
from jcm.registry.models import (
    Account,
    Issuance,
    Notification,
    Registry,
    Transaction,
)
from jcm.registry.services._common import (
    Result,
    _append,
    _audit,
    _idempotent,
    _movements,
    _persist,
    _registry,
    _state_for,
    _user,
)
from jcm.registry.values import notification_value

# --------------------------------------------------------------------------------------------------
# The inbox: the JC's notification to one registry

RULE_SETTING = "JCM_ALLOCATION_RULE"


def configured_rule() -> AllocationRule:
    """The allocation rule used when a notification names none: the Django setting
    ``JCM_ALLOCATION_RULE`` if set, else the environment variable of that name, else
    ``largest_remainder`` (docs/configuration.md). A value that is not a rule is refused
    (InvalidInput on ``rule``), so a misconfiguration never issues by a rule nobody chose."""
    value = getattr(settings, RULE_SETTING, None) or os.environ.get(RULE_SETTING, "")
    return parse_rule(value, source=RULE_SETTING) if value.strip() else AllocationRule.LARGEST_REMAINDER


def record_jc_notification(
    *,
    idempotency_key: str,
    registry: str,
    reference: str,
    decision: str,
    project: str,
    monitoring_period: str = "",
    vintage: int,
    approach: str,
    first_transferring_party: str | None = None,
    quantity: int,
    allocation: Sequence[tuple[str, int]],
    rule: AllocationRule | str | None = None,
    designated: str | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Record the Joint Committee's notification ``decision`` to ``registry`` (one per decision,
    project, monitoring period and registry), for :func:`issue` to execute once.

    Called by the project cycle when the JC notifies issuance (the JC is not a registry role).
    ``quantity`` is the total the JC decided; ``allocation`` the Percentage of Credit Allocation as
    ``(target, basis points)`` in declared order, where a target is an account number of this
    registry or another registry's code, optionally with a party label (``"ID"``, ``"ID:PT Partner"``):
    a share issued there, not here. The shares are resolved to whole credits by ``rule`` (see
    core.allocation; default: the configured rule, :func:`configured_rule`) now; under
    ``remainder_to_designated`` the left-over credits go to ``designated`` (default: the share
    declared first, by convention the Government of Japan's). This registry's part (at least one
    credit) is what ``issue`` will issue.

    The project, vintage, cooperative approach, registry and first transferring Party must fit the
    unique identifier every issued block will carry (``core.identifiers``): ``project="ID-001"`` is
    refused here, naming the field, not later when a holding or a serial is looked up.

    Raises UnknownObject (registry, allocation target), WrongRegistry (an account of another
    registry), InvalidInput (a notification of this decision and side already recorded, no credits
    for this registry, a malformed allocation or identifier element, an unknown rule); each names
    its ``field``.
    """
    rule_value = configured_rule() if rule is None else parse_rule(rule)
    if rule_value is AllocationRule.REMAINDER_TO_DESIGNATED and designated is None and allocation:
        designated = allocation[0][0]
    request = {
        "registry": registry,
        "reference": reference,
        "decision": decision,
        "project": project,
        "monitoring_period": monitoring_period,
        "vintage": vintage,
        "approach": approach,
        "ftp": first_transferring_party,
        "quantity": quantity,
        "allocation": [list(a) for a in allocation],
        "rule": rule_value.value,
        "designated": designated,
    }

    def work() -> Result:
        reg = _registry(registry)
        for name, value in (("reference", reference), ("decision", decision), ("project", project)):
            if not value:
                raise InvalidInput(N_("a JC notification needs a reference, a decision and a project"), field=name)
        check_elements(
            approach=approach,
            registry=reg.code,
            first_transferring_party=first_transferring_party or reg.party,
            project=project,
            vintage=vintage,
        )
        resolved = allocate(quantity, [Share(t, bp) for t, bp in allocation], rule=rule_value, designated=designated)
        codes = set(Registry.objects.values_list("code", flat=True))
        ours = [(t, q) for t, q in resolved if t.split(":", 1)[0] not in codes]
        accounts = {
            a.number: a for a in Account.objects.select_related("registry").filter(number__in=[t for t, _ in ours])
        }
        for t, _ in ours:
            if t not in accounts:
                raise UnknownObject(
                    Message(N_("allocation target %(t)s is neither an account nor a registry"), t=repr(t)),
                    field="allocation",
                )
            if accounts[t].registry_id != reg.pk:
                raise WrongRegistry(
                    Message(
                        N_("account %(number)s is in registry %(registry)s, not %(code)s"),
                        number=t,
                        registry=accounts[t].registry.code,
                        code=reg.code,
                    ),
                    field="allocation",
                )
        side = sum(q for _, q in ours)
        if side < 1:
            raise InvalidInput(
                Message(N_("the allocation gives no credits to accounts of registry %(code)s"), code=reg.code),
                field="allocation",
            )
        def refuse_if_recorded() -> None:
            """Refused when this notification, or one of this decision for this side, is recorded."""
            if Notification.objects.filter(reference=reference).exists():
                raise InvalidInput(
                    Message(N_("JC notification %(notification)s already recorded"), notification=reference),
                    field="reference",
                )
            if Notification.objects.filter(
                registry=reg, decision=decision, project=project, monitoring_period=monitoring_period
            ).exists():
                raise InvalidInput(
                    Message(
                        N_("JC decision %(decision)s already notified registry %(code)s for %(project)s %(period)s"),
                        decision=decision,
                        code=reg.code,
                        project=project,
                        period=monitoring_period,
                    ),
                    field="decision",
                )

        refuse_if_recorded()
        details = {
            "total": quantity,
            "rule": rule_value.value,
            "designated": designated or "",
            "shares": [[t, bp] for t, bp in allocation],
            "resolved": [[t, q] for t, q in resolved],
            "accounts": [[t, q] for t, q in ours if q],
        }
        event = core.Event(
            "jc_notification",
            {
                "notification": reference,
                "registry": reg.code,
                "decision": decision,
                "project": project,
                "monitoring_period": monitoring_period,
                "vintage": vintage,
                "quantity": side,
                "allocation": details,
            },
        )
        core.apply(_state_for([], [], [reg]), event)
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    reference=reference,
                    registry=reg,
                    decision=decision,
                    project=project,
                    monitoring_period=monitoring_period,
                    vintage=vintage,
                    approach=approach,
                    first_transferring_party=first_transferring_party or reg.party,
                    total=quantity,
                    quantity=side,
                    allocation=details,
                    recorded_at=now,
                )
        except IntegrityError:
            # A concurrent request recorded it after our check (its row was not committed yet): the
            # same refusal as when it had committed first, not the unique index's error.
            refuse_if_recorded()
            raise
        _audit("jc_notification", row, now=now, actor=actor, after={"decision": decision, "quantity": side})
        _, sequence = _append(event, now)
        return Result(
            "record_jc_notification",
            sequence,
            quantity=side,
            details={"notification": reference, "registry": reg.code, "accounts": details["accounts"]},
        )

    return _idempotent("record_jc_notification", idempotency_key, request, now, work, actor=actor)


# --------------------------------------------------------------------------------------------------
# Issuance


def issue(
    *,
    idempotency_key: str,
    registry: str,
    notification: str,
    reference: str | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Execute the open JC ``notification`` of ``registry``: issue exactly the notified quantity,
    split by the notified allocation, into this registry's accounts in consecutive new serials,
    account by account in declared order. A notification is executed once; the issuance
    (``reference``, default: the notification's reference) and its journal entry name it.

    Raises UnknownObject (no such notification or account), WrongRegistry (the notification is
    addressed to another registry), NotificationConsumed (already executed), AccountNotOpen,
    WrongAccountKind, InvalidInput.
    """
    request = {"registry": registry, "notification": notification, "reference": reference}

    def work() -> Result:
        note = locks.lock_notification(notification)
        if note is None:
            raise UnknownObject(
                Message(N_("JC notification %(notification)s does not exist"), notification=repr(notification)),
                field="notification",
            )
        if note.registry.code != registry:
            raise WrongRegistry(
                Message(
                    N_("JC notification %(notification)s is addressed to registry %(addressee)s, not %(registry)s"),
                    notification=notification,
                    addressee=note.registry.code,
                    registry=registry,
                ),
                field="notification",
            )
        if note.issuance_id is not None:
            raise NotificationConsumed(
                Message(
                    N_("JC notification %(notification)s was already executed by issuance %(issuance)s"),
                    notification=notification,
                    issuance=note.issuance.reference,
                ),
                field="notification",
            )
        reg = note.registry
        # Recorded before the check at the notification existed? Refuse to issue blocks nobody could name.
        check_elements(
            approach=note.approach,
            registry=reg.code,
            first_transferring_party=note.first_transferring_party,
            project=note.project,
            vintage=note.vintage,
        )
        ref = reference or note.reference
        ours = [(t, q) for t, q in note.allocation["accounts"]]
        accounts = locks.lock_accounts([t for t, _ in ours])
        for t, _ in ours:
            if t not in accounts:
                raise UnknownObject(
                    Message(N_("allocation target %(t)s is neither an account nor a registry"), t=repr(t)),
                    field="allocation",
                )
        state = _state_for(accounts.values(), [], [reg])
        state.notifications[note.reference] = notification_value(note)
        head = locks.lock_head()
        state.next_serial = head.next_serial
        alloc = {k: note.allocation[k] for k in ("total", "rule", "designated", "shares", "resolved")}
        event = core.issuance_event(
            issuance=ref,
            notification=note.reference,
            registry=reg.code,
            approach=note.approach,
            first_transferring_party=note.first_transferring_party,
            project=note.project,
            vintage=note.vintage,
            first_serial=head.next_serial,
            allocations=ours,
            extra={"decision": note.decision, "monitoring_period": note.monitoring_period, "allocation": alloc},
        )
        if Issuance.objects.filter(reference=ref).exists():
            raise InvalidInput(Message(N_("issuance %(issuance)s already recorded"), issuance=ref), field="reference")
        core.apply(state, event)
        p = event.payload
        first, last = p["allocations"][0]["start"], p["allocations"][-1]["end"]
        iss = Issuance.objects.create(
            reference=ref,
            registry=reg,
            approach=note.approach,
            first_transferring_party=p["first_transferring_party"],
            project=note.project,
            monitoring_period=note.monitoring_period,
            vintage=note.vintage,
            quantity=p["quantity"],
            serial_start=first,
            serial_end=last,
            decision=note.decision,
            allocation=p["allocation"],
            issued_at=now,
        )
        Notification.objects.filter(pk=note.pk).update(issuance=iss, status=Notification.Status.ISSUED)
        _persist(state, [], accounts, issuance_ids={ref: iss.pk}, registry_ids={reg.code: reg.pk})
        head.next_serial = last + 1
        head.save(update_fields=["next_serial"])
        tx = Transaction.objects.create(
            kind="issuance",
            registry=reg,
            quantity=p["quantity"],
            ranges=[[first, last]],
            occurred_at=now,
            initiator=_user(actor),
        )
        _movements(tx, state, [SerialRange(first, last)], {ref: iss.pk})
        _audit(
            "issuance",
            iss,
            now=now,
            actor=actor,
            after={
                "quantity": p["quantity"],
                "serials": [first, last],
                "allocations": p["allocations"],
                "notification": note.reference,
                "decision": note.decision,
            },
        )
        _, sequence = _append(event, now, transaction_id=tx.pk)
        return Result(
            "issue",
            sequence,
            tx.pk,
            p["quantity"],
            [[first, last]],
            details={"issuance": ref, "notification": note.reference, "allocations": p["allocations"]},
        )

    return _idempotent("issue", idempotency_key, request, now, work, actor=actor)
