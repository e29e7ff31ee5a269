"""Deadlines close public-input windows and flag overdue checks; comments; confidential access;
methodology approval and revision; change requests (MoC change, renewal)."""

from __future__ import annotations

import pytest
from django.core import mail

from jcm.cycle import queries
from jcm.cycle import services as cs
from jcm.cycle.errors import CycleError
from jcm.cycle.models import DocumentVersion, Window
from jcm.cycle.tasks import run_deadlines, run_deadlines_task

from .conftest import D, decision, new_project, submit, to_registered

pytestmark = pytest.mark.django_db


def _published(w):
    p = new_project(w)
    submit(w, "fp", p, "F_PIN")
    cs.act_on_project(actor=w.users["fp"], project=p, action="submit_pin", now=w.now)
    cs.act_on_project(actor=w.users["jc"], project=p, action="no_objection", now=w.now,
                      decision=decision("LK-1", w.now.date()))
    cs.act_on_project(actor=w.users["fp"], project=p, action="prepare_pdd", now=w.now)
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="validation", now=w.now)
    submit(w, "fp", p, "F_PDD", confidential=True)
    cs.act_on_project(actor=w.users["tpe"], project=p, action="publish_pdd", now=w.now)
    return p


def test_public_comments_and_the_clock_closing_the_window(world):
    w = world
    p = _published(w)
    window = Window.objects.get(project=p, key="pdd_public_input", closed_at__isnull=True)
    assert window.days == 30 and window.rule_set_id == "LK.v1"
    cs.submit_public_comment(window=window, author_name="A. Citizen", email="a@example.test",
                             text="Please publish the grid factor.", now=w.at(2))
    assert run_deadlines(now=w.at(10)).closed == []
    run = run_deadlines(now=window.closes_at)
    assert run.closed == ["pdd_public_input:LK_PIN001"]
    p.refresh_from_db()
    assert p.state == "validation"
    with pytest.raises(CycleError) as exc:
        cs.submit_public_comment(window=window, author_name="Late", text="too late", now=window.closes_at)
    assert exc.value.field == "window"
    again = run_deadlines(now=window.closes_at)
    assert again.closed == [] and again.flagged == []
    detail = queries.project_detail(p.pk)
    assert [(c["author"], c["text"]) for c in detail["comments"]] == [("A. Citizen", "Please publish the grid factor.")]
    assert "email" not in detail["comments"][0]
    assert detail["timeline"][-1]["action"] == "close_pdd_public_input" and detail["timeline"][-1]["role"] == "jc_secretariat"


def test_the_task_flags_overdue_checks_and_tells_people_what_awaits_them(world):
    w = world
    p = new_project(w)
    to_registered(w, p)
    cr = cs.create_change_request(actor=w.users["fp"], project=p, kind="post_registration_change", now=w.at(61))
    submit(w, "fp", cr, "F_PRC_Req", at=w.at(61))
    cs.act_on_change_request(actor=w.users["fp"], change_request=cr, action="submit", now=w.at(61))
    methodology = cs.propose_methodology(actor=w.users["fp"], partner_code="LK", title="PV", scopes=[1], now=w.now)
    submit(w, "fp", methodology, "F_PM", "F_PMS")
    cs.act_on_methodology(actor=w.users["fp"], version=methodology, action="submit", now=w.now)
    mail.outbox.clear()
    result = run_deadlines_task.enqueue(now=w.at(30).isoformat())
    data = result.return_value
    assert any(f.startswith("methodology_completeness_check") for f in data["flagged"])
    sec_mail = [m for m in mail.outbox if m.to == ["sec@example.test"]]
    assert any("mark_complete" in m.body for m in sec_mail)
    # every notice is in Japanese and English, whoever receives it
    assert all("Awaiting you" in m.subject and "対応待ち" in m.subject for m in sec_mail)
    count = len(mail.outbox)
    run_deadlines(now=w.at(31))
    assert len(mail.outbox) == count  # each notice once
    items = queries.awaiting(w.users["sec"], now=w.at(31))
    offered = {(i.kind, a.action) for i in items for a in i.actions if a.allowed}
    assert ("methodology", "mark_complete") in offered and ("change_request", "mark_complete") in offered
    assert next(i for i in items if i.kind == "methodology").overdue


