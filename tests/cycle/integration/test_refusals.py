"""Every refusal at service level names the field and leaves nothing written."""

from __future__ import annotations

import pytest

from jcm.audit.models import AuditEvent
from jcm.cycle import services as cs
from jcm.cycle.errors import CycleError
from jcm.cycle.models import Document, JcNotification, MonitoringReport, TransitionRecord, Window
from jcm.registry.models import Account
from jcm.registry.queries import verify_ledger

from .conftest import D, decision, new_project, report, submit, to_registered, to_validated, to_verified

pytestmark = pytest.mark.django_db


def _snapshot():
    return (TransitionRecord.objects.count(), AuditEvent.objects.count(), Window.objects.count(),
            Document.objects.count(), MonitoringReport.objects.count(), JcNotification.objects.count())


def refused(fn, field, code=None, **kw):
    before = _snapshot()
    with pytest.raises(CycleError) as exc:
        fn(**kw)
    assert exc.value.field == field, exc.value
    if code:
        assert exc.value.code == code, exc.value
    assert _snapshot() == before, "a refusal wrote something"
    return exc.value


def test_wrong_role_wrong_pair_wrong_state_not_a_participant(world):
    w = world
    p = new_project(w)
    submit(w, "fp", p, "F_PIN")
    refused(cs.act_on_project, "state", "wrong_state", actor=w.users["fp"], project=p, action="register",
            now=w.now, decision=decision("X", w.now.date()))
    refused(cs.act_on_project, "role", "role_not_allowed", actor=w.users["sec"], project=p, action="submit_pin",
            now=w.now)
    refused(cs.act_on_project, "role", "relation", actor=w.users["jc_id"], project=p, action="submit_pin",
            now=w.now)
    refused(cs.act_on_project, "role", "relation", actor=w.users["nobody"], project=p, action="submit_pin",
            now=w.now)
    refused(cs.act_on_project, "project", "relation", actor=w.users["outsider"], project=p, action="submit_pin",
            now=w.now)
    cs.act_on_project(actor=w.users["pp"], project=p, action="submit_pin", now=w.now)
    err = refused(cs.act_on_project, "decision", "missing_decision", actor=w.users["jc"], project=p,
                  action="no_objection", now=w.now)
    assert "JC decision" in err.reason
    refused(cs.act_on_project, "reason", "guard", actor=w.users["jc"], project=p, action="object", now=w.now,
            decision=decision("LK-1", w.now.date()))


def test_tpe_not_designated_or_not_assigned(world):
    w = world
    p = new_project(w)
    submit(w, "fp", p, "F_PIN")
    cs.act_on_project(actor=w.users["fp"], project=p, action="submit_pin", now=w.now)
    cs.act_on_project(actor=w.users["jc"], project=p, action="no_objection", now=w.now,
                      decision=decision("LK-1", w.now.date()))
    cs.act_on_project(actor=w.users["fp"], project=p, action="prepare_pdd", now=w.now)
    submit(w, "fp", p, "F_PDD")
    refused(cs.act_on_project, "tpe", "relation", actor=w.users["tpe"], project=p, action="publish_pdd", now=w.now)
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-002", function="validation", now=w.now)
    refused(cs.act_on_project, "tpe", "relation", actor=w.users["tpe"], project=p, action="publish_pdd", now=w.now)
    err = refused(cs.act_on_project, "tpe", "guard", actor=w.users["tpe2"], project=p, action="publish_pdd",
                  now=w.now)
    assert "TPE-LK-002 is not a designated TPE" in err.reason
    # designated, but not for the project's scope 2
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="validation", now=w.now)
    p.sectoral_scopes.add(*__import__("jcm.reference.models", fromlist=["x"]).SectoralScope.objects.filter(number=2))
    err = refused(cs.act_on_project, "tpe", "guard", actor=w.users["tpe"], project=p, action="publish_pdd",
                  now=w.now)
    assert "sectoral scope 2" in err.reason
    # a designation expired on the date of the step
    p.sectoral_scopes.remove(*p.sectoral_scopes.filter(number=2))
    err = refused(cs.act_on_project, "tpe", "guard", actor=w.users["tpe"], project=p, action="publish_pdd",
                  now=w.now.replace(year=2029))
    assert "not in force" in err.reason
    cs.act_on_project(actor=w.users["tpe"], project=p, action="publish_pdd", now=w.now)
    refused(cs.act_on_project, "window", "guard", actor=w.users["tpe"], project=p,
            action="close_pdd_public_input", now=w.at(5))


