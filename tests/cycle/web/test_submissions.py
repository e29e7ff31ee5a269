"""The submissions added to the workspace and the API: change requests from the project page, edits
before registration, the secretariat's designations and meeting reports, the link from a methodology
version to its revision, the double-registration explanation, project/proposal/document creation through
the API, `jcm users token --revoke` and `jcm cycle rulesets`."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import project
from .test_api_and_cli import bearer, token_for

pytestmark = pytest.mark.django_db

REGISTERED = "Solar power plant in Darkhan (phase 2)"
VALIDATION = "LED street lighting in Ulaanbaatar"


def test_change_requests_from_the_project_page(as_user):
    from jcm.cycle.models import ChangeRequest

    p = project(REGISTERED)
    c = as_user("focalpoint")
    page = c.get(f"/en/cycle/workspace/project/{p.pk}/")
    assert 'id="new-change-request"' in page.text and 'id="edit-project"' not in page.text
    url = f"/en/cycle/workspace/project/{p.pk}/changes/"
    res = c.post(url, {"cr-kind": "renewal", "cr-new_crediting_start": "2030-12-31"})
    assert res.status_code == 422 and "renewed crediting period" in res.text and not ChangeRequest.objects.filter(project=p).exists()
    res = c.post(url, {"cr-kind": "renewal", "cr-new_crediting_start": "2030-12-31",
                       "cr-new_crediting_end": "2035-12-31", "cr-description": "second period"})
    renewal = ChangeRequest.objects.get(project=p, kind="renewal")
    assert res.status_code == 302 and res["Location"].endswith(f"/workspace/change_request/{renewal.pk}/")
    page = c.get(res["Location"])
    assert "second period" in page.text and 'data-action="submit"' in page.text
    # an MoC change: the new MoC is filed with the request, from its page
    c.post(url, {"cr-kind": "moc_change", "cr-description": "new focal point"})
    moc_change = ChangeRequest.objects.get(project=p, kind="moc_change")
    page = c.get(f"/en/cycle/workspace/change_request/{moc_change.pk}/")
    assert 'name="change_request"' in page.text
    res = c.post(f"/en/cycle/workspace/project/{p.pk}/moc/", {
        "change_request": moc_change.pk, "moc-focal_point": p.focal_point_id, "moc-signatories": "A. Tanaka, CEO"})
    assert res.status_code == 302 and moc_change.mocs.count() == 1 and not moc_change.mocs.get().in_force
    # not for those who may not: no form, and the service refuses
    tpe = as_user("tpe")
    assert 'id="new-change-request"' not in tpe.get(f"/en/cycle/workspace/project/{p.pk}/").text
    res = tpe.post(url, {"cr-kind": "post_registration_change"})
    assert res.status_code == 422 and ChangeRequest.objects.filter(project=p).count() == 2


def test_edit_before_registration_and_explain_a_double_registration(as_user):
    from jcm.cycle.models import DoubleRegistrationHit

    p = project(VALIDATION)
    c = as_user("focalpoint")
    page = c.get(f"/en/cycle/workspace/project/{p.pk}/")
    assert 'id="edit-project"' in page.text and 'id="new-change-request"' not in page.text
    url = f"/en/cycle/workspace/project/{p.pk}/edit/"
    res = c.post(url, {"edit-title": "LED street lighting in Ulaanbaatar (all districts)",
                       "edit-crediting_start": "2026-01-01", "edit-crediting_end": "2025-01-01"})
    assert res.status_code == 422 and "after the start" in res.text
    # the same equipment as the PIN project in Tbilisi: a possible double registration
    res = c.post(url, {"edit-title": "LED street lighting in Ulaanbaatar (all districts)",
                       "edit-equipment": "GE-PV-0001\nUB-LED-9", "edit-sites": "47.918, 106.917, Ulaanbaatar"})
    assert res.status_code == 302
    p.refresh_from_db()
    assert p.title.endswith("(all districts)") and set(p.equipment.values_list("identifier", flat=True)) == {
        "GE-PV-0001", "UB-LED-9"}
    page = c.get(f"/en/cycle/workspace/project/{p.pk}/").text
    assert "Possible double registration" in page and "GE-PV-0001" in page
    fields = dict(re.findall(r'name="(hit0-[a-z]+)" value="([^"]*)"', page))
    assert set(fields) == {"hit0-other", "hit0-kind", "hit0-finding"}
    res = c.post(f"/en/cycle/workspace/project/{p.pk}/hits/0/", fields | {"hit0-explanation": ""})
    assert res.status_code == 422 and not DoubleRegistrationHit.objects.filter(project=p).exists()
    res = c.post(f"/en/cycle/workspace/project/{p.pk}/hits/0/",
                 fields | {"hit0-explanation": "The inverter was moved; the Tbilisi PIN lists it by mistake."})
    assert res.status_code == 302
    hit = DoubleRegistrationHit.objects.get(project=p)
    assert hit.kind == "equipment" and hit.explanation.startswith("The inverter was moved")
    # someone else's project: not a participant, refused, nothing written
    res = as_user("participant-ge").post(f"/en/cycle/workspace/project/{p.pk}/hits/0/",
                                         fields | {"hit0-explanation": "x"})
    assert res.status_code == 422 and DoubleRegistrationHit.objects.filter(project=p).count() == 1


def test_secretariat_records_designations_and_publishes_meeting_reports(as_user, client):
    from jcm.cycle.models import JcMeetingReport, RecordedDesignation

    assert as_user("participant").get("/en/cycle/workspace/secretariat/").status_code == 302
    c = as_user("secretariat")
    assert "TPE designations and JC meeting reports" in c.get("/en/cycle/workspace/").text
    page = c.get("/en/cycle/workspace/secretariat/")
    assert page.status_code == 200 and 'id="designation-form"' in page.text
    before = RecordedDesignation.objects.count()
    data = {"form": "designation", "des-partner": "MN", "des-tpe_id": "TPE-MN-014", "des-function": "verification",
            "des-scopes": "1, 3", "des-designated_on": "2026-01-10", "des-expires_on": "2025-01-01",
            "des-status": "designated"}
    res = c.post("/en/cycle/workspace/secretariat/", data)
    assert res.status_code == 422 and "expires after it starts" in res.text
    assert RecordedDesignation.objects.count() == before
    res = c.post("/en/cycle/workspace/secretariat/", data | {"des-expires_on": "2029-12-31",
                                                             "des-decision_number": "MN-JC-DES-7",
                                                             "des-decision_date": "2026-01-10"})
    assert res.status_code == 302
    row = RecordedDesignation.objects.latest("id")
    assert (row.tpe.tpe_id, row.function, sorted(row.scopes.values_list("number", flat=True)),
            row.decision.number) == ("TPE-MN-014", "verification", [1, 3], "MN-JC-DES-7")
    assert "MN-JC-DES-7" in c.get("/en/cycle/workspace/secretariat/").text
    res = c.post("/en/cycle/workspace/secretariat/", {
        "form": "meeting", "jc-partner": "MN", "jc-meeting": "11th JC meeting", "jc-held_on": "2026-11-01",
        "jc-title": "Summary of the 11th JC meeting",
        "jc-file": SimpleUploadedFile("jc11.txt", b"summary", content_type="text/plain")})
    assert res.status_code == 302
    report = JcMeetingReport.objects.get(meeting="11th JC meeting")
    assert "11th JC meeting" in client.get("/en/cycle/decisions/").text
    assert client.get(f"/en/cycle/files/meetings/{report.pk}/").status_code == 200
    res = c.post("/en/cycle/workspace/secretariat/", {"form": "meeting", "jc-partner": "MN",
                                                      "jc-meeting": "11th JC meeting", "jc-held_on": "2026-11-01"})
    assert res.status_code == 422 and JcMeetingReport.objects.filter(meeting="11th JC meeting").count() == 1
    # a secretariat of another pair cannot record in this one
    res = as_user("secretariat-ge").post("/en/cycle/workspace/secretariat/", data | {"des-expires_on": ""})
    assert res.status_code == 422 and RecordedDesignation.objects.count() == before + 1


def test_revision_request_leads_to_the_new_version(as_user, django_user_model):
    from django.core.files.base import ContentFile

    from jcm.audit.core.clock import system_now
    from jcm.cycle.models import MethodologyVersion
    from jcm.cycle.services import submit_document

    old = MethodologyVersion.objects.get(methodology__am_id="GE_AM001")
    submit_document(actor=django_user_model.objects.get(username="participant-ge"), subject=old,
                    form_code="F_AMR_Req", public_file=ContentFile(b"revision", name="amr.pdf"), now=system_now())
    c = as_user("participant-ge")
    assert 'data-action="request_revision"' in c.get(f"/en/cycle/workspace/methodology/{old.pk}/").text
    res = c.post(f"/en/cycle/workspace/methodology/{old.pk}/act/",
                 {"action": "request_revision", "role": "project_participant"})
    new = MethodologyVersion.objects.get(revises=old)
    assert res.status_code == 302 and res["Location"].endswith(f"/workspace/methodology/{new.pk}/")
    page = c.get(f"/en/cycle/workspace/methodology/{old.pk}/").text
    assert f'data-new-version="{new.pk}"' in page and new.version == "ver02.0"
    page = c.get(res["Location"]).text
    assert f'href="/en/cycle/workspace/methodology/{old.pk}/"' in page and "revises" in page


def test_api_creates_projects_proposals_and_document_versions(client, world):
    from jcm.accounts.models import Organisation
    from jcm.cycle.models import DocumentVersion, Project

    darkhan = Organisation.objects.get(name="Darkhan Solar LLC").pk
    body = {"partner": "MN", "title": "Wind farm in Salkhit", "scopes": [1],
            "participants": [{"organisation": darkhan, "side": "partner"}], "crediting_start": "2027-01-01",
            "crediting_end": "2032-01-01", "sites": [{"latitude": "47.9", "longitude": "106.6", "label": "Salkhit"}],
            "equipment": ["WTG-01"]}
    res = client.post("/api/v1/cycle/projects", body, content_type="application/json", **bearer("focalpoint"))
    assert res.status_code == 201, res.content
    p = Project.objects.get(pk=res.json()["id"])
    assert p.state == "draft" and p.key == res.json()["key"] and p.participants.count() == 2
    res = client.post("/api/v1/cycle/projects", body, content_type="application/json", **bearer("tpe"))
    assert res.status_code == 403 and res.json()["errors"][0]["field"] == "role"
    res = client.post("/api/v1/cycle/projects", body | {"scopes": [99]}, content_type="application/json",
                      **bearer("focalpoint"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "scopes"
    res = client.post("/api/v1/cycle/methodologies", {"partner": "MN", "title": "Small hydro", "scopes": [1]},
                      content_type="application/json", **bearer("participant"))
    assert res.status_code == 201 and res.json()["pm_id"].startswith("MN_PM") and res.json()["version"] == "ver01.0"
    url = f"/api/v1/cycle/project/{p.pk}/documents"
    res = client.post(url, {"form_code": "F_PDD", "public_file": SimpleUploadedFile("pdd.pdf", b"public"),
                            "confidential_file": SimpleUploadedFile("pdd-full.pdf", b"secret")},
                      **bearer("focalpoint"))
    assert res.status_code == 201, res.content
    v = DocumentVersion.objects.get(pk=res.json()["version_id"])
    assert v.has_confidential and res.json()["version"] == 1 and "url" not in str(res.json())
    res = client.post(url, {"form_code": "F_PDD"}, **bearer("focalpoint"))
    assert res.status_code == 422 and res.json()["errors"][0]["field"].endswith("public_file")
    res = client.post(url, {"form_code": "F_PDD", "public_file": SimpleUploadedFile("x.pdf", b"x")},
                      **bearer("participant-ge"))
    assert res.status_code == 403
    assert client.post("/api/v1/cycle/project/999999/documents", {"form_code": "F_PDD", "public_file":
                       SimpleUploadedFile("x.pdf", b"x")}, **bearer("focalpoint")).status_code == 404


def test_cli_revokes_tokens(client, world):
    from typer.testing import CliRunner

    from jcm.cli import app

    first, second = token_for("jcmember"), token_for("jcmember")
    runner = CliRunner()
    out = runner.invoke(app, ["users", "token", "jcmember", "--revoke", "--prefix", first[:10]])
    assert out.exit_code == 0 and first[:10] in out.stdout
    assert client.get("/api/v1/cycle/awaiting", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get("/api/v1/cycle/awaiting", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    out = runner.invoke(app, ["users", "token", "jcmember", "--revoke"])
    assert out.exit_code == 0
    assert client.get("/api/v1/cycle/awaiting", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    out = runner.invoke(app, ["users", "token", "jcmember", "--revoke"])
    assert out.exit_code == 1 and "no active token" in out.stderr


def test_cli_rulesets_validates_stores_and_lists(world, tmp_path):
    from typer.testing import CliRunner

    from jcm.cli import app
    from jcm.cycle.models import StoredRuleSet

    runner = CliRunner()
    out = runner.invoke(app, ["cycle", "rulesets"])
    assert out.exit_code == 0, out.output
    lines = [line.split("\t") for line in out.stdout.splitlines() if "\t" in line]
    ids = {line[0] for line in lines}
    assert {"default-legacy.v1", "default-article6.v1", "MN.v1", "GE.v1", "TH.v2"} <= ids
    assert all(len(line[5]) == 12 for line in lines)
    count = StoredRuleSet.objects.count()
    assert count >= len(ids)
    again = runner.invoke(app, ["cycle", "rulesets"])
    assert again.exit_code == 0 and StoredRuleSet.objects.count() == count
    assert {line.split("\t")[-1] for line in again.stdout.splitlines() if "\t" in line} == {"stored"}
    (tmp_path / "XX.v1.yaml").write_text("id: XX.v1\npartner: XX\n", encoding="utf-8")
    bad = runner.invoke(app, ["cycle", "rulesets", "--directory", str(tmp_path)])
    assert bad.exit_code == 1 and "XX.v1.yaml" in bad.stderr and StoredRuleSet.objects.count() == count