def test_confidential_files_only_for_assigned_tpe_jc_and_secretariat(world):
    w = world
    p = _published(w)
    version = DocumentVersion.objects.get(document__project=p, document__form_code="F_PDD")
    assert version.has_confidential
    allowed = {name: queries.can_see_confidential(w.users[name], version) for name in
               ("tpe", "tpe2", "jc", "sec", "fp", "pp", "jc_id", "rm_jp", "nobody")}
    assert allowed == {"tpe": True, "tpe2": False, "jc": True, "sec": True, "fp": False, "pp": False,
                       "jc_id": False, "rm_jp": False, "nobody": False}
    public = next(d for d in queries.project_detail(p.pk)["documents"] if d["form"] == "F_PDD")
    assert public["version_id"] == version.pk and public["has_confidential"]
    assert not public["may_see_confidential"]
    assert next(d for d in queries.project_detail(p.pk, user=w.users["tpe"])["documents"]
                if d["form"] == "F_PDD")["may_see_confidential"]
    assert w.users["jc"].has_perm("cycle.view_confidential", version)
    assert not w.users["fp"].has_perm("cycle.view_confidential", version)


def test_methodology_from_proposal_to_approval_and_revision(world):
    w = world
    v = cs.propose_methodology(actor=w.users["pp"], partner_code="LK", title="Solar PV", scopes=[1], now=w.now)
    assert v.methodology.pm_id == "LK_PM001" and v.version == "ver01.0"
    with pytest.raises(CycleError) as exc:
        cs.act_on_methodology(actor=w.users["pp"], version=v, action="submit", now=w.now)
    assert exc.value.field == "documents"
    submit(w, "pp", v, "F_PM", "F_PMS")
    cs.act_on_methodology(actor=w.users["pp"], version=v, action="submit", now=w.now)
    cs.act_on_methodology(actor=w.users["sec"], version=v, action="mark_complete", now=w.at(3))
    with pytest.raises(CycleError):
        cs.act_on_methodology(actor=w.users["sec"], version=v, action="close_public_input", now=w.at(10))
    run_deadlines(now=w.at(20))
    v.refresh_from_db()
    assert v.state == "jc_consideration"
    cs.act_on_methodology(actor=w.users["jc"], version=v, action="extend_consideration", now=w.at(30))
    windows = {x.key: x for x in Window.objects.filter(methodology_version=v, closed_at__isnull=True)}
    assert windows["methodology_jc_consideration"].extended and windows["methodology_jc_consideration"].days == 90
    cs.act_on_methodology(actor=w.users["jc"], version=v, action="approve_with_revisions", now=w.at(40),
                          decision=decision("LK-M-1", w.at(40).date(), "meeting"), mrv_methodology_id="ID_AM003")
    v.refresh_from_db()
    assert (v.methodology.am_id, v.state, v.approved_with_revisions) == ("LK_AM001", "approved", True)
    submit(w, "fp", v, "F_AMR_Req", at=w.at(41))
    new = cs.act_on_methodology(actor=w.users["fp"], version=v, action="request_revision", now=w.at(41))
    assert new.version == "ver02.0" and new.state == "draft" and new.revises_id == v.pk
    detail = queries.methodology_detail("LK_AM001")
    assert [x["version"] for x in detail["versions"]] == ["ver01.0", "ver02.0"]
    assert detail["versions"][0]["timeline"][-2]["decision"]["mode"] == "meeting"