def test_registration_checks_double_registration_and_attestation(world):
    w = world
    first = new_project(w)
    to_registered(w, first)
    twin = new_project(w, title="Same inverter elsewhere", sites=[], equipment=["inv-0001"])
    to_validated(w, twin)
    cs.file_moc(actor=w.users["fp"], project=twin, focal_point=w.orgs["jptech"], now=w.at(42), parties=[
        cs.ParticipantInput(organisation=w.orgs[o], side=s) for o, s in
        (("jptech", "japan"), ("lanka", "partner"), ("goj", "japan"))], signatories=[{"name": "T. Yamada"}])
    from .conftest import allocate

    allocate(w, twin)
    submit(w, "fp", twin, "F_Reg_Req", "F_MoC", "F_Crd_Allc", "F_SDIP", at=w.at(42))
    refused(cs.act_on_project, "attestation", "guard", actor=w.users["fp"], project=twin,
            action="request_registration", now=w.at(43))
    cs.attest_no_other_mechanism(actor=w.users["fp"], project=twin, now=w.at(43))
    cs.act_on_project(actor=w.users["fp"], project=twin, action="request_registration", now=w.at(43))
    cs.act_on_project(actor=w.users["sec"], project=twin, action="mark_registration_complete", now=w.at(44))
    err = refused(cs.act_on_project, "double_registration", "guard", actor=w.users["jc"], project=twin,
                  action="register", now=w.at(60), decision=decision("LK-REG-T", w.at(60).date()))
    assert "shared with LK001: inv-0001" in err.reason
    from jcm.cycle.queries import project_detail

    hit = project_detail(twin.pk)["double_registration"]["hits"][0]
    cs.explain_double_registration(actor=w.users["fp"], project=twin, now=w.at(61),
                                   explanation="the inverter was moved; LK001 replaced it", **hit)
    cs.act_on_project(actor=w.users["jc"], project=twin, action="register", now=w.at(61),
                      decision=decision("LK-REG-T", w.at(61).date()))
    twin.refresh_from_db()
    assert twin.project_id == "LK002"


def test_monitoring_periods_verification_and_issuance_amounts(world):
    w = world
    p = new_project(w)
    to_registered(w, p)
    r = report(w, p)
    refused(report, "period", "guard", w=w, p=p, start=D(2025, 6, 1), end=D(2026, 6, 1))
    refused(report, "period", "guard", w=w, p=p, start=D(2029, 6, 1), end=D(2030, 6, 1))
    refused(report, "period", "guard", w=w, p=p, start=D(2024, 6, 1), end=D(2024, 12, 1))
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="verification", now=w.at(62))
    submit(w, "fp", r, "MR_Sheet", at=w.at(62))
    cs.act_on_report(actor=w.users["fp"], report=r, action="submit_for_verification", now=w.at(62))
    submit(w, "tpe", r, "F_Vrf_Rep", at=w.at(63))
    refused(cs.act_on_report, "verified", "guard", actor=w.users["tpe"], report=r, action="verify", now=w.at(63),
            verified=r.claimed + 1)
    cs.act_on_report(actor=w.users["tpe"], report=r, action="verify", now=w.at(63), verified=r.claimed - 2)
    submit(w, "fp", r, "F_Iss_Req", "F_SDIR", at=w.at(64))
    refused(cs.act_on_report, "requested", "guard", actor=w.users["fp"], report=r, action="request_issuance",
            now=w.at(64), requested=r.claimed)
    refused(cs.act_on_report, "role", "role_not_allowed", actor=w.users["pp"], report=r, action="request_issuance",
            now=w.at(64), requested=1, role="project_participant")


