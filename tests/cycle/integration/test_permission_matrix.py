"""Every role × every action through the services: a role the tables do not allow is refused with
``role_not_allowed``; an allowed role is never refused for its role (it may still hit a guard). On top of
the role, the proponent's actions on a methodology (submit, resubmit, withdraw) are the proponent
organisation's only: any other organisation, the JC included, is refused with ``relation``."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jcm.accounts.core.roles import PLATFORM_WIDE, Role
from jcm.accounts.services import create_organisation, grant_role
from jcm.cycle import services as cs
from jcm.cycle.core.transitions import MACHINES
from jcm.cycle.errors import CycleError
from jcm.cycle.models import ChangeRequest, MethodologyVersion, MonitoringReport, Project
from jcm.cycle.services.relations import PROPONENT_ACTIONS

from .conftest import decision, new_project, report, to_registered

pytestmark = pytest.mark.django_db


def _users(w):
    """One person per role, each holding only that role (participants for this project's organisations)."""
    orgs = {Role.PROJECT_PARTICIPANT: w.orgs["lanka"], Role.FOCAL_POINT: w.orgs["jptech"], Role.TPE: w.orgs["tpe"],
            Role.JC_MEMBER: w.orgs["jc"], Role.JC_SECRETARIAT: w.orgs["sec"],
            Role.REGISTRY_MANAGER_JAPAN: w.orgs["rmjp"], Role.REGISTRY_MANAGER_PARTNER: w.orgs["rmlk"]}
    users = {}
    for role in Role:
        org = orgs.get(role) or create_organisation(name=f"org {role.value}", kind="other", now=w.now)
        user = get_user_model().objects.create_user(f"only-{role.value}", password="pw")
        grant_role(user=user, organisation=org, role=role.value, now=w.now,
                   partner_code=None if role in PLATFORM_WIDE else "LK")
        users[role] = user
    return users


def test_every_role_every_action(world):
    w = world
    users = _users(w)
    project = new_project(w)
    to_registered(w, project)
    mr = report(w, project)
    cr = cs.create_change_request(actor=w.users["fp"], project=project, kind="post_registration_change", now=w.at(62))
    version = cs.propose_methodology(actor=w.users["fp"], partner_code="LK", title="PV", scopes=[1], now=w.now)

    def not_proponent(machine: str, action: str, role: Role) -> bool:
        """The proposal is JP Tech Co's (the focal point's organisation): the participant (Lanka Power) and
        the JC member act for other organisations."""
        return machine == "methodology" and action in PROPONENT_ACTIONS and role in (Role.PROJECT_PARTICIPANT,
                                                                                     Role.JC_MEMBER)

    cs.assign_tpe(actor=w.users["fp"], project=project, tpe_id="TPE-LK-001", function="verification", now=w.at(62))
    targets = {
        "methodology": (MethodologyVersion, version, lambda **kw: cs.act_on_methodology(version=version, **kw)),
        "project": (Project, project, lambda **kw: cs.act_on_project(project=project, **kw)),
        "issuance": (MonitoringReport, mr, lambda **kw: cs.act_on_report(report=mr, **kw)),
        "change_request": (ChangeRequest, cr, lambda **kw: cs.act_on_change_request(change_request=cr, **kw)),
    }
    checked = 0
    for machine in MACHINES:
        model, obj, call = targets[machine.name]
        for action in machine.actions:
            source = sorted(s.value for s in machine.sources_of(action))[0]
            allowed = machine.roles_for(action)
            for role, user in users.items():
                model.objects.filter(pk=obj.pk).update(state=source)
                try:
                    call(actor=user, action=action, now=w.at(90), reason="because",
                         decision=decision(f"M-{checked}", w.at(90).date()))
                except CycleError as exc:
                    if role in allowed and not_proponent(machine.name, action, role):
                        assert exc.code == "relation" and exc.field == "methodology", (machine.name, action, role)
                    elif role in allowed:
                        assert exc.code != "role_not_allowed", (machine.name, action, role, exc)
                    else:
                        assert exc.code == "role_not_allowed" and exc.field == "role", (machine.name, action, role,
                                                                                         exc)
                else:
                    assert role in allowed and not not_proponent(machine.name, action, role), (
                        machine.name, action, role)
                checked += 1
    assert checked == sum(len(m.actions) for m in MACHINES) * len(Role)


def test_only_the_proponent_organisation_withdraws_its_proposal(world):
    from jcm.cycle import queries

    w = world
    theirs = cs.propose_methodology(actor=w.users["pp"], partner_code="LK", title="Biogas", scopes=[1], now=w.now)
    ours = cs.propose_methodology(actor=w.users["jc"], partner_code="LK", title="Grid EF", scopes=[1], now=w.now)
    assert ours.methodology.proponent == w.orgs["jc"]
    for version in (theirs, ours):
        MethodologyVersion.objects.filter(pk=version.pk).update(state="public_input")
        version.refresh_from_db()
    with pytest.raises(CycleError) as exc:
        cs.act_on_methodology(actor=w.users["jc"], version=theirs, action="withdraw", now=w.at(1))
    assert (exc.value.field, exc.value.code) == ("methodology", "relation")
    theirs.refresh_from_db()
    assert theirs.state == "public_input" and not theirs.methodology.versions.filter(state="withdrawn").exists()
    offered = {(i.id, a.action) for i in queries.awaiting(w.users["jc"], now=w.at(1)) for a in i.actions}
    assert (theirs.pk, "withdraw") not in offered and (ours.pk, "withdraw") in offered
    assert queries.offers(w.users["jc"], "methodology", theirs, now=w.at(1)) == []
    assert {a.action for i in queries.offers(w.users["pp"], "methodology", theirs, now=w.at(1))
            for a in i.actions} == {"withdraw"}
    cs.act_on_methodology(actor=w.users["jc"], version=ours, action="withdraw", now=w.at(1))
    cs.act_on_methodology(actor=w.users["pp"], version=theirs, action="withdraw", now=w.at(1))
    assert set(MethodologyVersion.objects.filter(pk__in=[theirs.pk, ours.pk]).values_list("state", flat=True)) == {
        "withdrawn"}
