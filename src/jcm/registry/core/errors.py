"""Domain errors of the registry ledger.

Every refusal is a :class:`LedgerError` with a stable machine ``code`` and a human message that
names the subject (account, serial range, field), translatable (``core.messages``). Services re-raise them unchanged; the API and
CLI translate them.

Where the core knows which input a refusal is about, the error also carries ``field``: the name of
that input as the services spell their keyword arguments (``project``, ``authorisation_date``,
``from_account``, ``to_account``, ``ranges``...); ``""`` when it does not know. The API, the CLI and
the forms put the refusal on that field (each in its own spelling of it).
"""

from __future__ import annotations

from .messages import Message, as_message


class LedgerError(Exception):
    """Base of every registry refusal. ``message`` is a :class:`~.messages.Message`: the English
    text, plus the template and parameters the Django layer translates (``jcm.registry.messages``)."""

    code = "ledger_error"

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message: Message = as_message(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(LedgerError):
    """A value is malformed (negative quantity, empty range, unknown purpose...)."""

    code = "invalid_input"


class UnknownObject(LedgerError):
    """An account, registry or issuance named in the operation does not exist."""

    code = "unknown_object"


class InsufficientHoldings(LedgerError):
    """The source account holds fewer transferable credits than requested."""

    code = "insufficient_holdings"


class AccountNotOpen(LedgerError):
    """The account is suspended or closed."""

    code = "account_not_open"


class WrongAccountKind(LedgerError):
    """The account type cannot take part in this operation (e.g. sending from a retirement account)."""

    code = "wrong_account_kind"


class WrongRegistry(LedgerError):
    """Accounts of the wrong registry: a domestic transfer across registries, or the reverse."""

    code = "wrong_registry"


class SerialsNotHeld(LedgerError):
    """Some serials of the requested range are not held (transferable) in the source account."""

    code = "serials_not_held"


class UnauthorisedInternationalTransfer(LedgerError):
    """International transfer of serials that are not authorised under Article 6."""

    code = "unauthorised_international_transfer"


class Article6Error(LedgerError):
    """An Article 6 transition that the block's state does not allow."""

    code = "article6_error"


class SerialConflict(LedgerError):
    """An issuance would reuse serial numbers already issued."""

    code = "serial_conflict"


class NotificationConsumed(LedgerError):
    """The Joint Committee notification was already executed by an issuance (it is consumed once)."""

    code = "notification_consumed"


class NotificationMismatch(LedgerError):
    """An issuance does not match the notification it executes (quantity, project or vintage)."""

    code = "notification_mismatch"


class IdempotencyConflict(LedgerError):
    """An idempotency key was replayed with different content."""

    code = "idempotency_conflict"