def test_failed_side_is_retried_and_each_side_issues_once(world):
    w = world
    p = new_project(w)
    to_registered(w, p)
    r = report(w, p)
    to_verified(w, r)
    submit(w, "fp", r, "F_Iss_Req", "F_SDIR", at=w.at(71))
    cs.act_on_report(actor=w.users["fp"], report=r, action="request_issuance", now=w.at(71), requested=r.claimed)
    cs.act_on_report(actor=w.users["sec"], report=r, action="mark_issuance_complete", now=w.at(72))
    cs.act_on_report(actor=w.users["jc"], report=r, action="notify_issuance", now=w.at(73),
                     decision=decision("LK-ISS-9", w.at(73).date()))
    partner = JcNotification.objects.get(request__report=r, side="partner")
    JcNotification.objects.filter(pk=partner.pk).update(registry_code="XX")  # the partner registry is unreachable
    results = {e.side: e.status for e in cs.execute_notifications(now=w.at(74))}
    assert results == {"japan": "issued", "partner": "failed"}
    r.refresh_from_db()
    assert r.state == "issued_japan"
    japan_balances = dict(Account.objects.filter(registry__code="JP").values_list("number", "balance"))
    JcNotification.objects.filter(pk=partner.pk).update(registry_code="LK")
    results = {e.side: e.status for e in cs.execute_notifications(now=w.at(75))}
    assert results == {"partner": "issued"}
    r.refresh_from_db()
    assert r.state == "issued"
    assert dict(Account.objects.filter(registry__code="JP").values_list("number", "balance")) == japan_balances
    assert JcNotification.objects.get(pk=partner.pk).attempts == 2
    assert verify_ledger() is None
    # a second notification of the same report is refused (wrong state), never executed
    refused(cs.act_on_report, "state", "wrong_state", actor=w.users["jc"], report=r, action="notify_issuance",
            now=w.at(76), decision=decision("LK-ISS-10", w.at(76).date()))


def _notified(w):
    p = new_project(w)
    to_registered(w, p)
    r = report(w, p)
    to_verified(w, r)
    submit(w, "fp", r, "F_Iss_Req", "F_SDIR", at=w.at(71))
    cs.act_on_report(actor=w.users["fp"], report=r, action="request_issuance", now=w.at(71), requested=r.claimed)
    cs.act_on_report(actor=w.users["sec"], report=r, action="mark_issuance_complete", now=w.at(72))
    cs.act_on_report(actor=w.users["jc"], report=r, action="notify_issuance", now=w.at(73),
                     decision=decision("LK-ISS-7", w.at(73).date()))
    return r


def test_only_that_sides_registry_manager_executes_it_and_is_checked_before_the_registry(world, monkeypatch):
    from jcm.registry import services as registry_services
    from jcm.registry.models import Issuance

    w = world
    r = _notified(w)
    japan = JcNotification.objects.get(request__report=r, side="japan")
    partner = JcNotification.objects.get(request__report=r, side="partner")
    real_issue = registry_services.issue
    calls = []

    def spy(**kw):
        calls.append(kw["registry"])
        return real_issue(**kw)

    monkeypatch.setattr(registry_services, "issue", spy)
    for who, n in (("rm_p", japan), ("jc", japan), ("fp", japan), ("nobody", partner), ("rm_jp", partner),
                   ("sec", partner)):
        before = (Issuance.objects.count(), dict(JcNotification.objects.values_list("pk", "status")),
                  dict(JcNotification.objects.values_list("pk", "attempts")))
        error = refused(cs.execute_notification, "role", notification=n.pk, now=w.at(74), actor=w.users[who])
        assert error.code == "relation"
        assert (Issuance.objects.count(), dict(JcNotification.objects.values_list("pk", "status")),
                dict(JcNotification.objects.values_list("pk", "attempts"))) == before, who
    assert calls == [], "the registry was asked before the actor was checked"
    # a manager of the right role but not of the registry the notification names
    JcNotification.objects.filter(pk=partner.pk).update(registry_code="JP")
    refused(cs.execute_notification, "registry", notification=partner.pk, now=w.at(74), actor=w.users["rm_p"])
    JcNotification.objects.filter(pk=partner.pk).update(registry_code="LK")
    assert calls == []
    assert cs.execute_notification(notification=japan.pk, now=w.at(75), actor=w.users["rm_jp"]).status == "issued"
    assert cs.execute_notification(notification=partner.pk, now=w.at(75), actor=w.users["rm_p"]).status == "issued"
    assert calls == ["JP", "LK"]
    r.refresh_from_db()
    assert r.state == "issued"
