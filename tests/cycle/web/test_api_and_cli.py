"""/api/v1/cycle with API tokens: public reads, 401/403/404/409/422 bodies naming field and reason; and
the `jcm users token` / `jcm cycle` commands."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from .conftest import DEMO_NOW, project

pytestmark = pytest.mark.django_db


def token_for(username: str) -> str:
    from jcm.accounts.api_auth import issue_token

    return issue_token(user=get_user_model().objects.get(username=username), name="tests", now=DEMO_NOW)


def bearer(username: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(username)}"}


def test_public_reads(client, world):
    listed = client.get("/api/v1/cycle/projects").json()
    assert {"MN002", "GE_PIN001"} <= {p["reference"] for p in listed}
    assert all(p["state"] != "draft" for p in listed)
    detail = client.get("/api/v1/cycle/projects/MN002").json()
    assert detail["project_id"] == "MN002" and detail["timeline"][-1]["action"] == "register"
    assert detail["monitoring"][0]["ER"] == 3347
    assert {n["side"]: n["quantity"] for n in detail["credits"]} == {"japan": 1674, "partner": 1673}
    assert all(d["confidential_url"] == "" for d in detail["documents"])
    assert client.get("/api/v1/cycle/methodologies/GE_AM001").json()["am_id"] == "GE_AM001"
    assert any(d["number"] == "MN-JC-ISS-001" for d in client.get("/api/v1/cycle/decisions?pair=MN").json())
    missing = client.get("/api/v1/cycle/projects/XX001")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "reference"


def test_token_auth_401(client, world):
    assert client.get("/api/v1/cycle/awaiting").status_code == 401
    bad = client.get("/api/v1/cycle/awaiting", HTTP_AUTHORIZATION="Bearer jcm_not-a-token")
    assert bad.status_code == 401 and "detail" in bad.json()


def test_token_auth_awaiting(client, world):
    items = client.get("/api/v1/cycle/awaiting", **bearer("jcmember")).json()
    report = next(i for i in items if i["kind"] == "monitoring_report")
    assert {a["action"] for a in report["actions"]} == {"notify_issuance", "reject_issuance"}


def test_revoked_token_is_refused(client, world):
    from jcm.accounts.models import ApiToken

    headers = bearer("jcmember")
    ApiToken.objects.update(revoked_at=DEMO_NOW)
    assert client.get("/api/v1/cycle/awaiting", **headers).status_code == 401


def test_403_names_the_role(client, world):
    r = project("Solar power plant in Darkhan (phase 2)").monitoring_reports.get()
    body = {"action": "notify_issuance", "role": "jc_member",
            "decision": {"number": "X-1", "decided_on": "2026-11-19", "mode": "meeting"}}
    res = client.post(f"/api/v1/cycle/monitoring_report/{r.pk}/actions", body, content_type="application/json",
                      **bearer("participant"))
    assert res.status_code == 403
    assert res.json()["errors"][0]["field"] == "role" and res.json()["code"] == "relation"


def test_422_names_the_field(client, world):
    r = project("Solar power plant in Darkhan (phase 2)").monitoring_reports.get()
    url = f"/api/v1/cycle/monitoring_report/{r.pk}/actions"
    res = client.post(url, {"action": "notify_issuance"}, content_type="application/json", **bearer("jcmember"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "decision"
    res = client.post(url, {"action": "notify_issuance", "decision": {"number": "N", "decided_on": "soon"}},
                      content_type="application/json", **bearer("jcmember"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "decision.decided_on"
    res = client.post(url, {"action": "notify_issuance", "decision": {"number": "N", "decided_on": "2099-01-01"}},
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer("jcmember"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "decision"
    assert "after today" in res.json()["errors"][0]["message"]
    res = client.post(url, {"action": "notify_issuance", "decision": {"number": "N", "decided_on": "2099-01-01"}},
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja", **bearer("jcmember"))
    assert "今日（" in res.json()["errors"][0]["message"] and "2099-01-01" in res.json()["errors"][0]["message"]


def test_409_wrong_state_and_200(client, world):
    p = project("LED street lighting in Ulaanbaatar")
    url = f"/api/v1/cycle/project/{p.pk}/actions"
    res = client.post(url, {"action": "register", "decision": {"number": "N-1", "decided_on": "2026-11-19"}},
                      content_type="application/json", **bearer("jcmember"))
    assert res.status_code == 409 and res.json()["errors"][0]["field"] == "state"
    res = client.post(url, {"action": "validate_negative"}, content_type="application/json", **bearer("tpe"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "reason"
    res = client.post(url, {"action": "validate_negative", "reason": "baseline not conservative"},
                      content_type="application/json", **bearer("tpe"))
    assert res.status_code == 200 and res.json()["state"] == "negative_validation"


def test_public_comment_through_the_api(client, world):
    from jcm.cycle.models import Window

    w = Window.objects.get(project=project("Solar power plant in Sainshand"), key="pdd_public_input",
                           closed_at__isnull=True)
    res = client.post(f"/api/v1/cycle/windows/{w.pk}/comments", {"author_name": "R", "text": "ok"},
                      content_type="application/json")
    assert res.status_code == 201
    res = client.post(f"/api/v1/cycle/windows/{w.pk}/comments", {"author_name": "R"},
                      content_type="application/json")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "text"


def test_cli_token_awaiting_and_act(world):
    from typer.testing import CliRunner

    from jcm.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["users", "token", "jcmember", "--name", "ci"])
    assert out.exit_code == 0 and out.stdout.strip().startswith("jcm_")
    out = runner.invoke(app, ["cycle", "awaiting", "tpe"])
    assert out.exit_code == 0 and "validate_positive" in out.stdout
    p = project("LED street lighting in Ulaanbaatar")
    out = runner.invoke(app, ["cycle", "act", "jcmember", "project", str(p.pk), "register", "--decision", "N",
                              "--decided-on", "2026-11-19"])
    assert out.exit_code == 1 and "state" in out.stderr
    out = runner.invoke(app, ["cycle", "deadlines", "--at", "2026-11-20T10:00+00:00"])
    assert out.exit_code == 0 and "closed" in out.stdout
