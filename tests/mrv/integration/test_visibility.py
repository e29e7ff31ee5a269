"""Who reads a stored calculation: its creator, people of the creator's organisations, the JC and
secretariat of the methodology's pair (ID_AM003: Japan–Indonesia) and platform administrators — everyone
else only once its creator publishes it, and then without the creator's username. Writes take an API
token or the session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from jcm.accounts.api_auth import issue_token
from jcm.accounts.services import create_organisation, grant_role
from jcm.audit.models import AuditEvent
from jcm.mrv.models import Calculation

from .conftest import ID_AM003_PERIOD

pytestmark = pytest.mark.django_db

BODY = {
    "methodology": "ID_AM003",
    "label": "ID009 period 1",
    "periods": [{"period": ID_AM003_PERIOD, "monitored": {"EC_PJ": {"IQF-1": 135}}}],
    "parameters": {"values": {"COP_PJ": "1.63", "EF_elec": "0.814"}},
}

# who -> (organisation, role, partner country); the creator is "runner" of "Adib Foods".
PEOPLE = {
    "runner": ("Adib Foods", "project_participant", "ID"),
    "colleague": ("Adib Foods", "focal_point", "ID"),
    "stranger": ("Other Co", "project_participant", "ID"),
    "jc": ("JC Japan-Indonesia", "jc_member", "ID"),
    "secretariat": ("JC secretariat JP-ID", "jc_secretariat", "ID"),
    "jc_elsewhere": ("JC Japan-Sri Lanka", "jc_member", "LK"),
    "admin": ("Platform", "platform_admin", None),
}
INSIDERS = ("runner", "colleague", "jc", "secretariat", "admin")
OUTSIDERS = ("stranger", "jc_elsewhere", "no_role")


@pytest.fixture
def people(reference_data, now) -> dict[str, Any]:
    model = get_user_model()
    orgs: dict[str, Any] = {}
    users: dict[str, Any] = {}
    for name, (org, role, cc) in PEOPLE.items():
        if org not in orgs:
            orgs[org] = create_organisation(name=org, kind="company", now=now)
        users[name] = model.objects.create_user(name, password="pw")
        grant_role(user=users[name], organisation=orgs[org], role=role, partner_code=cc, now=now)
    users["no_role"] = model.objects.create_user("no_role", password="pw")
    return users


def _run(client, user, **extra: Any) -> dict[str, Any]:
    client.force_login(user)
    r = client.post("/api/v1/mrv/calculations", json.dumps(BODY | extra), content_type="application/json")
    assert r.status_code == 201, r.json()
    client.logout()
    return r.json()


def _read(client, user, calc_id: str):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(f"/api/v1/mrv/calculations/{calc_id}")


@pytest.mark.parametrize("who", INSIDERS)
def test_an_unpublished_calculation_is_read_by_insiders_with_the_username(client, people, who):
    calc = _run(client, people["runner"])
    assert calc["public"] is False
    r = _read(client, people[who], calc["id"])
    assert r.status_code == 200
    body = r.json()
    assert body["result"]["periods"][0]["er"] == 25 and body["inputs"] and body["submitted"]
    assert body["created_by"] == "runner" and body["run_by_organisation"] == "Adib Foods"
    page = client.get(f"/en/mrv/calculations/{calc['id']}/")
    assert page.status_code == 200 and "runner" in page.text
    assert client.get(f"/en/mrv/calculations/{calc['id']}/report.pdf").status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_unpublished_calculation_is_hidden_from_everyone_else(client, people, who):
    calc = _run(client, people["runner"])
    r = _read(client, people[who], calc["id"])
    assert r.status_code == 404 and "result" not in r.json()
    for path in (f"/en/mrv/calculations/{calc['id']}/", f"/en/mrv/calculations/{calc['id']}/report.pdf"):
        page = client.get(path)
        assert page.status_code == 404 and "runner" not in page.text and "IQF-1" not in page.text


def test_anonymous_readers_are_sent_to_sign_in_and_the_api_says_404(client, people):
    calc = _run(client, people["runner"])
    r = _read(client, None, calc["id"])
    assert r.status_code == 404 and "result" not in r.json()
    page = client.get(f"/en/mrv/calculations/{calc['id']}/")
    assert page.status_code == 302 and "login" in page["Location"]
    pdf = client.get(f"/en/mrv/calculations/{calc['id']}/report.pdf")
    assert pdf.status_code == 302


@pytest.mark.parametrize("who", (None, *OUTSIDERS))
def test_a_published_calculation_is_public_without_the_username(client, people, who):
    calc = _run(client, people["runner"])
    client.force_login(people["runner"])
    r = client.post(f"/api/v1/mrv/calculations/{calc['id']}/visibility", json.dumps({"public": True}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["public"] is True
    event = AuditEvent.objects.get(action="mrv.calculation.publish")
    assert event.actor == people["runner"]
    r = _read(client, people[who] if who else None, calc["id"])
    assert r.status_code == 200
    body = r.json()
    assert body["result"]["periods"][0]["er"] == 25
    assert body["created_by"] is None and body["run_by_organisation"] == "Adib Foods"
    assert "runner" not in json.dumps(body)
    page = client.get(f"/en/mrv/calculations/{calc['id']}/")
    assert page.status_code == 200 and "Adib Foods" in page.text and "runner" not in page.text


@pytest.mark.parametrize("who", ("colleague", "jc", "admin"))
def test_only_the_creator_publishes_or_withdraws(client, people, who):
    calc = _run(client, people["runner"])
    client.force_login(people[who])
    r = client.post(f"/api/v1/mrv/calculations/{calc['id']}/visibility", json.dumps({"public": True}),
                    content_type="application/json")
    assert r.status_code == 403 and r.json()["field"] == "calculation"
    page = client.post(f"/en/mrv/calculations/{calc['id']}/visibility", {"public": "1"})
    assert page.status_code == 403
    assert Calculation.objects.get().public is False
    assert not AuditEvent.objects.filter(action__startswith="mrv.calculation.").exists()


def test_the_creator_publishes_from_the_report_page_and_withdraws_again(client, people):
    calc = _run(client, people["runner"])
    client.force_login(people["runner"])
    page = client.get(f"/en/mrv/calculations/{calc['id']}/")
    assert "Publish this report" in page.text
    r = client.post(f"/en/mrv/calculations/{calc['id']}/visibility", {"public": "1"})
    assert r.status_code == 302 and Calculation.objects.get().public is True
    assert "Withdraw from the public" in client.get(f"/en/mrv/calculations/{calc['id']}/").text
    client.post(f"/en/mrv/calculations/{calc['id']}/visibility", {"public": "0"})
    assert Calculation.objects.get().public is False
    assert _read(client, None, calc["id"]).status_code == 404
    assert list(AuditEvent.objects.filter(action__startswith="mrv.calculation.").values_list("action", flat=True)
                .order_by("id")) == ["mrv.calculation.publish", "mrv.calculation.unpublish"]


def test_published_at_creation(client, people):
    calc = _run(client, people["runner"], public=True)
    assert calc["public"] is True and _read(client, None, calc["id"]).status_code == 200


def test_writes_take_an_api_token_and_reads_accept_it(client, people, now):
    token = issue_token(user=people["runner"], name="ci", now=now)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.post("/api/v1/mrv/calculations", json.dumps(BODY), content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["created_by"] == "runner"
    calc_id = r.json()["id"]
    assert client.get(f"/api/v1/mrv/calculations/{calc_id}", **auth).status_code == 200
    assert client.get(f"/api/v1/mrv/calculations/{calc_id}").status_code == 404
    bad = {"HTTP_AUTHORIZATION": "Bearer jcm_not-a-token"}
    assert client.post("/api/v1/mrv/calculations", json.dumps(BODY), content_type="application/json",
                       **bad).status_code == 401
    assert client.get(f"/api/v1/mrv/calculations/{calc_id}", **bad).status_code == 401
    r = client.post(f"/api/v1/mrv/calculations/{calc_id}/visibility", json.dumps({"public": True}),
                    content_type="application/json", **auth)
    assert r.status_code == 200 and client.get(f"/api/v1/mrv/calculations/{calc_id}").status_code == 200
