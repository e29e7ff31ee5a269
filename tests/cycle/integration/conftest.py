"""A Japan–Sri Lanka world (Article 6 rule set LK.v1): organisations, people in every role, a designated
TPE, both registries with accounts, and helpers that carry a project along the cycle."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from jcm.accounts.services import create_organisation, grant_role
from jcm.cycle import services as cs
from jcm.reference.models import CountryPair, Tpe
from jcm.registry import services as rs
from jcm.registry.core.model import AccountKind

D = datetime.date
_keys = itertools.count(1)


@dataclass
class World:
    now: datetime.datetime
    users: dict[str, Any]
    orgs: dict[str, Any]
    pair: CountryPair

    def at(self, days: float) -> datetime.datetime:
        return self.now + datetime.timedelta(days=days)


def _file(name: str, text: str = "content") -> ContentFile:
    return ContentFile(text.encode(), name=name)


def submit(w: World, who: str, subject: Any, *forms: str, at: datetime.datetime | None = None,
           confidential: bool = False) -> None:
    for form in forms:
        cs.submit_document(actor=w.users[who], subject=subject, form_code=form, public_file=_file(f"{form}.pdf"),
                           confidential_file=_file(f"{form}-full.pdf", "secret") if confidential else None,
                           now=at or w.now)


def decision(number: str, on: datetime.date, mode: str = "electronic") -> cs.DecisionInput:
    return cs.DecisionInput(number=number, decided_on=on, mode=mode)


@pytest.fixture(autouse=True)
def _english():
    """These tests read the refusal reasons in English (they are rendered in the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(reference_data, now, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    pair = CountryPair.objects.get(partner__code="LK")
    Tpe.objects.create(tpe_id="TPE-LK-001", pair=pair, name="Lanka Assurance", confidence="V")
    Tpe.objects.create(tpe_id="TPE-LK-002", pair=pair, name="Undesignated Certifiers", confidence="V")
    orgs = {
        "jptech": create_organisation(name="JP Tech Co", kind="company", country_code="JP", now=now),
        "lanka": create_organisation(name="Lanka Power", kind="company", country_code="LK", now=now),
        "goj": create_organisation(name="Government of Japan", kind="government", country_code="JP", now=now),
        "other": create_organisation(name="Other Co", kind="company", country_code="LK", now=now),
        "tpe": create_organisation(name="Lanka Assurance", kind="tpe", tpe_id="TPE-LK-001", now=now),
        "tpe2": create_organisation(name="Undesignated Certifiers", kind="tpe", tpe_id="TPE-LK-002", now=now),
        "jc": create_organisation(name="JC Japan-Sri Lanka", kind="joint_committee", now=now),
        "sec": create_organisation(name="JC secretariat JP-LK", kind="secretariat", now=now),
        "rmjp": create_organisation(name="MOEJ registry", kind="government", country_code="JP", now=now),
        "rmlk": create_organisation(name="LK registry", kind="government", country_code="LK", now=now),
    }
    roles = {
        "pp": ("lanka", "project_participant", "LK"), "fp": ("jptech", "focal_point", "LK"),
        "fp_pp": ("jptech", "project_participant", "LK"), "outsider": ("other", "project_participant", "LK"),
        "tpe": ("tpe", "tpe", "LK"), "tpe2": ("tpe2", "tpe", "LK"), "jc": ("jc", "jc_member", "LK"),
        "sec": ("sec", "jc_secretariat", "LK"), "rm_jp": ("rmjp", "registry_manager_japan", None),
        "rm_p": ("rmlk", "registry_manager_partner", "LK"), "jc_id": ("jc", "jc_member", "ID"),
    }
    users: dict[str, Any] = {}
    model = get_user_model()
    for name, (org, role, cc) in roles.items():
        username = "fp" if name == "fp_pp" else name
        user = users.get(username) or model.objects.filter(username=username).first() or \
            model.objects.create_user(username, email=f"{username}@example.test", password="pw")
        users[username] = user
        grant_role(user=user, organisation=orgs[org], role=role, partner_code=cc, now=now)
    users["nobody"] = model.objects.create_user("nobody", email="nobody@example.test", password="pw")
    rs.create_registry(idempotency_key=f"c-{next(_keys)}", code="JP", party="JP", name="JCM registry of Japan",
                       now=now)
    rs.create_registry(idempotency_key=f"c-{next(_keys)}", code="LK", party="LK", name="JCM registry of Sri Lanka",
                       now=now)
    for number, reg, kind in (("JP-GOV", "JP", AccountKind.GOVERNMENT_HOLDING),
                              ("JP-TECH", "JP", AccountKind.ENTITY_HOLDING),
                              ("LK-POWER", "LK", AccountKind.ENTITY_HOLDING)):
        rs.open_account(idempotency_key=f"c-{next(_keys)}", registry=reg, number=number, kind=kind, now=now)
    for function in ("validation", "verification"):
        cs.record_tpe_designation(actor=users["sec"], tpe_id="TPE-LK-001", partner_code="LK", function=function,
                                  scopes=[1, 3], designated_on=D(2024, 1, 1), expires_on=D(2028, 12, 31), now=now)
    return World(now=now, users=users, orgs=orgs, pair=pair)


def new_project(w: World, **kw: Any) -> Any:
    args = dict(
        actor=w.users["fp"], partner_code="LK", title="Solar mini-grids in Jaffna", scopes=[1],
        participants=[cs.ParticipantInput(organisation=w.orgs["jptech"], side="japan", email="jp@example.test"),
                      cs.ParticipantInput(organisation=w.orgs["lanka"], side="partner", email="lk@example.test"),
                      cs.ParticipantInput(organisation=w.orgs["goj"], side="japan")],
        focal_point=w.orgs["jptech"], mrv_methodology_id="ID_AM003", operation_started_on=D(2025, 1, 1),
        crediting_start=D(2025, 1, 1), crediting_end=D(2030, 1, 1),
        sites=[cs.SiteInput(latitude="9.661500", longitude="80.025500", label="Jaffna")], equipment=["INV-0001"],
        now=w.now,
    )
    args.update(kw)
    return cs.create_project(**args)


ALLOCATION = [("goj", "japan", 5000, "JP-GOV"), ("jptech", "japan", 2550, "JP-TECH"),
              ("lanka", "partner", 2450, "LK-POWER")]


def allocate(w: World, project: Any, shares: list[tuple[str, str, int, str]] = ALLOCATION) -> Any:
    return cs.declare_allocation(actor=w.users["fp"], project=project, now=w.now, shares=[
        cs.ShareInput(organisation=w.orgs[o], side=s, basis_points=bp, account_number=a) for o, s, bp, a in shares])


def to_validated(w: World, p: Any) -> Any:
    """PIN → no objection → PDD published → window closed → validated (times from w.now)."""
    submit(w, "fp", p, "F_PIN")
    cs.act_on_project(actor=w.users["fp"], project=p, action="submit_pin", now=w.now)
    cs.act_on_project(actor=w.users["jc"], project=p, action="no_objection", now=w.at(1),
                      decision=decision(f"LK-PIN-{p.pk}", w.at(1).date()))
    cs.act_on_project(actor=w.users["fp"], project=p, action="prepare_pdd", now=w.at(2))
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="validation", now=w.at(2))
    submit(w, "fp", p, "F_PDD", at=w.at(2), confidential=True)
    cs.act_on_project(actor=w.users["tpe"], project=p, action="publish_pdd", now=w.at(3))
    cs.act_on_project(actor=w.users["tpe"], project=p, action="close_pdd_public_input", now=w.at(40))
    submit(w, "tpe", p, "F_Val_Rep", at=w.at(41))
    return cs.act_on_project(actor=w.users["tpe"], project=p, action="validate_positive", now=w.at(41))


def to_registered(w: World, p: Any) -> Any:
    to_validated(w, p)
    cs.file_moc(actor=w.users["fp"], project=p, focal_point=w.orgs["jptech"], now=w.at(42), parties=[
        cs.ParticipantInput(organisation=w.orgs["jptech"], side="japan", email="jp@example.test"),
        cs.ParticipantInput(organisation=w.orgs["lanka"], side="partner", email="lk@example.test"),
        cs.ParticipantInput(organisation=w.orgs["goj"], side="japan")],
        signatories=[{"organisation": "JP Tech Co", "name": "Taro Yamada", "title": "Director"}])
    allocate(w, p)
    cs.attest_no_other_mechanism(actor=w.users["fp"], project=p, now=w.at(42))
    submit(w, "fp", p, "F_Reg_Req", "F_MoC", "F_Crd_Allc", "F_SDIP", at=w.at(42))
    cs.act_on_project(actor=w.users["fp"], project=p, action="request_registration", now=w.at(43))
    cs.act_on_project(actor=w.users["sec"], project=p, action="mark_registration_complete", now=w.at(45))
    return cs.act_on_project(actor=w.users["jc"], project=p, action="register", now=w.at(60),
                             decision=decision(f"LK-REG-{p.pk}", w.at(60).date()))


ID_AM003 = {"parameters": {"values": {"COP_PJ": "1.63", "EF_elec": {"value": "0.814", "source": "grid"}}},
            "monitored": {"EC_PJ": {"IQF-1": 135}}}


FIRST_YEAR = (D(2025, 1, 1), D(2026, 1, 1))


def report(w: World, p: Any, start: datetime.date | None = None, end: datetime.date | None = None,
           at: datetime.datetime | None = None, **kw: Any) -> Any:
    start, end = start or FIRST_YEAR[0], end or FIRST_YEAR[1]
    return cs.create_monitoring_report(actor=w.users["fp"], project=p, period_start=start, period_end=end,
                                       now=at or w.at(61), **(ID_AM003 | kw))


def to_verified(w: World, r: Any, verified: int | None = None) -> Any:
    p = r.project
    cs.assign_tpe(actor=w.users["fp"], project=p, tpe_id="TPE-LK-001", function="verification", now=w.at(62))
    submit(w, "fp", r, "MR_Sheet", at=w.at(62))
    cs.act_on_report(actor=w.users["fp"], report=r, action="submit_for_verification", now=w.at(62))
    submit(w, "tpe", r, "F_Vrf_Rep", at=w.at(70))
    r.refresh_from_db()
    return cs.act_on_report(actor=w.users["tpe"], report=r, action="verify", now=w.at(70),
                            verified=r.claimed if verified is None else verified, findings=["meter calibrated"])
