"""A monitoring report's MRV calculation is read by the project's people, its assigned TPE and the JC of
its pair while it is checked, and is published when the TPE verifies the report; the project's public
page links its trace only then and never names the person who ran it."""

from __future__ import annotations

import pytest

from jcm.cycle import services as cs
from jcm.cycle.models import TransitionRecord
from jcm.mrv.models import Calculation

from .conftest import new_project, report, submit, to_registered, to_verified

pytestmark = pytest.mark.django_db


def _get(client, user, path):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(path)


def test_the_calculation_is_published_when_the_report_is_verified(client, world):
    w = world
    p = to_registered(w, new_project(w))
    r = report(w, p)
    calc = Calculation.objects.get(pk=r.calculation_id)
    assert calc.public is False
    api = f"/api/v1/mrv/calculations/{calc.public_id}"
    project_page = f"/en/cycle/projects/{p.key}/"
    # Before verification: the participants (the runner "fp" and the other participant "pp"), the TPE once
    # assigned, the JC and secretariat of the pair read it; an outsider and the public do not.
    assert _get(client, None, api).status_code == 404
    for who in ("outsider", "nobody", "tpe2"):
        assert _get(client, w.users[who], api).status_code == 404, who
    for who in ("fp", "pp", "jc", "sec"):
        assert _get(client, w.users[who], api).status_code == 200, who
    assert f"/mrv/calculations/{calc.public_id}/" not in _get(client, None, project_page).text

    to_verified(w, r)
    calc.refresh_from_db()
    assert calc.public is True
    step = TransitionRecord.objects.filter(action="verify").get()
    assert step.details["calculation_published"] == str(calc.public_id)
    anonymous = _get(client, None, api)
    assert anonymous.status_code == 200 and anonymous.json()["created_by"] is None
    assert anonymous.json()["run_by_organisation"] == "JP Tech Co"
    page = _get(client, None, project_page)
    assert page.status_code == 200 and f"/en/mrv/calculations/{calc.public_id}/" in page.text
    report_page = _get(client, None, f"/en/mrv/calculations/{calc.public_id}/")
    assert report_page.status_code == 200 and "JP Tech Co" in report_page.text
    assert ">fp<" not in report_page.text and "fp (" not in report_page.text


def test_the_assigned_tpe_reads_the_calculation_before_verification(client, world):
    w = world
    p = to_registered(w, new_project(w))
    r = report(w, p)
    api = f"/api/v1/mrv/calculations/{Calculation.objects.get(pk=r.calculation_id).public_id}"
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="verification", now=w.at(62))
    submit(w, "fp", r, "MR_Sheet", at=w.at(62))
    assert _get(client, w.users["tpe"], api).status_code == 200
    assert _get(client, w.users["tpe2"], api).status_code == 404