def test_moc_change_and_renewal(world):
    w = world
    p = new_project(w)
    to_registered(w, p)
    cr = cs.create_change_request(actor=w.users["fp"], project=p, kind="moc_change", now=w.at(61))
    cs.file_moc(actor=w.users["fp"], project=p, focal_point=w.orgs["lanka"], change_request=cr, now=w.at(61),
                parties=[cs.ParticipantInput(organisation=w.orgs["jptech"], side="japan"),
                         cs.ParticipantInput(organisation=w.orgs["lanka"], side="partner")],
                signatories=[{"name": "K. Perera"}])
    cs.act_on_change_request(actor=w.users["fp"], change_request=cr, action="submit", now=w.at(62))
    cs.act_on_change_request(actor=w.users["sec"], change_request=cr, action="accept", now=w.at(63))
    p.refresh_from_db()
    assert p.focal_point == w.orgs["lanka"]
    assert not p.participants.get(organisation=w.orgs["goj"]).active
    renewal = cs.create_change_request(actor=w.users["pp"], project=p, kind="renewal", now=w.at(64),
                                       new_crediting_start=D(2030, 1, 1), new_crediting_end=D(2035, 1, 1))
    submit(w, "pp", renewal, "F_Ren_Req", at=w.at(64))
    cs.act_on_change_request(actor=w.users["pp"], change_request=renewal, action="submit", now=w.at(64))
    cs.act_on_change_request(actor=w.users["sec"], change_request=renewal, action="mark_complete", now=w.at(65))
    cs.act_on_change_request(actor=w.users["jc"], change_request=renewal, action="approve", now=w.at(66),
                             decision=decision("LK-REN-1", w.at(66).date()))
    p.refresh_from_db()
    assert (p.crediting_end, p.renewals_used, p.state) == (D(2035, 1, 1), 1, "registered")
    assert list(p.crediting_periods.values_list("number", flat=True)) == [0, 1]


def test_new_methodology_ids_skip_those_of_the_reference_catalogue(world):
    """Mongolia's catalogue (data/reference) has MN_AM001 and MN_AM003: the next approval is MN_AM004."""
    from jcm.accounts.services import grant_role
    from jcm.cycle.models import MethodologyVersion
    from jcm.reference.models import CountryPair
    from jcm.reference.models import Methodology as CatalogueMethodology

    w = world
    mn = CountryPair.objects.get(partner__code="MN")
    assert {"MN_AM001", "MN_AM003"} <= set(CatalogueMethodology.objects.filter(pair=mn).values_list("jcm_id",
                                                                                                     flat=True))
    for who, org, role in (("fp", "jptech", "focal_point"), ("jc", "jc", "jc_member")):
        grant_role(user=w.users[who], organisation=w.orgs[org], role=role, partner_code="MN", now=w.now)
    CatalogueMethodology.objects.create(jcm_id="MN_PM004", version="01.0", pair=mn, status="proposed",
                                        confidence="V")
    v = cs.propose_methodology(actor=w.users["fp"], partner_code="MN", title="Heat pumps", scopes=[1], now=w.now)
    assert v.methodology.pm_id == "MN_PM005"
    MethodologyVersion.objects.filter(pk=v.pk).update(state="jc_consideration")
    cs.act_on_methodology(actor=w.users["jc"], version=v.pk, action="approve", now=w.at(1),
                          decision=decision("MN-M-1", w.at(1).date()))
    v.refresh_from_db()
    assert v.methodology.am_id == "MN_AM004"
    # the cycle's own IDs count too
    second = cs.propose_methodology(actor=w.users["fp"], partner_code="MN", title="LED", scopes=[1], now=w.now)
    MethodologyVersion.objects.filter(pk=second.pk).update(state="jc_consideration")
    cs.act_on_methodology(actor=w.users["jc"], version=second.pk, action="approve", now=w.at(1),
                          decision=decision("MN-M-2", w.at(1).date()))
    second.refresh_from_db()
    assert (second.methodology.pm_id, second.methodology.am_id) == ("MN_PM006", "MN_AM005")
