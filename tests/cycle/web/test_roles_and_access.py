"""Each role is offered exactly the actions it may take (one test per role), a refused action shows
its reason with nothing written, and the confidential-file access matrix."""

from __future__ import annotations

import re

import pytest

from .conftest import project

pytestmark = pytest.mark.django_db


def offered(client, kind: str, pk: int) -> set[str]:
    page = client.get(f"/en/cycle/workspace/{kind}/{pk}/")
    assert page.status_code in (200, 404)
    return set(re.findall(r'data-action="([a-z_0-9]+)" data-role', page.text))


def awaiting(client) -> set[tuple[str, str]]:
    page = client.get("/en/cycle/workspace/").text
    return {(m.group(1), m.group(2)) for m in re.finditer(
        r'data-item="([a-z_]+-\d+)".*?<ul class="actions">(.*?)</ul>', page, re.S)}


def ids():
    from jcm.cycle.models import MethodologyVersion

    return {
        "pin": project("Rooftop solar for public schools in Tbilisi").pk,
        "validation": project("LED street lighting in Ulaanbaatar").pk,
        "public": project("Solar power plant in Sainshand").pk,
        "report": project("Solar power plant in Darkhan (phase 2)").monitoring_reports.get().pk,
        "proposal": MethodologyVersion.objects.get(methodology__pm_id="MN_PM001").pk,
    }


def test_participant(as_user):
    c, i = as_user("participant"), ids()
    assert offered(c, "project", i["validation"]) == {"withdraw"}
    assert offered(c, "monitoring_report", i["report"]) == set()  # only the focal point requests/withdraws
    assert "withdraw" in offered(c, "methodology", i["proposal"])  # its own proposal


def test_focal_point(as_user):
    c, i = as_user("focalpoint"), ids()
    assert offered(c, "monitoring_report", i["report"]) == {"withdraw_issuance_request"}
    assert offered(c, "project", i["pin"]) == {"withdraw"}
    assert "no_objection" not in offered(c, "project", i["pin"])


def test_tpe(as_user):
    c, i = as_user("tpe"), ids()
    assert offered(c, "project", i["validation"]) == {"validate_positive", "validate_negative"}
    assert offered(c, "project", i["public"]) == {"close_pdd_public_input"}
    assert offered(c, "monitoring_report", i["report"]) == set()


def test_jc_member(as_user):
    c, i = as_user("jcmember"), ids()
    assert offered(c, "monitoring_report", i["report"]) == {"notify_issuance", "reject_issuance"}
    assert offered(c, "project", i["validation"]) == set()
    assert offered(c, "methodology", i["proposal"]) == set()  # not its proposal: nothing to withdraw
    c = as_user("jcmember-ge")
    assert offered(c, "project", i["pin"]) == {"no_objection", "object"}


def test_secretariat(as_user):
    c, i = as_user("secretariat"), ids()
    assert offered(c, "methodology", i["proposal"]) == {"close_public_input"}
    assert offered(c, "project", i["public"]) == {"close_pdd_public_input"}
    assert offered(c, "monitoring_report", i["report"]) == set()


def test_registry_managers_and_programme_manager(as_user):
    i = ids()
    for username in ("registry-jp", "registry-mn", "programme"):
        c = as_user(username)
        assert offered(c, "monitoring_report", i["report"]) == set(), username
        assert offered(c, "project", i["validation"]) == set(), username


def test_awaiting_lists_items_per_role(as_user):
    page = as_user("jcmember").get("/en/cycle/workspace/").text
    assert "Notify the issuance" in page and "MN001" in page
    page = as_user("tpe").get("/en/cycle/workspace/").text
    assert "Positive validation opinion" in page and "Notify the issuance" not in page
    # htmx partial: the list filtered by pair
    page = as_user("tpe").get("/en/cycle/workspace/?pair=GE", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="awaiting")
    assert page.status_code == 200 and "<html" not in page.text and "MN-D" not in page.text


def test_refused_action_shows_the_reason_and_writes_nothing(as_user):
    from jcm.cycle.models import MethodologyVersion, TransitionRecord

    i = ids()
    before = TransitionRecord.objects.count()
    c = as_user("secretariat")
    page = c.post(f"/en/cycle/workspace/methodology/{i['proposal']}/act/",
                  {"action": "close_public_input", "role": "jc_secretariat"})
    assert page.status_code == 422 and "Refused" in page.text and "window" in page.text
    assert MethodologyVersion.objects.get(pk=i["proposal"]).state == "public_input"
    assert TransitionRecord.objects.count() == before


def test_decision_fields_are_required_and_named(as_user):
    i = ids()
    c = as_user("jcmember")
    page = c.post(f"/en/cycle/workspace/monitoring_report/{i['report']}/act/",
                  {"action": "notify_issuance", "role": "jc_member"})
    assert page.status_code == 422 and page.text.count("This field is required") >= 3


def test_a_role_not_held_is_refused(as_user):
    i = ids()
    c = as_user("participant")
    page = c.post(f"/en/cycle/workspace/monitoring_report/{i['report']}/act/", {
        "action": "notify_issuance", "role": "jc_member", "jc_member-notify_issuance-decision_number": "X-1",
        "jc_member-notify_issuance-decision_date": "2026-11-01", "jc_member-notify_issuance-decision_mode": "meeting"})
    assert page.status_code == 422 and "do not hold the role" in page.text


def test_jc_notifies_and_the_registries_issue_through_the_workspace(as_user):
    from jcm.cycle.models import MonitoringReport

    i = ids()
    c = as_user("jcmember")
    page = c.post(f"/en/cycle/workspace/monitoring_report/{i['report']}/act/", {
        "action": "notify_issuance", "role": "jc_member", "jc_member-notify_issuance-decision_number": "MN-JC-ISS-9",
        "jc_member-notify_issuance-decision_date": "2026-11-19", "jc_member-notify_issuance-decision_mode": "meeting"},
        follow=True)
    assert page.status_code == 200 and MonitoringReport.objects.get(pk=i["report"]).state == "notified"
    c = as_user("registry-mn")
    assert offered(c, "monitoring_report", i["report"]) == {"record_issuance_partner"}
    c.post(f"/en/cycle/workspace/monitoring_report/{i['report']}/act/",
           {"action": "record_issuance_partner", "role": "registry_manager_partner"})
    assert MonitoringReport.objects.get(pk=i["report"]).state == "issued_partner"
    c = as_user("registry-jp")
    c.post(f"/en/cycle/workspace/monitoring_report/{i['report']}/act/",
           {"action": "record_issuance_japan", "role": "registry_manager_japan"})
    assert MonitoringReport.objects.get(pk=i["report"]).state == "issued"


CONFIDENTIAL = {None: 403, "participant": 403, "focalpoint": 403, "tpe": 200, "jcmember": 200, "secretariat": 200,
                "jcmember-ge": 403, "secretariat-ge": 403, "registry-jp": 403, "programme": 403}


@pytest.mark.parametrize(("username", "status"), CONFIDENTIAL.items())
def test_confidential_file_access(client, as_user, username, status):
    from jcm.cycle.models import DocumentVersion

    v = DocumentVersion.objects.get(document__project=project("Solar power plant in Sainshand"),
                                    document__form_code="F_PDD")
    c = as_user(username) if username else client
    assert c.get(f"/en/cycle/files/{v.pk}/confidential/").status_code == status
    public = c.get(f"/en/cycle/files/{v.pk}/public/")
    assert public.status_code == 200 and b"public version" in b"".join(public.streaming_content)
