"""/api/v1/cycle, the more actions: edit a project before registration, change requests (MoC change,
post-registration change, renewal) drafted and acted on, TPE designations and JC meeting reports. The
allowed role gets 2xx; another role 403 before any 422; a bad body 422 naming the field."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import project
from .test_api_and_cli import bearer

pytestmark = pytest.mark.django_db

P_VAL = "LED street lighting in Ulaanbaatar"
P_REG = "Solar power plant in Darkhan (phase 2)"


def _json(client, method, url, body, who=None):
    extra = bearer(who) if who else {}
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def _field(res) -> str:
    return res.json()["errors"][0]["field"]


# --- update_project ---------------------------------------------------------------------------------


def test_participants_edit_a_project_before_registration(client, world):
    p = project(P_VAL)
    res = _json(client, "patch", f"/api/v1/cycle/project/{p.pk}",
                {"title": "LED street lighting in Ulaanbaatar (districts 1-3)", "equipment": ["MN-LED-UB-01", "X-2"]},
                "focalpoint")
    assert res.status_code == 200, res.json()
    p.refresh_from_db()
    assert p.title.endswith("(districts 1-3)") and p.equipment.count() == 2


def test_update_project_refusals_in_order(client, world):
    p = project(P_VAL)
    url = f"/api/v1/cycle/project/{p.pk}"
    bad = {"title": ["not", "a", "string"], "crediting_start": "soon"}
    assert _json(client, "patch", url, bad).status_code == 401
    assert _json(client, "patch", "/api/v1/cycle/project/999999", bad, "focalpoint").status_code == 404
    res = _json(client, "patch", url, bad, "participant-ge")
    assert res.status_code == 403 and res.json()["code"] == "relation"
    for who in ("jcmember", "secretariat", "tpe"):
        res = _json(client, "patch", url, bad, who)
        assert res.status_code == 403 and res.json()["code"] == "role_not_allowed", who
        assert "crediting_start" not in str(res.json())
    res = _json(client, "patch", url, bad, "focalpoint")
    assert res.status_code == 422 and {"title", "crediting_start"} <= {e["field"] for e in res.json()["errors"]}
    res = _json(client, "patch", url, {"title": "  "}, "focalpoint")
    assert res.status_code == 422 and _field(res) == "title"


def test_a_registered_project_is_not_edited(client, world):
    res = _json(client, "patch", f"/api/v1/cycle/project/{project(P_REG).pk}", {"title": "x"}, "focalpoint")
    assert res.status_code in (409, 422) and res.json()["errors"]


# --- change requests ------------------------------------------------------------------------------


def _moc():
    from jcm.accounts.models import Organisation

    fp = Organisation.objects.get(name="Nippon Solar Partners K.K.").pk
    local = Organisation.objects.get(name="Darkhan Solar LLC").pk
    return {"focal_point": local, "parties": [{"organisation": fp, "side": "japan"},
                                              {"organisation": local, "side": "partner"}],
            "signatories": [{"name": "B. Bat-Erdene", "organisation": "Darkhan Solar LLC"}]}


def test_an_moc_change_is_drafted_with_its_moc_submitted_and_acted_on(client, world):
    p = project(P_REG)
    res = _json(client, "post", f"/api/v1/cycle/project/{p.pk}/change_requests",
                {"kind": "moc_change", "description": "Darkhan Solar becomes the focal point", "moc": _moc()},
                "focalpoint")
    assert res.status_code == 201, res.json()
    cr = res.json()
    assert cr["state"] == "draft" and cr["moc_filed"] and cr["change_kind"] == "moc_change"
    res = _json(client, "post", f"/api/v1/cycle/change_request/{cr['id']}/actions", {"action": "submit"},
                "focalpoint")
    assert res.status_code == 200, res.json()
    assert res.json()["state"] == "submitted"
    # the secretariat acts next; a participant may not
    res = _json(client, "post", f"/api/v1/cycle/change_request/{cr['id']}/actions",
                {"action": "mark_complete"}, "focalpoint")
    assert res.status_code == 403


def test_an_moc_filed_later_and_refusals(client, world):
    p = project(P_REG)
    res = _json(client, "post", f"/api/v1/cycle/project/{p.pk}/change_requests", {"kind": "moc_change"},
                "participant")
    assert res.status_code == 201, res.json()
    cr = res.json()["id"]
    res = _json(client, "post", f"/api/v1/cycle/change_request/{cr}/actions", {"action": "submit"}, "participant")
    assert res.status_code == 422 and _field(res) == "moc"
    url = f"/api/v1/cycle/change_request/{cr}/moc"
    assert _json(client, "post", url, {"focal_point": "x"}, "jcmember").status_code == 403
    res = _json(client, "post", url, {"focal_point": "x"}, "participant")
    assert res.status_code == 422 and {"focal_point", "parties", "signatories"} <= {
        e["field"] for e in res.json()["errors"]}
    res = _json(client, "post", url, _moc(), "participant")
    assert res.status_code == 201 and res.json()["moc_filed"]


def test_a_renewal_and_a_post_registration_change(client, world):
    p = project(P_REG)
    url = f"/api/v1/cycle/project/{p.pk}/change_requests"
    res = _json(client, "post", url, {"kind": "renewal", "new_crediting_start": "2031-01-01",
                                      "new_crediting_end": "2030-01-01"}, "focalpoint")
    assert res.status_code == 422 and _field(res) == "crediting_period"
    res = _json(client, "post", url, {"kind": "renewal", "new_crediting_start": "2031-01-01",
                                      "new_crediting_end": "2040-01-01"}, "focalpoint")
    assert res.status_code == 201 and res.json()["change_kind"] == "renewal"
    res = _json(client, "post", url, {"kind": "post_registration_change", "description": "A second inverter"},
                "focalpoint")
    assert res.status_code == 201 and res.json()["number"] == 2


def test_change_request_refusals_in_order(client, world):
    url = f"/api/v1/cycle/project/{project(P_REG).pk}/change_requests"
    bad = {"kind": "everything", "new_crediting_start": "soon"}
    assert _json(client, "post", url, bad).status_code == 401
    assert _json(client, "post", "/api/v1/cycle/project/999999/change_requests", bad, "focalpoint").status_code == 404
    res = _json(client, "post", url, bad, "participant-ge")
    assert res.status_code == 403 and res.json()["code"] == "relation"
    for who in ("jcmember", "secretariat"):
        res = _json(client, "post", url, bad, who)
        assert res.status_code == 403 and res.json()["code"] == "role_not_allowed", who
        assert "new_crediting_start" not in str(res.json())
    res = _json(client, "post", url, bad, "focalpoint")
    assert res.status_code == 422 and {"kind", "new_crediting_start"} <= {e["field"] for e in res.json()["errors"]}
    res = _json(client, "post", url, {"kind": "renewal", "moc": _moc()}, "focalpoint")
    assert res.status_code == 422 and _field(res) == "moc"


# --- TPE designations -------------------------------------------------------------------------------


DESIGNATION = {"partner": "MN", "tpe_id": "TPE-MN-014", "function": "verification", "scopes": [1],
               "designated_on": "2026-01-01", "expires_on": "2028-12-31"}


def test_the_secretariat_records_a_designation(client, world):
    res = _json(client, "post", "/api/v1/cycle/designations", DESIGNATION, "secretariat")
    assert res.status_code == 201, res.json()
    assert res.json()["function"] == "verification" and res.json()["scopes"] == [1]


def test_designation_refusals_in_order(client, world):
    bad = {"partner": "MN", "function": "auditing", "scopes": "all"}
    url = "/api/v1/cycle/designations"
    assert _json(client, "post", url, bad).status_code == 401
    res = _json(client, "post", url, bad, "secretariat-ge")
    assert res.status_code == 403 and res.json()["code"] == "relation"
    for who in ("jcmember", "participant", "tpe"):
        res = _json(client, "post", url, bad, who)
        assert res.status_code == 403 and res.json()["code"] == "role_not_allowed", who
        assert "function" not in str(res.json()["errors"])
    res = _json(client, "post", url, bad, "secretariat")
    assert res.status_code == 422 and {"tpe_id", "function", "scopes"} <= {e["field"] for e in res.json()["errors"]}
    res = _json(client, "post", url, DESIGNATION | {"tpe_id": "TPE-XX-999"}, "secretariat")
    assert res.status_code == 404 and _field(res) == "tpe"
    res = _json(client, "post", url, DESIGNATION | {"scopes": [999]}, "secretariat")
    assert res.status_code == 422 and _field(res) == "scopes"


# --- JC meeting reports -------------------------------------------------------------------------------


def test_the_secretariat_publishes_a_meeting_report(client, world):
    res = client.post("/api/v1/cycle/meeting_reports",
                      {"partner": "MN", "meeting": "11th JC meeting", "held_on": "2026-10-01",
                       "title": "Summary of the 11th JC meeting",
                       "file": SimpleUploadedFile("jc11.pdf", b"%PDF-1.4 demo")}, **bearer("secretariat"))
    assert res.status_code == 201, res.json()
    assert res.json()["meeting"] == "11th JC meeting" and res.json()["has_file"]


def test_meeting_report_refusals_in_order(client, world):
    url = "/api/v1/cycle/meeting_reports"
    assert client.post(url, {"partner": "MN"}).status_code == 401
    res = client.post(url, {"partner": "MN"}, **bearer("secretariat-ge"))
    assert res.status_code == 403 and res.json()["code"] == "relation"
    for who in ("jcmember", "participant"):
        res = client.post(url, {"partner": "MN"}, **bearer(who))
        assert res.status_code == 403 and res.json()["code"] == "role_not_allowed", who
    res = client.post(url, {"partner": "MN", "held_on": "2026-10-01", "title": "x"}, **bearer("secretariat"))
    assert res.status_code == 422 and _field(res) == "meeting"
    res = client.post(url, {"partner": "MN", "meeting": "12th", "held_on": "soon", "title": "x"},
                      **bearer("secretariat"))
    assert res.status_code == 422 and _field(res) == "held_on"
    res = client.post(url, {"partner": "MN", "meeting": "10th JC meeting", "held_on": "2026-10-01", "title": "x"},
                      **bearer("secretariat"))
    assert res.status_code == 422 and _field(res) == "meeting"  # once per pair
