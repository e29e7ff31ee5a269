"""People, organisations and roles scoped to a country pair; demo users; sign-in."""

from __future__ import annotations

import pytest

from jcm.accounts.core.roles import Role
from jcm.accounts.errors import AccountsError
from jcm.accounts.queries import has_role, roles_of
from jcm.accounts.services import create_organisation, create_user, grant_role
from jcm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def tpe_user(reference_data, now):
    user = create_user(username="auditor", email="a@example.org", password="a-long-Pass-phrase-42", now=now)
    org = create_organisation(name="Example TPE", kind="tpe", now=now)
    grant_role(user=user, organisation=org, role="tpe", partner_code="MN", now=now)
    return user


def test_role_is_scoped_to_its_pair(tpe_user):
    assert has_role(tpe_user, Role.TPE, "MN")
    assert not has_role(tpe_user, Role.TPE, "ID")
    assert [r.partner_code for r in roles_of(tpe_user)] == ["MN"]


def test_pair_scoped_role_without_pair_is_refused(reference_data, now):
    user = create_user(username="x", email="", password="a-long-Pass-phrase-42", now=now)
    org = create_organisation(name="Org", kind="company", now=now)
    with pytest.raises(AccountsError) as info:
        grant_role(user=user, organisation=org, role="jc_member", now=now)
    assert info.value.field == "pair"


def test_platform_wide_role_with_pair_is_refused(reference_data, now):
    user = create_user(username="x", email="", password="a-long-Pass-phrase-42", now=now)
    org = create_organisation(name="Org", kind="government", now=now)
    with pytest.raises(AccountsError) as info:
        grant_role(user=user, organisation=org, role="registry_manager_japan", partner_code="MN", now=now)
    assert info.value.field == "pair"


def test_unknown_role_and_pair_are_refused(reference_data, now):
    user = create_user(username="x", email="", password="a-long-Pass-phrase-42", now=now)
    org = create_organisation(name="Org", kind="company", now=now)
    with pytest.raises(AccountsError, match="role"):
        grant_role(user=user, organisation=org, role="king", partner_code="MN", now=now)
    with pytest.raises(AccountsError, match="pair"):
        grant_role(user=user, organisation=org, role="tpe", partner_code="ZZ", now=now)


def test_weak_password_and_taken_username_are_refused(reference_data, now):
    with pytest.raises(AccountsError) as info:
        create_user(username="y", email="", password="123", now=now)
    assert info.value.field == "password"
    create_user(username="y", email="", password="a-long-Pass-phrase-42", now=now)
    with pytest.raises(AccountsError, match="taken"):
        create_user(username="y", email="", password="a-long-Pass-phrase-42", now=now)


def test_each_grant_is_audited(tpe_user):
    actions = list(AuditEvent.objects.exclude(action="reference.load").values_list("action", flat=True))
    assert actions == ["accounts.user.create", "accounts.organisation.create", "accounts.role.grant"]


def test_demo_users_cover_every_role_and_can_sign_in(client, reference_data, now):
    from jcm.site.demo import DEMO_PASSWORD, load_demo

    users = load_demo(now=now)
    assert {u.role for u in users} == set(Role)
    load_demo(now=now)  # idempotent
    assert client.login(username="secretariat", password=DEMO_PASSWORD)
    html = client.get("/en/workspace/").content.decode()
    assert "JC secretariat" in html and "JP–MN" in html
    assert "Recent changes" in html  # the secretariat sees the audit trail
    admin = client.get("/en/admin/")
    assert admin.status_code == 200  # the secretariat's back office


def test_participant_workspace_has_no_audit_trail(client, reference_data, now):
    from jcm.site.demo import DEMO_PASSWORD, load_demo

    load_demo(now=now)
    client.login(username="participant", password=DEMO_PASSWORD)
    html = client.get("/en/workspace/").content.decode()
    assert "project participant" in html
    assert "Recent changes" not in html


def test_workspace_requires_sign_in(client):
    response = client.get("/en/workspace/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_sign_in_through_the_login_form(client, reference_data, now):
    from jcm.site.demo import DEMO_PASSWORD, load_demo

    load_demo(now=now)
    response = client.post("/en/accounts/login/", {"login": "tpe", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/workspace/").status_code == 200


def test_two_factor_setup_is_offered_to_a_signed_in_user(client, reference_data, now):
    from jcm.site.demo import DEMO_PASSWORD, load_demo

    load_demo(now=now)
    client.login(username="participant", password=DEMO_PASSWORD)
    response = client.get("/en/accounts/2fa/")
    assert response.status_code == 200
    totp = client.get("/en/accounts/2fa/totp/activate/")
    # allauth asks for re-authentication or shows the TOTP secret; either way the page exists
    assert totp.status_code in (200, 302)


def test_cli_bootstraps_an_administrator_and_grants_roles(reference_data):
    from django.contrib.auth import get_user_model
    from typer.testing import CliRunner

    from jcm.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["users", "create", "root", "--email", "r@example.org", "--admin"],
                           input="a-long-Pass-phrase-42\na-long-Pass-phrase-42\n")
    assert result.exit_code == 0, result.output
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser and has_role(root, Role.PLATFORM_ADMIN)
    result = runner.invoke(app, ["users", "grant", "root", "jc_member", "--organisation", "JP-ID JC",
                                 "--kind", "joint_committee", "--pair", "ID"])
    assert result.exit_code == 0, result.output
    assert has_role(root, Role.JC_MEMBER, "ID")
    refused = runner.invoke(app, ["users", "grant", "root", "jc_member", "--organisation", "JP-ID JC"])
    assert refused.exit_code == 1
    assert "pair" in refused.output
