"""Registry writes. Each function is one regulatory action: one database transaction, one journal
entry, one audit event, and an idempotency key.

All public functions are keyword-only and take ``now`` (timezone-aware; time is injected) and
``actor`` (the user acting, or None for the system). They raise :class:`LedgerError` subclasses
(``jcm.registry.core.errors``) with a clear message and leave nothing half-written:

* ``InsufficientHoldings``: the source holds fewer credits than asked;
* ``AccountNotOpen``: an account is suspended or closed;
* ``WrongRegistry`` / ``WrongAccountKind``: accounts of the wrong registry or type;
* ``SerialsNotHeld``: some serials are not held (transferable) in the source account;
* ``UnauthorisedInternationalTransfer``: serials not authorised under Article 6;
* ``NotificationConsumed``: the JC notification was already executed by an issuance;
* ``IdempotencyConflict``: the key was used before for a different request;
* ``UnknownObject`` / ``InvalidInput``: a name that does not exist, a malformed value.

A replay with the same key and the same request returns the original result (``replayed=True``)
and writes nothing.
"""

from jcm.registry.services._common import Result
from jcm.registry.services.accounts import (
    close_account,
    create_registry,
    open_account,
    set_account_status,
    suspend_account,
)
from jcm.registry.services.article6 import authorise, record_corresponding_adjustment
from jcm.registry.services.issuance import issue, record_jc_notification
from jcm.registry.services.journal import create_checkpoint
from jcm.registry.services.movements import cancel, international_transfer, retire, transfer

__all__ = [
    "Result",
    "authorise",
    "cancel",
    "close_account",
    "create_checkpoint",
    "create_registry",
    "international_transfer",
    "issue",
    "open_account",
    "record_corresponding_adjustment",
    "record_jc_notification",
    "retire",
    "set_account_status",
    "suspend_account",
    "transfer",
]
