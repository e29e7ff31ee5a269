"""PostgreSQL fast path of ``services.transfer``: the whole write in one statement.

The Python service (``services/movements.py``) is the reference implementation and the only one on
SQLite. On PostgreSQL, a well-formed transfer (exactly one of serial ranges or a positive
``quantity``, account numbers as strings) is executed by the PL/pgSQL function
``jcm_registry_transfer`` (``pgsql.py``, installed by migration 0004), which does what the service
does, in the same order, in the database: idempotency key, account locks and block locks by
primary key, the same checks with the same messages, the deterministic split, block and balance
rows, transaction, movements, audit event, and the journal entry chained with the same canonical
JSON and SHA-256 as ``core.journal`` (the journal head is locked last). Anything else (malformed
input, ``international_transfer``, ``cancel``, ``retire``, ...) takes the Python path.

Outside a transaction the call is a single autocommit statement (one round trip); inside one it runs
under a savepoint, so a refusal leaves the caller's transaction usable, as ``transaction.atomic``
does in the Python path.

``tests/registry/integration/test_fastpath.py`` runs the same random operations through both paths
and compares blocks, balances, transactions, movements, audit events and journal hashes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connection, transaction

from jcm.audit.context import current_request_id
from jcm.registry.core.errors import (
    AccountNotOpen,
    InsufficientHoldings,
    InvalidInput,
    LedgerError,
    SerialsNotHeld,
    UnknownObject,
    WrongAccountKind,
    WrongRegistry,
)
from jcm.registry.core.ledger import NOT_HOLDING, NOT_OPEN
from jcm.registry.core.messages import N_, Message, parse
from jcm.registry.core.serials import SerialRange
from jcm.registry.models import IdempotencyKey

# SQLSTATEs raised by the functions -> the domain error the Python service raises.
ERRORS: dict[str, type[LedgerError]] = {
    "JR001": InvalidInput,
    "JR002": UnknownObject,  # message: the account number
    "JR003": InsufficientHoldings,
    "JR004": AccountNotOpen,
    "JR005": WrongAccountKind,
    "JR006": WrongRegistry,
    "JR007": SerialsNotHeld,
}

# The templates of the messages each SQLSTATE carries (the same as the Python path's), so that a
# refusal by SQL is the same Message (template and parameters) and is translated alike.
TEMPLATES: dict[str, list[str]] = {
    "JR001": [N_("source and destination accounts are the same")],
    "JR003": [N_("account %(account)s holds %(available)s credits, %(quantity)s requested")],
    "JR004": [NOT_OPEN["source"], NOT_OPEN["destination"]],
    "JR005": [NOT_HOLDING["source"], NOT_HOLDING["destination"]],
    "JR006": [
        N_(
            "accounts %(number)s (%(registry)s) and %(number2)s (%(registry2)s) are in different registries; "
            "use an international transfer"
        )
    ],
    "JR007": [N_("serials %(cursor)s-%(end)s are not held in account %(account)s")],
}

_BIGINT_MAX = 2**63 - 1
_enabled = True


def enabled() -> bool:
    """True on PostgreSQL unless switched off with :func:`disabled`."""
    return _enabled and connection.vendor == "postgresql"


@contextmanager
def disabled() -> Iterator[None]:
    """Use the Python services everywhere (tests compare the two paths; benchmarks measure both)."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before


def handles_transfer(
    from_account: object, to_account: object, ranges: Sequence[SerialRange] | None, quantity: object
) -> bool:
    """Whether the fast path takes this (already normalised) transfer; otherwise the Python path."""
    if not enabled() or not isinstance(from_account, str) or not isinstance(to_account, str):
        return False
    if "\x00" in from_account or "\x00" in to_account:
        return False
    if ranges is None:
        return type(quantity) is int and 1 <= quantity <= _BIGINT_MAX
    return quantity is None and bool(ranges) and ranges[-1].end <= _BIGINT_MAX


_TRANSFER = (
    "SELECT jcm_registry_transfer(%s, %s, %s, %s, %s, %s::bigint[], %s::bigint[], %s::bigint,"
    " %s, %s, %s, %s, %s, %s, %s, %s)::text"
)


def transfer(
    *,
    scope: str,
    idempotency_key: str,
    request_hash: str,
    from_account: str,
    to_account: str,
    ranges: Sequence[SerialRange] | None,
    quantity: int | None,
    actor: Any,
    now: datetime,
) -> dict[str, Any]:
    """Run ``jcm_registry_transfer``; returns the stored result, or ``{"replay": {...}}``.

    Raises the service's LedgerError for a refusal.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    # Autocommit and no atomic block: the statement is the whole transaction.
    own_transaction = connection.get_autocommit() and not connection.in_atomic_block
    params = [
        scope,
        idempotency_key,
        request_hash,
        from_account,
        to_account,
        [r.start for r in ranges] if ranges is not None else None,
        [r.end for r in ranges] if ranges is not None else None,
        quantity,
        now,
        now.isoformat(),
        now.date().isoformat(),
        actor.pk if is_user else None,
        actor.get_username() if is_user else "system",
        current_request_id.get(),
        _audit_label(),
        own_transaction,
    ]
    try:
        if not own_transaction:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(_TRANSFER, params)
                (result,) = cur.fetchone()
        else:
            with connection.cursor() as cur:
                cur.execute(_TRANSFER, params)
                (result,) = cur.fetchone()
    except DatabaseError as exc:
        error = _domain_error(exc)
        if error is None:
            raise
        raise error from None
    answer: dict[str, Any] = json.loads(result)
    return answer


def _audit_label() -> str:
    """The prefix of the audit event's label; the function appends the journal sequence
    ("transfer #12", as ``services`` labels it)."""
    return "transfer #"


def _domain_error(exc: DatabaseError) -> LedgerError | None:
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None)
    if state not in ERRORS:
        return None
    message = getattr(getattr(cause, "diag", None), "message_primary", None) or ""
    if state == "JR002":
        return ERRORS[state](Message(N_("account %(number)s does not exist"), number=repr(message)))
    return ERRORS[state](parse(message, TEMPLATES.get(state, [])))


def replay_row(scope: str, key: str, replay: dict[str, Any]) -> IdempotencyKey:
    """The stored key row described by a ``{"replay": ...}`` answer (for ``_common._replay``)."""
    return IdempotencyKey(
        scope=scope,
        key=key, operation=replay["operation"], request_hash=replay["request_hash"], result=replay["result"]
    )
