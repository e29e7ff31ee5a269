"""Demo data for `make run` / `jcm demo`: one signed-in user per role (Japan–Mongolia, and Japan–Georgia
for the Article 6 cycle), the registries of Japan, Mongolia and Georgia with their accounts, and
methodologies and projects at every stage of the cycle, all driven through the services.

The demo clock is fixed relative to the ``now`` it is given: every step happens at ``now`` minus a
fixed number of days, so that the windows opened last are still open when the demo is shown.
Idempotent: running it twice changes nothing. Never run it against a production database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import datetime as DateTime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from jcm.accounts.core.roles import OrganisationKind, Role
from jcm.accounts.models import Organisation
from jcm.accounts.services import create_organisation, create_user, grant_role

DEMO_PASSWORD = "jcm-demo-2026"
DEMO_PAIR = "MN"
ARTICLE6_PAIR = "GE"
DEMO_TPE_ID = "TPE-MN-014"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    kind: OrganisationKind
    pair: str | None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("participant", Role.PROJECT_PARTICIPANT, "Darkhan Solar LLC", OrganisationKind.COMPANY, DEMO_PAIR),
    DemoUser("focalpoint", Role.FOCAL_POINT, "Nippon Solar Partners K.K.", OrganisationKind.COMPANY, DEMO_PAIR),
    DemoUser("tpe", Role.TPE, "Demo Verification Services", OrganisationKind.TPE, DEMO_PAIR),
    DemoUser("jcmember", Role.JC_MEMBER, "Japan–Mongolia Joint Committee", OrganisationKind.JOINT_COMMITTEE,
             DEMO_PAIR),
    DemoUser("secretariat", Role.JC_SECRETARIAT, "Japan–Mongolia JC Secretariat", OrganisationKind.SECRETARIAT,
             DEMO_PAIR),
    DemoUser("registry-jp", Role.REGISTRY_MANAGER_JAPAN, "Government of Japan (registry)",
             OrganisationKind.GOVERNMENT, None),
    DemoUser("registry-mn", Role.REGISTRY_MANAGER_PARTNER, "Government of Mongolia (registry)",
             OrganisationKind.GOVERNMENT, DEMO_PAIR),
    DemoUser("programme", Role.PROGRAMME_MANAGER, "MOEJ model project programme", OrganisationKind.PROGRAMME, None),
    DemoUser("admin", Role.PLATFORM_ADMIN, "Platform operator", OrganisationKind.OTHER, None),
    # Japan–Georgia (Article 6 generation: PIN and no-objection, credit allocation form)
    DemoUser("participant-ge", Role.PROJECT_PARTICIPANT, "Tbilisi Solar LLC", OrganisationKind.COMPANY,
             ARTICLE6_PAIR),
    DemoUser("focalpoint", Role.FOCAL_POINT, "Nippon Solar Partners K.K.", OrganisationKind.COMPANY, ARTICLE6_PAIR),
    DemoUser("tpe", Role.TPE, "Demo Verification Services", OrganisationKind.TPE, ARTICLE6_PAIR),
    DemoUser("jcmember-ge", Role.JC_MEMBER, "Japan–Georgia Joint Committee", OrganisationKind.JOINT_COMMITTEE,
             ARTICLE6_PAIR),
    DemoUser("secretariat-ge", Role.JC_SECRETARIAT, "Japan–Georgia JC Secretariat", OrganisationKind.SECRETARIAT,
             ARTICLE6_PAIR),
    DemoUser("registry-ge", Role.REGISTRY_MANAGER_PARTNER, "Government of Georgia (registry)",
             OrganisationKind.GOVERNMENT, ARTICLE6_PAIR),
)

COUNTRY_OF_ORG = {"Nippon Solar Partners K.K.": "JP", "Government of Japan (registry)": "JP",
                  "MOEJ model project programme": "JP", "Platform operator": "JP", "Darkhan Solar LLC": "MN",
                  "Tbilisi Solar LLC": "GE", "Government of Mongolia (registry)": "MN",
                  "Government of Georgia (registry)": "GE"}

# (code, party, name, manager organisation) and (number, registry, kind, holder organisation or "")
REGISTRIES = (("JP", "JP", "JCM registry of Japan", "Government of Japan (registry)"),
              ("MN", "MN", "JCM registry of Mongolia", "Government of Mongolia (registry)"),
              ("GE", "GE", "JCM registry of Georgia", "Government of Georgia (registry)"))
ACCOUNTS = (
    ("JP-GOV", "JP", "government_holding", "Government of Japan (registry)"),
    ("JP-NSP", "JP", "entity_holding", "Nippon Solar Partners K.K."),
    ("JP-CANCEL", "JP", "cancellation", ""), ("JP-RETIRE", "JP", "retirement", ""),
    ("MN-GOV", "MN", "government_holding", "Government of Mongolia (registry)"),
    ("MN-DARKHAN", "MN", "entity_holding", "Darkhan Solar LLC"),
    ("MN-CANCEL", "MN", "cancellation", ""), ("MN-RETIRE", "MN", "retirement", ""),
    ("GE-GOV", "GE", "government_holding", "Government of Georgia (registry)"),
    ("GE-TBILISI", "GE", "entity_holding", "Tbilisi Solar LLC"),
    ("GE-CANCEL", "GE", "cancellation", ""), ("GE-RETIRE", "GE", "retirement", ""),
)

PV_PARAMETERS = {"values": {"EF_RE": {"value": "0.797", "source": "JC grid default (demo)"}}}


def _users() -> dict[str, Any]:
    model = get_user_model()
    return {u.username: model.objects.get(username=u.username) for u in DEMO_USERS}


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _file(name: str, text: str) -> ContentFile:
    return ContentFile(text.encode(), name=name)


def load_demo(*, now: DateTime) -> list[DemoUser]:
    """Create what does not exist yet: people and roles, registries and accounts, and the cycle at
    every stage. Return the demo users."""
    _people(now)
    _registries(now)
    _cycle(now)
    return list(DEMO_USERS)


def _people(now: DateTime) -> None:
    user_model = get_user_model()
    with transaction.atomic():
        for demo in DEMO_USERS:
            user = user_model.objects.filter(username=demo.username).first()
            if user is None:
                user = create_user(
                    username=demo.username, email=f"{demo.username}@demo.jcm-platform.invalid",
                    password=DEMO_PASSWORD, now=now, superuser=demo.role is Role.PLATFORM_ADMIN,
                    check_password=False,
                )
            org = Organisation.objects.filter(name=demo.organisation).first() or create_organisation(
                name=demo.organisation, kind=demo.kind.value, now=now,
                country_code=COUNTRY_OF_ORG.get(demo.organisation, demo.pair or "JP"),
                tpe_id=DEMO_TPE_ID if demo.role is Role.TPE else "",
            )
            if demo.role is Role.TPE and not org.tpe_id:  # databases loaded by an earlier demo
                Organisation.objects.filter(pk=org.pk).update(tpe_id=DEMO_TPE_ID)
            grant_role(user=user, organisation=org, role=demo.role.value, partner_code=demo.pair, now=now)


def _registries(now: DateTime) -> None:
    from jcm.registry import services as rs
    from jcm.registry.models import Account, Registry

    with transaction.atomic():
        for code, party, name, manager in REGISTRIES:
            if not Registry.objects.filter(code=code).exists():
                rs.create_registry(idempotency_key=f"demo-registry-{code}", code=code, party=party, name=name,
                                   manager_id=_org(manager).pk, now=now)
        for number, registry, kind, holder in ACCOUNTS:
            if not Account.objects.filter(number=number).exists():
                rs.open_account(idempotency_key=f"demo-account-{number}", registry=registry, number=number,
                                kind=kind, holder_id=_org(holder).pk if holder else None, holder_name=holder,
                                now=now)


# --- the cycle --------------------------------------------------------------------------------------


class _Clock:
    """Demo time: ``at(days_ago)`` is ``now`` minus that many days."""

    def __init__(self, now: DateTime) -> None:
        self.now = now

    def at(self, days_ago: float) -> DateTime:
        return self.now - datetime.timedelta(days=days_ago)

    def day(self, days_ago: float) -> datetime.date:
        return self.at(days_ago).date()


def _decision(number: str, on: datetime.date, mode: str = "electronic") -> Any:
    from jcm.cycle.services import DecisionInput

    return DecisionInput(number=number, decided_on=on, mode=mode)


def _submit(user: Any, subject: Any, forms: tuple[str, ...], at: DateTime, *, confidential: bool = False) -> None:
    from jcm.cycle.services import submit_document

    for form in forms:
        submit_document(
            actor=user, subject=subject, form_code=form, now=at,
            public_file=_file(f"{form}.txt", f"{form} (public version, demo)\n"),
            confidential_file=_file(f"{form}-full.txt", f"{form} (confidential, demo)\n") if confidential else None)


def _cycle(now: DateTime) -> None:
    from jcm.cycle.models import Methodology, Project

    c = _Clock(now)
    u = _users()
    steps = (
        ("designations", lambda: _designations(c, u), lambda: _has_designations()),
        ("methodology in public input", lambda: _methodology_in_public_input(c, u),
         lambda: Methodology.objects.filter(title=M_PUBLIC).exists()),
        ("approved methodology", lambda: _approved_methodology(c, u),
         lambda: Methodology.objects.filter(title=M_APPROVED).exists()),
        ("PIN awaiting no objection", lambda: _pin(c, u), lambda: Project.objects.filter(title=P_PIN).exists()),
        ("PDD in public input", lambda: _pdd_public(c, u), lambda: Project.objects.filter(title=P_PDD).exists()),
        ("in validation", lambda: _in_validation(c, u), lambda: Project.objects.filter(title=P_VAL).exists()),
        ("awaiting issuance", lambda: _awaiting_issuance(c, u),
         lambda: Project.objects.filter(title=P_AWAIT).exists()),
        ("issued and retired", lambda: _issued(c, u), lambda: Project.objects.filter(title=P_ISSUED).exists()),
        ("meeting report", lambda: _meeting(c, u), lambda: _has_meeting()),
        ("MoC change pending", lambda: _moc_change_pending(c, u),
         lambda: Project.objects.filter(title=P_MOC_CHANGE).exists()),
        ("crediting period ended", lambda: _crediting_ended(c, u),
         lambda: Project.objects.filter(title=P_ENDED).exists()),
    )
    for _name, run, done in steps:
        if not done():
            with transaction.atomic():
                run()


M_PUBLIC = "Energy-efficient heat-only boilers for district heating"
M_APPROVED = "Installation of Solar PV System (Georgia)"
P_PIN = "Rooftop solar for public schools in Tbilisi"
P_PDD = "Solar power plant in Sainshand"
P_VAL = "LED street lighting in Ulaanbaatar"
P_AWAIT = "Solar power plant in Darkhan (phase 2)"
P_ISSUED = "Solar power plant in Darkhan"
P_MOC_CHANGE = "Solar power plant in Erdenet"
P_ENDED = "Biomass boiler retrofit in Choibalsan"


def _has_designations() -> bool:
    from jcm.cycle.models import RecordedDesignation

    return RecordedDesignation.objects.filter(tpe__tpe_id=DEMO_TPE_ID).count() >= 4


def _has_meeting() -> bool:
    from jcm.cycle.models import JcMeetingReport

    return JcMeetingReport.objects.filter(meeting="10th JC meeting", pair__partner__code=DEMO_PAIR).exists()


def _designations(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import record_tpe_designation

    for cc, sec in ((DEMO_PAIR, "secretariat"), (ARTICLE6_PAIR, "secretariat-ge")):
        for function in ("validation", "verification"):
            record_tpe_designation(actor=u[sec], tpe_id=DEMO_TPE_ID, partner_code=cc, function=function,
                                   scopes=[1, 3], designated_on=c.day(900), expires_on=c.day(-900), now=c.at(900))


def _propose(c: _Clock, user: Any, cc: str, title: str, scopes: list[int], mrv: str, days_ago: float) -> Any:
    from jcm.cycle.services import act_on_methodology, propose_methodology

    v = propose_methodology(actor=user, partner_code=cc, title=title, scopes=scopes, mrv_methodology_id=mrv,
                            now=c.at(days_ago))
    _submit(user, v, ("F_PM", "F_PMS"), c.at(days_ago))
    return act_on_methodology(actor=user, version=v, action="submit", now=c.at(days_ago))


def _methodology_in_public_input(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import act_on_methodology

    v = _propose(c, u["participant"], DEMO_PAIR, M_PUBLIC, [3], "", 8)
    act_on_methodology(actor=u["secretariat"], version=v, action="mark_complete", now=c.at(3))


def _approved_methodology(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import act_on_methodology

    v = _propose(c, u["participant-ge"], ARTICLE6_PAIR, M_APPROVED, [1], "MN_AM003", 500)
    act_on_methodology(actor=u["secretariat-ge"], version=v, action="mark_complete", now=c.at(495))
    act_on_methodology(actor=u["secretariat-ge"], version=v, action="close_public_input", now=c.at(470))
    act_on_methodology(actor=u["jcmember-ge"], version=v, action="approve", now=c.at(450),
                       decision=_decision("GE-JC-2025-E01", c.day(450)))


def _new_project(c: _Clock, u: dict[str, Any], cc: str, title: str, days_ago: float, *, lat: str, lon: str,
                 equipment: str, local: str, mrv: str = "MN_AM003",
                 crediting_end: datetime.date = datetime.date(2030, 12, 31)) -> Any:
    from jcm.cycle.services import ParticipantInput, SiteInput, create_project

    start = c.day(days_ago + 30)
    return create_project(
        actor=u["focalpoint"], partner_code=cc, title=title, scopes=[1],
        participants=[
            ParticipantInput(organisation=_org("Nippon Solar Partners K.K."), side="japan",
                             email="focalpoint@demo.jcm-platform.invalid"),
            ParticipantInput(organisation=_org(local), side="partner", email="partner@demo.jcm-platform.invalid")],
        focal_point=_org("Nippon Solar Partners K.K."), mrv_methodology_id=mrv, operation_started_on=start,
        crediting_start=start, crediting_end=crediting_end,
        sites=[SiteInput(latitude=lat, longitude=lon, label=title)], equipment=[equipment], now=c.at(days_ago))


def _pin(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import act_on_project

    p = _new_project(c, u, ARTICLE6_PAIR, P_PIN, 12, lat="41.715100", lon="44.827100", equipment="GE-PV-0001",
                     local="Tbilisi Solar LLC")
    _submit(u["focalpoint"], p, ("F_PIN",), c.at(12))
    act_on_project(actor=u["focalpoint"], project=p, action="submit_pin", now=c.at(10))


def _to_pdd_published(c: _Clock, u: dict[str, Any], title: str, days_ago: float, **site: Any) -> Any:
    from jcm.cycle.services import act_on_project, assign_tpe

    p = _new_project(c, u, DEMO_PAIR, title, days_ago + 5, local="Darkhan Solar LLC", **site)
    act_on_project(actor=u["focalpoint"], project=p, action="prepare_pdd", now=c.at(days_ago + 4))
    assign_tpe(actor=u["focalpoint"], project=p, tpe_id=DEMO_TPE_ID, function="validation", now=c.at(days_ago + 4))
    _submit(u["focalpoint"], p, ("F_PDD",), c.at(days_ago + 3), confidential=True)
    act_on_project(actor=u["tpe"], project=p, action="publish_pdd", now=c.at(days_ago))
    return p


def _pdd_public(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.models import Window
    from jcm.cycle.services import submit_public_comment

    p = _to_pdd_published(c, u, P_PDD, 5, lat="44.892200", lon="110.118700", equipment="MN-PV-SAINSHAND-01")
    window = Window.objects.filter(project=p, key="pdd_public_input", closed_at__isnull=True).get()
    submit_public_comment(window=window, author_name="B. Enkhbold", organisation="Sainshand citizens' forum",
                          text="Please explain how the plant's output is dispatched during winter peaks.",
                          now=c.at(2))


def _to_validated(c: _Clock, u: dict[str, Any], title: str, days_ago: float, **site: Any) -> Any:
    from jcm.cycle.services import act_on_project

    p = _to_pdd_published(c, u, title, days_ago, **site)
    act_on_project(actor=u["tpe"], project=p, action="close_pdd_public_input", now=c.at(days_ago - 35))
    return p


def _in_validation(c: _Clock, u: dict[str, Any]) -> None:
    _to_validated(c, u, P_VAL, 60, lat="47.918400", lon="106.917600", equipment="MN-LED-UB-01")


def _to_registered(c: _Clock, u: dict[str, Any], title: str, days_ago: float, **site: Any) -> Any:
    from jcm.cycle.services import (
        ParticipantInput,
        ShareInput,
        act_on_project,
        attest_no_other_mechanism,
        declare_allocation,
        file_moc,
    )

    p = _to_validated(c, u, title, days_ago, **site)
    t = days_ago - 40
    _submit(u["tpe"], p, ("F_Val_Rep",), c.at(t))
    act_on_project(actor=u["tpe"], project=p, action="validate_positive", now=c.at(t))
    fp, local = _org("Nippon Solar Partners K.K."), _org("Darkhan Solar LLC")
    file_moc(actor=u["focalpoint"], project=p, focal_point=fp, now=c.at(t - 1),
             parties=[ParticipantInput(organisation=fp, side="japan"),
                      ParticipantInput(organisation=local, side="partner")],
             signatories=[{"organisation": fp.name, "name": "Hanako Sato", "title": "Director"}])
    declare_allocation(actor=u["focalpoint"], project=p, now=c.at(t - 1), shares=[
        ShareInput(organisation=fp, side="japan", basis_points=5000, account_number="JP-NSP"),
        ShareInput(organisation=local, side="partner", basis_points=5000, account_number="MN-DARKHAN")])
    attest_no_other_mechanism(actor=u["focalpoint"], project=p, now=c.at(t - 1))
    _submit(u["focalpoint"], p, ("F_Reg_Req", "F_MoC", "F_SDIP"), c.at(t - 1))
    act_on_project(actor=u["focalpoint"], project=p, action="request_registration", now=c.at(t - 2))
    act_on_project(actor=u["secretariat"], project=p, action="mark_registration_complete", now=c.at(t - 5))
    act_on_project(actor=u["jcmember"], project=p, action="register", now=c.at(t - 20),
                   decision=_decision(f"MN-JC-REG-{p.pk:03d}", c.day(t - 20), "meeting"))
    return p


def _to_jc_issuance(c: _Clock, u: dict[str, Any], p: Any, t: float) -> Any:
    from jcm.cycle.services import act_on_report, assign_tpe, create_monitoring_report

    p.refresh_from_db()
    start = p.crediting_start
    r = create_monitoring_report(actor=u["focalpoint"], project=p, period_start=start,
                                 period_end=start + datetime.timedelta(days=181), parameters=PV_PARAMETERS,
                                 monitored={"EG": {"PV-1": 4200}}, now=c.at(t))
    assign_tpe(actor=u["focalpoint"], project=p, tpe_id=DEMO_TPE_ID, function="verification", now=c.at(t))
    _submit(u["focalpoint"], r, ("MR_Sheet",), c.at(t))
    act_on_report(actor=u["focalpoint"], report=r, action="submit_for_verification", now=c.at(t - 1))
    _submit(u["tpe"], r, ("F_Vrf_Rep",), c.at(t - 10))
    r.refresh_from_db()
    act_on_report(actor=u["tpe"], report=r, action="verify", now=c.at(t - 10), verified=r.claimed,
                  findings=["Meter PV-1 calibrated on schedule"])
    _submit(u["focalpoint"], r, ("F_Iss_Req", "F_SDIR"), c.at(t - 11))
    act_on_report(actor=u["focalpoint"], report=r, action="request_issuance", now=c.at(t - 11), requested=r.claimed)
    act_on_report(actor=u["secretariat"], report=r, action="mark_issuance_complete", now=c.at(t - 13))
    return r


def _awaiting_issuance(c: _Clock, u: dict[str, Any]) -> None:
    p = _to_registered(c, u, P_AWAIT, 260, lat="49.486800", lon="105.922800", equipment="MN-PV-DARKHAN-02")
    _to_jc_issuance(c, u, p, 60)


def _issued(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import act_on_report, execute_notifications
    from jcm.registry import services as rs

    p = _to_registered(c, u, P_ISSUED, 400, lat="49.468200", lon="105.968100", equipment="MN-PV-DARKHAN-01")
    r = _to_jc_issuance(c, u, p, 200)
    act_on_report(actor=u["jcmember"], report=r, action="notify_issuance", now=c.at(180),
                  decision=_decision("MN-JC-ISS-001", c.day(180), "meeting"))
    execute_notifications(report=r, now=c.at(178))
    rs.retire(idempotency_key="demo-retire-1", from_account="JP-NSP", purpose="voluntary",
              beneficiary="Nippon Solar Partners K.K. (2025 voluntary target)", quantity=100, now=c.at(170))


def _meeting(c: _Clock, u: dict[str, Any]) -> None:
    from jcm.cycle.services import publish_meeting_report

    publish_meeting_report(actor=u["secretariat"], partner_code=DEMO_PAIR, meeting="10th JC meeting",
                           held_on=c.day(160), title="Summary of the 10th Joint Committee meeting", now=c.at(158),
                           file=_file("jc10-summary.txt", "Summary of the 10th JC meeting (demo)\n"))


def _moc_change_pending(c: _Clock, u: dict[str, Any]) -> None:
    """Registered, with an MoC change request (Darkhan Solar becomes the focal point) awaiting the secretariat."""
    from jcm.cycle.services import ParticipantInput, act_on_change_request, create_change_request, file_moc

    p = _to_registered(c, u, P_MOC_CHANGE, 110, lat="49.027900", lon="104.044100", equipment="MN-PV-ERDENET-01")
    fp, local = _org("Nippon Solar Partners K.K."), _org("Darkhan Solar LLC")
    cr = create_change_request(actor=u["focalpoint"], project=p, kind="moc_change", now=c.at(20),
                               description="Darkhan Solar LLC takes over as the focal point")
    file_moc(actor=u["focalpoint"], project=p, focal_point=local, now=c.at(20), change_request=cr,
             parties=[ParticipantInput(organisation=fp, side="japan"),
                      ParticipantInput(organisation=local, side="partner")],
             signatories=[{"organisation": local.name, "name": "B. Bat-Erdene", "title": "Chief executive"}])
    act_on_change_request(actor=u["focalpoint"], change_request=cr, action="submit", now=c.at(19))


def _crediting_ended(c: _Clock, u: dict[str, Any]) -> None:
    """Registered for a short crediting period that is over; the secretariat ended it (``end_crediting``)."""
    from jcm.cycle.services import act_on_project

    p = _to_registered(c, u, P_ENDED, 300, lat="48.067500", lon="114.535600", equipment="MN-BOILER-CHOIBALSAN-01",
                       crediting_end=c.day(30))
    act_on_project(actor=u["secretariat"], project=p, action="end_crediting", now=c.at(25))
