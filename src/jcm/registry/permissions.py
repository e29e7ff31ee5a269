"""Who may operate a registry: its registry manager; account holders for their own accounts."""

from __future__ import annotations

from typing import Any

from jcm.accounts.core.roles import Role
from jcm.accounts.queries import has_role, organisations_of
from jcm.registry.models import Account, Registry


def manages(user: Any, registry: Registry) -> bool:
    """Japan's registry manager runs Japan's registry; a partner's, that partner's."""
    if registry.party == "JP":
        return has_role(user, Role.REGISTRY_MANAGER_JAPAN)
    return has_role(user, Role.REGISTRY_MANAGER_PARTNER, registry.party)


def holds(user: Any, account: Account) -> bool:
    return account.holder_id is not None and account.holder_id in organisations_of(user)


def may_see_account(user: Any, account: Account) -> bool:
    return manages(user, account.registry) or holds(user, account)


def may_move_from(user: Any, account: Account) -> bool:
    """Transfers and retirements from an account: its registry manager or its holder."""
    return may_see_account(user, account)
