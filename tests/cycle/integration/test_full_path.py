"""A project from PIN to credits issued in both registries, under the Japan–Sri Lanka rule set."""

from __future__ import annotations

import pytest
from django.core import mail

from jcm.audit.models import AuditEvent
from jcm.cycle import queries
from jcm.cycle import services as cs
from jcm.cycle.models import JcNotification, TransitionRecord
from jcm.registry.models import Account
from jcm.registry.queries import verify_ledger

from .conftest import decision, new_project, report, submit, to_registered, to_verified

pytestmark = pytest.mark.django_db


def test_pin_to_credits_in_both_registries(world):
    w = world
    p = cs.create_project

    p = new_project(w)
    assert p.key == "LK-D0001" and p.state == "draft"
    to_registered(w, p)
    p.refresh_from_db()
    assert (p.pin_id, p.project_id, p.state) == ("LK_PIN001", "LK001", "registered")
    assert p.registered_on == w.at(60).date() and p.registration_decision.number == f"LK-REG-{p.pk}"
    assert list(p.crediting_periods.values_list("number", "start", "end")) == [(0, p.crediting_start, p.crediting_end)]

    r = report(w, p)
    assert r.calculation is not None and r.emission_reductions == r.claimed > 0
    to_verified(w, r, verified=r.claimed - 1)
    verified = r.claimed - 1
    submit(w, "fp", r, "F_Iss_Req", "F_SDIR", at=w.at(71))
    cs.act_on_report(actor=w.users["fp"], report=r, action="request_issuance", now=w.at(71), requested=verified)
    cs.act_on_report(actor=w.users["sec"], report=r, action="mark_issuance_complete", now=w.at(72))
    cs.act_on_report(actor=w.users["jc"], report=r, action="notify_issuance", now=w.at(80),
                     decision=decision("LK-ISS-1", w.at(80).date()))
    r.refresh_from_db()
    assert r.state == "notified"
    sides = {n.side: n for n in JcNotification.objects.filter(request__report=r)}
    assert sides["japan"].quantity + sides["partner"].quantity == verified

    done = cs.execute_notifications(now=w.at(81))
    assert sorted(e.status for e in done) == ["issued", "issued"]
    r.refresh_from_db()
    assert r.state == "issued"
    balances = dict(Account.objects.values_list("number", "balance"))
    assert balances["JP-GOV"] + balances["JP-TECH"] == sides["japan"].quantity
    assert balances["LK-POWER"] == sides["partner"].quantity
    assert verify_ledger() is None

    # executing again changes nothing: each notification was executed once
    assert [e.status for e in cs.execute_notifications(now=w.at(82))] == []
    again = cs.execute_notification(notification=sides["japan"].pk, now=w.at(82))
    assert again.status == "already"
    assert dict(Account.objects.values_list("number", "balance")) == balances

    # participants were told, once
    issued_mail = [m for m in mail.outbox if "Credits issued" in m.subject or "LK001" in m.subject]
    assert sorted(a for m in issued_mail for a in m.to) == ["jp@example.test", "lk@example.test"]

    detail = queries.project_detail(p.pk)
    assert detail["credits_issued"] == {"japan": sides["japan"].quantity, "partner": sides["partner"].quantity}
    assert detail["monitoring"][0]["ER"] == r.emission_reductions and detail["monitoring"][0]["verified"] == verified
    actions = [t["action"] for t in detail["timeline"]]
    assert actions[:3] == ["submit_pin", "no_objection", "prepare_pdd"] and actions[-1] == "register"
    register = detail["timeline"][-1]
    assert register["decision"]["number"] == f"LK-REG-{p.pk}" and register["rule_set"] == "LK.v1"
    assert len(register["rule_set_digest"]) == 64
    assert [t["action"] for t in detail["monitoring"][0]["timeline"]][-2:] == [
        "record_issuance_japan", "record_issuance_partner"]
    decisions = queries.list_decisions(partner_code="LK")
    assert {d["number"] for d in decisions} >= {"LK-ISS-1", f"LK-REG-{p.pk}"}
    # one audit event per transition
    assert AuditEvent.objects.filter(action__startswith="cycle.project.").filter(
        action__in=[f"cycle.project.{a}" for a in actions]).count() == TransitionRecord.objects.filter(
        project=p).count()
