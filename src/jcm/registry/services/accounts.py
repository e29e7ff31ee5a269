"""Registries and accounts: create, open, suspend, reopen, close."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from jcm.registry import locks
from jcm.registry.core import ledger as core
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.messages import N_, Message
from jcm.registry.core.model import AccountKind, AccountStatus
from jcm.registry.models import (
    Account,
    Registry,
)
from jcm.registry.services._common import (
    Result,
    _account,
    _append,
    _audit,
    _idempotent,
    _registry,
    _state_for,
)
from jcm.registry.values import registry_value

# --------------------------------------------------------------------------------------------------
# Registries and accounts


@contextmanager
def _refused_if_taken(taken: Callable[[], bool], message: Message) -> Iterator[None]:
    """The check above saw no row, but a concurrent request inserted one since (``taken()`` after
    the unique index refused ours): the same refusal (InvalidInput) as when it had committed first,
    not an IntegrityError."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not taken():
            raise
        raise InvalidInput(message) from exc


def create_registry(
    *,
    idempotency_key: str,
    code: str,
    party: str,
    name: str,
    hosted: bool = True,
    manager_id: int | None = None,
    actor: Any = None,
    now: datetime,
) -> Result:
    """Set up one government's registry (or record a counterpart registry hosted elsewhere)."""
    request = {"code": code, "party": party, "name": name, "hosted": hosted, "manager": manager_id}

    def work() -> Result:
        state = core.LedgerState(registries={r.code: registry_value(r) for r in Registry.objects.filter(code=code)})
        event = core.Event("registry.created", {"registry": code, "party": party, "hosted": hosted})
        core.apply(state, event)
        taken = Registry.objects.filter(code=code).exists
        with _refused_if_taken(taken, Message(N_("registry %(code)s already exists"), code=code)):
            reg = Registry.objects.create(
                code=code, party=party, name=name, hosted=hosted, manager_id=manager_id, created_at=now
            )
        _, sequence = _append(event, now)
        _audit("registry_created", reg, now=now, actor=actor, after=request)
        return Result("create_registry", sequence, details={"registry": code})

    return _idempotent("create_registry", idempotency_key, request, now, work, actor=actor)


def open_account(
    *,
    idempotency_key: str,
    registry: str,
    number: str,
    kind: AccountKind | str,
    holder_id: int | None = None,
    holder_name: str = "",
    actor: Any = None,
    now: datetime,
) -> Result:
    """Open an account in ``registry``; raises WrongRegistry for a registry not hosted here."""
    kind_value = AccountKind(kind).value
    request = {
        "registry": registry,
        "number": number,
        "kind": kind_value,
        "holder": holder_id,
        "holder_name": holder_name,
    }

    def work() -> Result:
        reg = _registry(registry)
        state = core.LedgerState(registries={reg.code: registry_value(reg)})
        if Account.objects.filter(number=number).exists():
            state.accounts[number] = core.AccountInfo(number, reg.code, AccountKind(kind_value))
        event = core.Event(
            "account.opened", {"account": number, "registry": reg.code, "kind": kind_value, "holder": holder_name}
        )
        core.apply(state, event)
        taken = Account.objects.filter(number=number).exists
        with _refused_if_taken(taken, Message(N_("account %(number)s already exists"), number=number)):
            acct = Account.objects.create(
                registry=reg, number=number, kind=kind_value, holder_id=holder_id, holder_name=holder_name,
                opened_at=now,
            )
        _, sequence = _append(event, now)
        _audit("account_opened", acct, now=now, actor=actor, after=request)
        return Result("open_account", sequence, details={"account": number})

    return _idempotent("open_account", idempotency_key, request, now, work, actor=actor)


def set_account_status(
    *, idempotency_key: str, account: str, status: AccountStatus | str, actor: Any = None, now: datetime
) -> Result:
    """Suspend, reopen or close an account. A closed account never receives; closing one that still
    holds credits is refused."""
    status_value = AccountStatus(status).value
    request = {"account": account, "status": status_value}

    def work() -> Result:
        acct = _account(account)
        locked = locks.lock_accounts([account])[account]
        state = _state_for([locked], [])
        before = locked.status
        event = core.Event("account.status", {"account": account, "status": status_value})
        core.apply(state, event)
        Account.objects.filter(pk=acct.pk).update(status=status_value, status_changed_at=now)
        _, sequence = _append(event, now)
        _audit(f"account_{status_value}", acct, now=now, actor=actor, after={"status": status_value, "before": before})
        return Result("set_account_status", sequence, details={"account": account, "status": status_value})

    return _idempotent("set_account_status", idempotency_key, request, now, work, actor=actor)


def suspend_account(*, idempotency_key: str, account: str, actor: Any = None, now: datetime) -> Result:
    return set_account_status(
        idempotency_key=idempotency_key, account=account, status=AccountStatus.SUSPENDED, actor=actor, now=now
    )


def close_account(*, idempotency_key: str, account: str, actor: Any = None, now: datetime) -> Result:
    return set_account_status(
        idempotency_key=idempotency_key, account=account, status=AccountStatus.CLOSED, actor=actor, now=now
    )
