"""A Japan–Georgia project (Article 6 rule set GE.v1) carried through the browser from its PIN to
credits issued in both registries, each demo role signing in to take its steps; then one block is
retired through the registry API with the registry manager's browser session (the registry has no
retirement page) and the public registry pages show it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e

PARAMS = b"methodology: MN_AM003\nvalues:\n  EF_RE: {value: 0.797, source: 'JC grid default'}\n"
METERS = (b"device_id,timestamp,parameter,value,unit\n"
          b"PV-1,2026-03-01T12:00:00+09:00,EG,900,MWh\n"
          b"PV-2,2026-05-01T12:00:00+09:00,EG,600000,kWh\n")


class Roles:
    """One signed-in browser context per demo user."""

    def __init__(self, browser: object, site: str) -> None:
        self.browser, self.site, self.pages = browser, site, {}

    def __call__(self, username: str) -> object:
        from jcm.site.demo import DEMO_PASSWORD

        if username not in self.pages:
            context = self.browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
            page = context.new_page()
            page.set_default_timeout(15000)
            page.goto(self.site + "/en/accounts/login/")
            page.fill("input[name=login]", username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.wait_for_url(re.compile(r"/en/workspace/$"))
            self.pages[username] = page
        return self.pages[username]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


def open_all(page: object) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # type: ignore[attr-defined]


def work(page: object, site: str, kind: str, pk: int) -> None:
    page.goto(f"{site}/en/cycle/workspace/{kind}/{pk}/")  # type: ignore[attr-defined]
    open_all(page)


def act(page: object, action: str, **fields: str) -> None:
    from playwright.sync_api import expect

    open_all(page)
    box = page.locator(f'details[data-action="{action}"]').first  # type: ignore[attr-defined]
    for name, value in fields.items():
        field = box.locator(f'[name$="-{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    box.locator("button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("Done")  # type: ignore[attr-defined]


def upload(page: object, form_code: str, *, confidential: bool = False) -> None:
    from playwright.sync_api import expect

    open_all(page)
    page.select_option("select[name=doc-form_code]", form_code)  # type: ignore[attr-defined]
    page.set_input_files("input[name=doc-public_file]", files=[  # type: ignore[attr-defined]
        {"name": f"{form_code}.txt", "mimeType": "text/plain", "buffer": f"{form_code} public".encode()}])
    if confidential:
        page.set_input_files("input[name=doc-confidential_file]", files=[  # type: ignore[attr-defined]
            {"name": f"{form_code}-full.txt", "mimeType": "text/plain", "buffer": b"confidential"}])
    page.locator("form:has(input[name=doc-public_file]) button[type=submit]").click()  # type: ignore[attr-defined]
    expect(page.locator("ul.messages")).to_contain_text(f"Submitted: {form_code}")  # type: ignore[attr-defined]


def submit_form(page: object, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()  # type: ignore[attr-defined]


def test_pin_to_credits_in_both_registries_and_a_retirement(site, browser):
    from playwright.sync_api import expect

    from jcm.cycle.models import MethodologyVersion, MonitoringReport, Project, Window

    roles = Roles(browser, site)
    try:
        today = datetime.now(UTC).date().isoformat()
        # -- the focal point starts the project and submits the PIN
        fp = roles("focalpoint")
        fp.goto(site + "/en/cycle/workspace/")
        fp.get_by_role("link", name="Start a project (PIN or PDD)").click()
        fp.wait_for_url(re.compile(r"/projects/new/$"))
        version = MethodologyVersion.objects.get(methodology__am_id="GE_AM001")
        fp.select_option("select[name=partner]", "GE")
        fp.fill("input[name=title]", "Solar carports in Batumi")
        fp.fill("input[name=scopes]", "1")
        fp.select_option("select[name=methodology_version]", str(version.pk))
        fp.select_option("select[name=partner_participants]", label="Tbilisi Solar LLC")
        fp.fill("input[name=operation_started_on]", "2026-01-01")
        fp.fill("input[name=crediting_start]", "2026-01-01")
        fp.fill("input[name=crediting_end]", "2030-12-31")
        fp.fill("textarea[name=sites]", "41.641600, 41.633600, Batumi")
        fp.fill("textarea[name=equipment]", "GE-BATUMI-INV-01")
        submit_form(fp, "form.stacked")
        expect(fp.locator("ul.messages")).to_contain_text("created in draft")
        p = Project.objects.get(title="Solar carports in Batumi")
        work(fp, site, "project", p.pk)
        upload(fp, "F_PIN")
        act(fp, "submit_pin")
        expect(fp.locator("#state")).to_have_text("PIN submitted")

        # -- the JC decides: no objection (electronic decision)
        jc = roles("jcmember-ge")
        jc.goto(site + "/en/cycle/workspace/")
        expect(jc.locator("main")).to_contain_text("GE_PIN002")
        work(jc, site, "project", p.pk)
        act(jc, "no_objection", decision_number="GE-JC-E2E-01", decision_date=today)

        # -- the PDD with its confidential version; the TPE publishes it
        work(fp, site, "project", p.pk)
        act(fp, "prepare_pdd")
        open_all(fp)
        fp.select_option("select[name=tpe-tpe_id]", "TPE-MN-014")
        fp.select_option("select[name=tpe-function]", "validation")
        submit_form(fp, "form:has(select[name=tpe-tpe_id])")
        expect(fp.locator("ul.messages")).to_contain_text("TPE recorded")
        upload(fp, "F_PDD", confidential=True)
        tpe = roles("tpe")
        work(tpe, site, "project", p.pk)
        act(tpe, "publish_pdd")
        # thirty days of public input pass (the window is moved back; the clock is the test's)
        now = datetime.now(UTC)
        Window.objects.filter(project=p, key="pdd_public_input", closed_at__isnull=True).update(
            opens_at=now - timedelta(days=31), closes_at=now - timedelta(minutes=1))
        work(tpe, site, "project", p.pk)
        act(tpe, "close_pdd_public_input")
        upload(tpe, "F_Val_Rep")
        act(tpe, "validate_positive")
        expect(tpe.locator("#state")).to_have_text("validated")

        # -- MoC, allocation, attestation, registration request
        work(fp, site, "project", p.pk)
        fp.fill("textarea[name=moc-signatories]", "Hanako Sato, Director")
        submit_form(fp, "form:has(textarea[name=moc-signatories])")
        expect(fp.locator("ul.messages")).to_contain_text("Modalities of Communication filed")
        open_all(fp)
        fp.fill("textarea[name=alloc-shares]", "Nippon Solar Partners K.K.; japan; 50; JP-NSP\n"
                                               "Tbilisi Solar LLC; partner; 50; GE-TBILISI")
        submit_form(fp, "form:has(textarea[name=alloc-shares])")
        expect(fp.locator("ul.messages")).to_contain_text("Credit allocation declared")
        open_all(fp)
        fp.check("input[name=attest]")
        submit_form(fp, "form:has(input[name=attest])")
        expect(fp.locator("ul.messages")).to_contain_text("Attestation recorded")
        for form in ("F_Reg_Req", "F_MoC", "F_Crd_Allc", "F_SDIP"):
            upload(fp, form)
        act(fp, "request_registration")

        # -- the secretariat checks, the JC registers
        sec = roles("secretariat-ge")
        work(sec, site, "project", p.pk)
        act(sec, "mark_registration_complete")
        work(jc, site, "project", p.pk)
        act(jc, "register", decision_number="GE-JC-E2E-02", decision_date=today, decision_mode="meeting")
        expect(jc.locator("#state")).to_have_text("registered")
        p.refresh_from_db()
        assert p.project_id.startswith("GE0")

        # -- monitoring report computed by the MRV engine from meter data, verification
        work(fp, site, "project", p.pk)
        fp.select_option("select[name=tpe-tpe_id]", "TPE-MN-014")
        fp.select_option("select[name=tpe-function]", "verification")
        submit_form(fp, "form:has(select[name=tpe-tpe_id])")
        expect(fp.locator("ul.messages")).to_contain_text("TPE recorded")
        open_all(fp)
        fp.fill("input[name=mr-period_start]", "2026-01-01")
        fp.fill("input[name=mr-period_end]", "2026-07-01")
        fp.set_input_files("input[name=mr-meter_file]", files=[
            {"name": "meters.csv", "mimeType": "text/csv", "buffer": METERS}])
        fp.set_input_files("input[name=mr-parameters_file]", files=[
            {"name": "params.yaml", "mimeType": "application/yaml", "buffer": PARAMS}])
        submit_form(fp, "form:has(input[name=mr-period_start])")
        expect(fp.locator("ul.messages")).to_contain_text("ER 1195 tCO2e")
        r = MonitoringReport.objects.get(project=p)
        work(fp, site, "monitoring_report", r.pk)
        upload(fp, "MR_Sheet")
        act(fp, "submit_for_verification")
        work(tpe, site, "monitoring_report", r.pk)
        upload(tpe, "F_Vrf_Rep")
        act(tpe, "verify", verified="1195", findings="Inverter meters calibrated")
        expect(tpe.locator("#verified")).to_have_text("1195")

        # -- issuance request, completeness check, JC notification to each side
        work(fp, site, "monitoring_report", r.pk)
        upload(fp, "F_Iss_Req")
        upload(fp, "F_SDIR")
        act(fp, "request_issuance", requested="1195")
        work(sec, site, "monitoring_report", r.pk)
        act(sec, "mark_issuance_complete")
        work(jc, site, "monitoring_report", r.pk)
        act(jc, "notify_issuance", decision_number="GE-JC-E2E-03", decision_date=today)

        # -- each registry manager has their registry issue its side
        rm_ge = roles("registry-ge")
        rm_ge.goto(site + "/en/cycle/workspace/")
        expect(rm_ge.locator("main")).to_contain_text("Issue in the partner's registry")
        work(rm_ge, site, "monitoring_report", r.pk)
        act(rm_ge, "record_issuance_partner")
        rm_jp = roles("registry-jp")
        work(rm_jp, site, "monitoring_report", r.pk)
        act(rm_jp, "record_issuance_japan")
        expect(rm_jp.locator("#state")).to_have_text("issued in both registries")

        # -- the public sees the credits per side and the registries' pages
        public = roles.browser.new_context(locale="en-GB").new_page()  # type: ignore[attr-defined]
        public.goto(f"{site}/en/cycle/projects/{p.project_id}/")
        public.wait_for_url(re.compile(rf"/en/cycle/projects/{p.key}/$"))
        main = public.locator("main")
        expect(main).to_contain_text("Credits issued per side")
        expect(main).to_contain_text("598")
        expect(main).to_contain_text("597")
        expect(main).to_contain_text("GE-JC-E2E-03")
        public.get_by_role("link", name="GE", exact=True).first.click()
        public.wait_for_url(re.compile(r"/en/registry/GE/$"))
        expect(public.locator("main")).to_contain_text("597")

        # -- one block retired through the registry API (session of the registry manager)
        rm_ge.goto(site + "/en/cycle/workspace/")
        token = next(c["value"] for c in rm_ge.context.cookies() if c["name"] == "csrftoken")
        res = rm_ge.request.post(site + "/api/v1/registry/retirements", data=json.dumps({
            "from_account": "GE-TBILISI", "purpose": "voluntary", "beneficiary": "Batumi carport users",
            "quantity": 100}), headers={"Content-Type": "application/json", "X-CSRFToken": token,
                                        "Idempotency-Key": "e2e-retire-batumi", "Referer": site + "/en/"})
        assert res.status == 200, res.text()
        public.goto(site + "/en/registry/retirements/")
        expect(public.locator("main")).to_contain_text("Batumi carport users")
        public.context.close()
    finally:
        roles.close()
