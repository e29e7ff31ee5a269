"""``queries.offers`` computes one object's offers without listing everything that awaits the user, and
gives the same items ``awaiting`` lists for that object; ``queries.timeline`` is the public timeline read."""

from __future__ import annotations

import pytest

from jcm.audit.core.clock import system_now
from jcm.cycle import queries

from .conftest import DEMO_NOW, project

pytestmark = pytest.mark.django_db


def _objects():
    from jcm.cycle.models import ChangeRequest, MethodologyVersion, MonitoringReport, Project

    yield from (("project", p) for p in Project.objects.all())
    yield from (("monitoring_report", r) for r in MonitoringReport.objects.all())
    yield from (("change_request", c) for c in ChangeRequest.objects.all())
    yield from (("methodology", v) for v in MethodologyVersion.objects.all())


def test_offers_on_one_object_match_awaiting(world, django_user_model):
    compared = 0
    for user in django_user_model.objects.all():
        listed = queries.awaiting(user, now=DEMO_NOW)
        for kind, obj in _objects():
            mine = queries.offers(user, kind, obj, now=DEMO_NOW)
            expected = [i for i in listed if (i.kind, i.id) == (kind, obj.pk)]
            if kind == "methodology" and obj.state == "approved":  # awaiting hides revision-only items
                assert {i.role for i in expected} <= {i.role for i in mine}
                continue
            assert mine == expected, (user.username, kind, obj.pk)
            compared += bool(mine)
    assert compared >= 10


def test_offers_for_the_public_and_for_outsiders_are_empty(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    p = project("LED street lighting in Ulaanbaatar")
    assert queries.offers(AnonymousUser(), "project", p, now=DEMO_NOW) == []
    assert queries.offers(None, "project", p, now=DEMO_NOW) == []
    ge = django_user_model.objects.get(username="participant-ge")
    assert queries.offers(ge, "project", p, now=DEMO_NOW) == []


def test_object_page_and_actions_do_not_list_everything_awaiting(as_user, monkeypatch):
    def everything(*args, **kwargs):
        raise AssertionError("the object page listed everything that awaits the user")

    monkeypatch.setattr(queries, "awaiting", everything)
    c = as_user("tpe")
    p = project("LED street lighting in Ulaanbaatar")
    page = c.get(f"/en/cycle/workspace/project/{p.pk}/")
    assert page.status_code == 200 and 'data-action="validate_positive"' in page.text
    r = project("Solar power plant in Darkhan (phase 2)").monitoring_reports.get()
    assert c.get(f"/en/cycle/workspace/monitoring_report/{r.pk}/").status_code == 200


def test_timeline_is_a_public_query(world):
    p = project("Solar power plant in Darkhan (phase 2)")
    rows = queries.timeline(project=p)
    assert rows and rows[-1]["action"] == "register" and rows[-1]["decision"]["number"]
    assert rows == queries.project_detail(p, now=system_now())["timeline"]
