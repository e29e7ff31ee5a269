"""The cycle API checks who is asking before what they send: 401 without credentials, 404 for no such
object, 403 for a caller with no role or no relation to the object (or no role that may take the action),
and only then 422 for a malformed body — a stranger never learns the form's fields from a 422."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import project
from .test_api_and_cli import bearer

pytestmark = pytest.mark.django_db

MALFORMED = {"action": "verify", "verified": "not a number", "findings": "not a list",
             "decision": {"number": 1, "decided_on": "soon"}}


def _report_url():
    r = project("Solar power plant in Darkhan (phase 2)").monitoring_reports.get()
    return f"/api/v1/cycle/monitoring_report/{r.pk}/actions"


@pytest.mark.parametrize("who", ["participant-ge", "jcmember-ge", "secretariat-ge"])
def test_a_caller_without_a_role_in_the_pair_gets_403_not_the_forms_422(client, world, who):
    res = client.post(_report_url(), MALFORMED, content_type="application/json", **bearer(who))
    assert res.status_code == 403, res.json()
    assert res.json()["code"] == "relation" and res.json()["errors"][0]["field"] == "role"
    assert "verified" not in str(res.json())


def test_a_role_that_may_not_take_the_action_gets_403_before_the_body_is_read(client, world):
    res = client.post(_report_url(), MALFORMED, content_type="application/json", **bearer("programme"))
    assert res.status_code == 403 and res.json()["code"] == "role_not_allowed"
    res = client.post(_report_url(), MALFORMED, content_type="application/json", **bearer("jcmember"))
    assert res.status_code == 403 and res.json()["code"] == "role_not_allowed"  # verify is the TPE's


def test_the_body_is_validated_after_the_rights(client, world):
    res = client.post(_report_url(), MALFORMED, content_type="application/json", **bearer("tpe"))
    assert res.status_code == 422
    fields = {e["field"] for e in res.json()["errors"]}
    assert {"verified", "findings", "decision.decided_on"} <= fields


def test_without_credentials_401_and_no_object_404_come_first(client, world):
    assert client.post(_report_url(), MALFORMED, content_type="application/json").status_code == 401
    res = client.post("/api/v1/cycle/monitoring_report/999999/actions", MALFORMED, content_type="application/json",
                      **bearer("participant-ge"))
    assert res.status_code == 404


def test_documents_check_the_relation_before_the_fields(client, world):
    p = project("Solar power plant in Darkhan (phase 2)")
    url = f"/api/v1/cycle/project/{p.pk}/documents"
    res = client.post(url, {"title": "x"}, **bearer("participant-ge"))
    assert res.status_code == 403 and res.json()["code"] == "relation"
    res = client.post(url, {"title": "x"}, **bearer("participant"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "form_code"
    res = client.post(url, {"form_code": "F_MoC"}, **bearer("participant"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "public_file"
    res = client.post(url, {"form_code": "F_MoC", "public_file": SimpleUploadedFile("moc.pdf", b"%PDF-1.4")},
                      **bearer("participant-ge"))
    assert res.status_code == 403


def test_proposals_and_new_projects_check_the_pair_before_the_body(client, world):
    for path in ("/api/v1/cycle/projects", "/api/v1/cycle/methodologies"):
        res = client.post(path, {"partner": "MN", "scopes": "all"}, content_type="application/json",
                          **bearer("participant-ge"))
        assert res.status_code == 403 and res.json()["code"] == "relation", path
        res = client.post(path, {"partner": "MN", "scopes": "all"}, content_type="application/json",
                          **bearer("participant"))
        assert res.status_code == 422, path
        assert {e["field"] for e in res.json()["errors"]} >= {"title", "scopes"}
