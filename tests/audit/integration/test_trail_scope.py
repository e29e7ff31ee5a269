"""Who reads which audit trail: JC members and the secretariat read their own pairs' objects only."""

from __future__ import annotations

import pytest

from jcm.accounts.models import Membership
from jcm.accounts.services import create_organisation, create_user, grant_role
from jcm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reference_data, now):
    mn = create_user(username="jc-mn", email="", password="a-long-Pass-phrase-42", now=now)
    ge = create_user(username="jc-ge", email="", password="a-long-Pass-phrase-42", now=now)
    admin = create_user(username="root", email="", password="a-long-Pass-phrase-42", now=now, superuser=True)
    org_mn = create_organisation(name="JC MN", kind="joint_committee", now=now)
    org_ge = create_organisation(name="JC GE", kind="joint_committee", now=now)
    grant_role(user=mn, organisation=org_mn, role="jc_member", partner_code="MN", now=now)
    grant_role(user=ge, organisation=org_ge, role="jc_member", partner_code="GE", now=now)
    return {"mn": mn, "ge": ge, "admin": admin}


def test_events_record_the_pair_of_their_object(people):
    grant = AuditEvent.objects.get(action="accounts.role.grant", target_label__contains="jc-mn")
    assert grant.partner_code == "MN"
    assert AuditEvent.objects.get(action="accounts.user.create", target_label="root").partner_code == ""


def test_jc_member_reads_own_pair_trail_only(client, people):
    mn_membership = Membership.objects.get(user=people["mn"])
    url = f"/en/audit/accounts.membership/{mn_membership.pk}/"
    client.force_login(people["mn"])
    assert client.get(url).status_code == 200
    assert "accounts.role.grant" in client.get(url).content.decode()
    client.force_login(people["ge"])
    assert client.get(url).status_code == 403
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200


def test_workspace_recent_changes_are_scoped_to_the_pair(client, people):
    client.force_login(people["ge"])
    html = client.get("/en/workspace/").content.decode()
    assert "jc-mn" not in html
    assert "jc-ge" in html
