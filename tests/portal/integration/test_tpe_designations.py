"""The public TPE pages and API show the designations the JC secretariat recorded on the platform next to
the published reference list, each labelled with its source."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from jcm.accounts.services import create_organisation, grant_role
from jcm.cycle import services as cs

pytestmark = pytest.mark.django_db

D = datetime.date
RECORDED = {"en": "Recorded by the JC secretariat on this platform", "ja": "本プラットフォームで JC 事務局が記録"}
PUBLISHED = {"en": "From the published reference list", "ja": "公表された参照リストより"}


@pytest.fixture
def recorded(reference_data, now):
    """The JP–MN secretariat records: TPE-MN-014 in force for validation, suspended for verification;
    TPE-VN-008 (listed under Viet Nam) for JP–MN with a designation that ended."""
    org = create_organisation(name="JC secretariat JP-MN", kind="secretariat", now=now)
    sec = get_user_model().objects.create_user("sec-mn", email="sec-mn@example.test", password="pw")
    grant_role(user=sec, organisation=org, role="jc_secretariat", partner_code="MN", now=now)
    record = dict(actor=sec, partner_code="MN", now=now)
    cs.record_tpe_designation(tpe_id="TPE-MN-014", function="validation", scopes=[1, 3],
                              designated_on=D(2020, 4, 1), expires_on=D(2099, 3, 31),
                              decision=cs.DecisionInput(number="MN-JC-2020-07", decided_on=D(2020, 3, 30),
                                                        mode="electronic"), **record)
    cs.record_tpe_designation(tpe_id="TPE-MN-014", function="verification", scopes=[1],
                              designated_on=D(2020, 4, 1), expires_on=D(2099, 3, 31), status="suspended",
                              status_since=D(2021, 6, 1), **record)
    cs.record_tpe_designation(tpe_id="TPE-VN-008", function="validation", scopes=[2],
                              designated_on=D(2018, 1, 1), expires_on=D(2020, 12, 31), **record)


def _row(html: str, tpe_id: str) -> str:
    match = re.search(rf"<tr>\s*<td>{tpe_id}</td>.*?</tr>", html, re.S)
    assert match, f"{tpe_id} not on the page"
    return match.group(0)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_recorded_designations_show_on_the_public_tpe_list(client, recorded, lang):
    html = client.get(f"/{lang}/tpes/").content.decode()
    row = _row(html, "TPE-MN-014")
    assert RECORDED[lang] in row and PUBLISHED[lang] in row
    assert "2020-04-01" in row and "2099-03-31" in row and "1, 3" in row
    assert f'href="/{lang}/countries/MN/">JP–MN</a>' in row
    assert "MN-JC-2020-07" in row
    assert 'data-state="in_force"' in row and 'data-state="suspended"' in row
    if lang == "en":
        assert "valid from 2020-04-01" in row and "in force" in row and "suspended since 2021-06-01" in row
    else:
        assert "2020-04-01 から有効" in row and "有効" in row and "2021-06-01 から停止" in row
    ended = _row(html, "TPE-VN-008")
    assert 'data-state="expired"' in ended
    assert ("expired" if lang == "en" else "期限切れ") in ended


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_tpe_without_recorded_designations_keeps_its_reference_data(client, recorded, lang):
    row = _row(client.get(f"/{lang}/tpes/").content.decode(), "TPE-ET-009")
    assert RECORDED[lang] not in row
    assert PUBLISHED[lang] in row
    assert f'href="/{lang}/countries/ET/">' in row


def test_the_pair_page_shows_the_pairs_recorded_designations(client, recorded):
    html = client.get("/en/countries/MN/").content.decode()
    assert RECORDED["en"] in _row(html, "TPE-MN-014")
    # listed under Viet Nam in the reference data, recorded as designated in JP–MN: shown on the MN page
    assert 'data-state="expired"' in _row(html, "TPE-VN-008")
    # and on Viet Nam's page from the reference list only (the recorded designation is of another pair)
    vn = _row(client.get("/ja/countries/VN/").content.decode(), "TPE-VN-008")
    assert RECORDED["ja"] not in vn and PUBLISHED["ja"] in vn


def test_the_api_adds_recorded_designations_to_each_tpe(client, recorded):
    rows = {r["tpe_id"]: r for r in client.get("/api/v1/reference/tpes").json()}
    mn = rows["TPE-MN-014"]
    assert {"designations", "status", "confidence", "source"} <= set(mn)  # the reference fields stay
    assert [(d["function"], d["scopes"], d["partner_code"], d["state"], d["status"]) for d in
            mn["recorded_designations"]] == [("validation", [1, 3], "MN", "in_force", "designated"),
                                             ("verification", [1], "MN", "suspended", "suspended")]
    first = mn["recorded_designations"][0]
    assert (first["designated_on"], first["expires_on"], first["decision"]) == ("2020-04-01", "2099-03-31",
                                                                                 "MN-JC-2020-07")
    assert mn["recorded_designations"][1]["status_since"] == "2021-06-01"
    assert rows["TPE-VN-008"]["recorded_designations"][0]["state"] == "expired"
    assert rows["TPE-ET-009"]["recorded_designations"] == []

    detail = client.get("/api/v1/reference/countries/MN").json()
    by_id = {t["tpe_id"]: t for t in detail["tpes"]}
    assert [d["state"] for d in by_id["TPE-VN-008"]["recorded_designations"]] == ["expired"]
    only_mn = client.get("/api/v1/reference/tpes?partner=vn").json()
    assert [t["recorded_designations"] for t in only_mn if t["tpe_id"] == "TPE-VN-008"] == [[]]


def test_openapi_keeps_the_operation_ids_and_documents_the_new_field(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["paths"]["/api/v1/reference/tpes"]["get"]["operationId"] == "jcm_reference_api_tpes"
    assert spec["paths"]["/api/v1/reference/countries/{code}"]["get"]["operationId"] == "jcm_reference_api_country"
    assert "recorded_designations" in spec["components"]["schemas"]["TpeOut"]["properties"]
