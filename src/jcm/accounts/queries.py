"""Reads about people and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jcm.accounts.core.roles import Role
from jcm.accounts.models import ROLE_LABELS, Membership


@dataclass(frozen=True, slots=True)
class RoleHeld:
    role: str
    role_label: str
    organisation: str
    partner_code: str | None


def roles_of(user: Any) -> list[RoleHeld]:
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = Membership.objects.filter(user=user).select_related("organisation", "pair__partner")
    return [
        RoleHeld(
            role=m.role,
            role_label=str(ROLE_LABELS[Role(m.role)]),
            organisation=m.organisation.name,
            partner_code=m.pair.partner.code if m.pair_id else None,
        )
        for m in memberships
    ]


def has_role(user: Any, role: Role | str, partner_code: str | None = None) -> bool:
    """Whether ``user`` holds ``role`` (in the pair of ``partner_code`` when the role is pair-scoped).

    A platform administrator holds no other role implicitly: permissions stay explicit.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    qs = Membership.objects.filter(user=user, role=Role(role).value)
    if partner_code is not None and Role(role) not in (Role.REGISTRY_MANAGER_JAPAN, Role.PROGRAMME_MANAGER,
                                                       Role.PLATFORM_ADMIN):
        qs = qs.filter(pair__partner__code=partner_code.upper())
    return qs.exists()


def organisations_of(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True).distinct())


def audit_scope(user: Any) -> set[str] | None:
    """Which pairs' audit trails ``user`` may read: None for all (platform administrators), else
    the partner codes of the pairs where the user is a JC member or JC secretariat (maybe empty)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "is_superuser", False) or has_role(user, Role.PLATFORM_ADMIN):
        return None
    codes = Membership.objects.filter(
        user=user, role__in=[Role.JC_MEMBER.value, Role.JC_SECRETARIAT.value], pair__isnull=False,
    ).values_list("pair__partner__code", flat=True)
    return set(codes)
