"""`rules` predicates: permissions are relations (role in a pair), not flags."""

from __future__ import annotations

from typing import Any

import rules

from jcm.accounts.core.roles import Role
from jcm.accounts.queries import has_role


def _partner_of(obj: Any) -> str | None:
    """The partner country code an object belongs to (objects expose ``partner_code``)."""
    return getattr(obj, "partner_code", None)


@rules.predicate
def is_jc_secretariat(user: Any, obj: Any = None) -> bool:
    return has_role(user, Role.JC_SECRETARIAT, _partner_of(obj))


@rules.predicate
def is_jc_member(user: Any, obj: Any = None) -> bool:
    return has_role(user, Role.JC_MEMBER, _partner_of(obj))


@rules.predicate
def is_platform_admin(user: Any, obj: Any = None) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PLATFORM_ADMIN)


rules.add_perm("accounts.view_audit_trail", is_jc_secretariat | is_jc_member | is_platform_admin)
