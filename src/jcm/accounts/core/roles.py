"""The roles people hold in the JCM, and which of them are scoped to a country pair."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PROJECT_PARTICIPANT = "project_participant"
    FOCAL_POINT = "focal_point"
    TPE = "tpe"
    JC_MEMBER = "jc_member"
    JC_SECRETARIAT = "jc_secretariat"
    REGISTRY_MANAGER_JAPAN = "registry_manager_japan"
    REGISTRY_MANAGER_PARTNER = "registry_manager_partner"
    PROGRAMME_MANAGER = "programme_manager"
    PLATFORM_ADMIN = "platform_admin"


# Roles that only make sense within one country pair (Japan + one partner).
PAIR_SCOPED: frozenset[Role] = frozenset({
    Role.PROJECT_PARTICIPANT,
    Role.FOCAL_POINT,
    Role.TPE,
    Role.JC_MEMBER,
    Role.JC_SECRETARIAT,
    Role.REGISTRY_MANAGER_PARTNER,
})

# Japan's registry manager acts for Japan in every pair; programme managers and administrators
# work across pairs.
PLATFORM_WIDE: frozenset[Role] = frozenset(set(Role) - PAIR_SCOPED)


class OrganisationKind(StrEnum):
    GOVERNMENT = "government"
    COMPANY = "company"
    TPE = "tpe"
    JOINT_COMMITTEE = "joint_committee"
    SECRETARIAT = "secretariat"
    PROGRAMME = "programme"
    OTHER = "other"


def check_scope(role: Role, partner_code: str | None) -> str | None:
    """Why a membership with this role and pair is invalid, or None when it is valid."""
    if role in PAIR_SCOPED and not partner_code:
        return f"the role {role.value} must be given for one country pair"
    if role in PLATFORM_WIDE and partner_code:
        return f"the role {role.value} applies to every country pair and takes no pair"
    return None
