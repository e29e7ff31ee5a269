"""Demo data for `make run` / `jcm demo`: one signed-in user per role, in the Japan–Mongolia pair.

Idempotent: running it twice changes nothing. Never run it against a production database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from jcm.accounts.core.roles import OrganisationKind, Role
from jcm.accounts.models import Organisation
from jcm.accounts.services import create_organisation, create_user, grant_role

DEMO_PASSWORD = "jcm-demo-2026"
DEMO_PAIR = "MN"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    kind: OrganisationKind
    pair: str | None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("participant", Role.PROJECT_PARTICIPANT, "Darkhan Solar LLC", OrganisationKind.COMPANY, DEMO_PAIR),
    DemoUser("focalpoint", Role.FOCAL_POINT, "Nippon Solar Partners K.K.", OrganisationKind.COMPANY, DEMO_PAIR),
    DemoUser("tpe", Role.TPE, "Demo Verification Services", OrganisationKind.TPE, DEMO_PAIR),
    DemoUser("jcmember", Role.JC_MEMBER, "Japan–Mongolia Joint Committee", OrganisationKind.JOINT_COMMITTEE,
             DEMO_PAIR),
    DemoUser("secretariat", Role.JC_SECRETARIAT, "Japan–Mongolia JC Secretariat", OrganisationKind.SECRETARIAT,
             DEMO_PAIR),
    DemoUser("registry-jp", Role.REGISTRY_MANAGER_JAPAN, "Government of Japan (registry)",
             OrganisationKind.GOVERNMENT, None),
    DemoUser("registry-mn", Role.REGISTRY_MANAGER_PARTNER, "Government of Mongolia (registry)",
             OrganisationKind.GOVERNMENT, DEMO_PAIR),
    DemoUser("programme", Role.PROGRAMME_MANAGER, "MOEJ model project programme", OrganisationKind.PROGRAMME, None),
    DemoUser("admin", Role.PLATFORM_ADMIN, "Platform operator", OrganisationKind.OTHER, None),
)


def load_demo(*, now: datetime) -> list[DemoUser]:
    """Create the demo organisations, users and roles that do not exist yet; return the demo users."""
    user_model = get_user_model()
    with transaction.atomic():
        for demo in DEMO_USERS:
            user = user_model.objects.filter(username=demo.username).first()
            if user is None:
                user = create_user(
                    username=demo.username, email=f"{demo.username}@demo.jcm-platform.invalid",
                    password=DEMO_PASSWORD, now=now, superuser=demo.role is Role.PLATFORM_ADMIN,
                    check_password=False,
                )
            org = Organisation.objects.filter(name=demo.organisation).first() or create_organisation(
                name=demo.organisation, kind=demo.kind.value, now=now,
                country_code="JP" if demo.pair is None else demo.pair,
            )
            grant_role(user=user, organisation=org, role=demo.role.value, partner_code=demo.pair, now=now)
    return list(DEMO_USERS)
