"""Writes for people, organisations and roles. One transaction and one audit event each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jcm.accounts.core.roles import OrganisationKind, Role, check_scope
from jcm.accounts.errors import AccountsError
from jcm.accounts.models import Membership, Organisation
from jcm.audit.services import record_event
from jcm.reference.models import CountryPair


def create_organisation(
    *, name: str, kind: str, now: datetime, actor: Any = None, country_code: str = "", tpe_id: str = "",
) -> Organisation:
    """Create an organisation. Raises AccountsError naming the field for a blank name or unknown kind."""
    name = name.strip()
    if not name:
        raise AccountsError("name", "must not be empty")
    if kind not in {k.value for k in OrganisationKind}:
        raise AccountsError("kind", f"unknown organisation kind {kind!r}")
    with transaction.atomic():
        if Organisation.objects.filter(name=name).exists():
            raise AccountsError("name", f"an organisation named {name!r} already exists")
        org = Organisation.objects.create(name=name, kind=kind, country_code=country_code, tpe_id=tpe_id)
        record_event(action="accounts.organisation.create", target=org, at=now, actor=actor,
                     after={"name": name, "kind": kind, "country_code": country_code, "tpe_id": tpe_id})
    return org


def create_user(
    *, username: str, email: str, password: str, now: datetime, actor: Any = None,
    superuser: bool = False, check_password: bool = True,
) -> Any:
    """Create a person who can sign in. Raises AccountsError for a taken username or weak password."""
    user_model = get_user_model()
    if not username.strip():
        raise AccountsError("username", "must not be empty")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise AccountsError("password", " ".join(exc.messages)) from exc
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise AccountsError("username", f"the username {username!r} is taken")
        user = user_model.objects.create_user(
            username=username, email=email, password=password,
            is_staff=superuser, is_superuser=superuser,
        )
        record_event(action="accounts.user.create", target=user, at=now, actor=actor,
                     after={"username": username, "email": email, "superuser": superuser})
    return user


def grant_role(
    *, user: Any, organisation: Organisation, role: str, now: datetime, partner_code: str | None = None,
    actor: Any = None,
) -> Membership:
    """Give ``user`` a role for ``organisation`` (in one country pair where the role needs one).

    Raises AccountsError for an unknown role, a missing/superfluous pair, or an unknown pair.
    Granting a role the user already holds returns the existing membership unchanged.
    """
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise AccountsError("role", f"unknown role {role!r}") from exc
    problem = check_scope(role_value, partner_code)
    if problem:
        raise AccountsError("pair", problem)
    with transaction.atomic():
        pair = None
        if partner_code:
            pair = CountryPair.objects.filter(partner__code=partner_code.upper()).first()
            if pair is None:
                raise AccountsError("pair", f"no country pair with partner {partner_code!r}")
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role_value.value, pair=pair,
        )
        if created:
            # The secretariat's back office is the Django admin.
            if role_value in (Role.JC_SECRETARIAT, Role.PLATFORM_ADMIN) and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            record_event(action="accounts.role.grant", target=membership, at=now, actor=actor,
                         after={"user": user.get_username(), "organisation": organisation.name,
                                "role": role_value.value, "pair": partner_code or ""})
    return membership
