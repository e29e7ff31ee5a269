"""The registry API: public reads for anyone; writes for the registry manager or the holder."""

from __future__ import annotations

import pytest
from ninja.testing import TestClient

from jcm.registry.api import router
from jcm.registry.models import Account, RetirementRecord

pytestmark = pytest.mark.django_db
client = TestClient(router)


@pytest.fixture
def people(registry_people):
    return registry_people


def post(path, body, user, key):
    return client.post(path, json=body, user=user, headers={"Idempotency-Key": key})


def test_public_reads(issued):
    assert [r["code"] for r in client.get("/registries").json()] == ["ID", "JP"]
    summary = client.get("/registries/JP").json()
    assert summary["issued"] == 31 and summary["by_account_type"]["government_holding"] == 27
    found = client.get("/serials/30").json()
    assert found["block"]["account"] == "JP-MAYEKAWA"
    assert found["block"]["identifier"] == "JCM_JP_ID-JP-JP-ID001-2015-28-31"
    assert [s["kind"] for s in found["history"]] == ["issuance"]
    assert client.get("/serials/999").status_code == 404
    export = client.get("/journal/export")
    assert export.status_code == 200


def test_writes_need_the_right_person(people):
    manager, holder, stranger = people
    body = {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 5}
    assert post("/transfers", body, stranger, "a1").status_code == 403
    assert post("/transfers", body, holder, "a2").status_code == 403  # not the holder of JP-GOV
    ok = post("/transfers", body, manager, "a3")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["ranges"] == [[1, 5]]
    replay = post("/transfers", body, manager, "a3")
    assert replay.json()["replayed"] is True
    conflict = post("/transfers", {**body, "quantity": 6}, manager, "a3")
    assert conflict.status_code == 409 and "idempotency" in conflict.json()["detail"]
    # The holder retires from its own account.
    r = post(
        "/retirements",
        {"from_account": "JP-BUYER", "purpose": "voluntary", "beneficiary": "Buyer KK", "quantity": 2},
        holder,
        "a4",
    )
    assert r.status_code == 200, r.json()
    number = r.json()["details"]["retirement"]
    assert client.get(f"/retirements/{number}").json()["quantity"] == 2
    # Holders see their account, strangers do not.
    assert client.get("/accounts/JP-BUYER", user=holder).json()["balance"] == 3
    assert client.get("/accounts/JP-BUYER", user=stranger).status_code == 403


def test_domain_errors_are_clear(people):
    manager, _, _ = people
    r = post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 500}, manager, "b1")
    assert r.status_code == 409 and r.json()["detail"].startswith("insufficient_holdings")
    r = post(
        "/international-transfers",
        {"from_account": "JP-GOV", "to_registry": "ID", "to_account": "ID-GOV", "ranges": [[1, 2]]},
        manager,
        "b2",
    )
    assert r.status_code == 409 and r.json()["detail"].startswith("unauthorised_international_transfer")


def test_issuance_executes_a_recorded_notification_only(people):
    from jcm.registry import services

    from .conftest import NOW

    manager, _, stranger = people
    # the old request shape (a quantity of the manager's choosing) is no longer accepted
    old = {"registry": "JP", "reference": "X", "project": "ID001", "vintage": 2016, "approach": "JCM_JP_ID",
           "quantity": 1000, "allocation": [["JP-GOV", 10000]]}
    assert post("/issuances", old, manager, "i0").status_code == 422
    r = post("/issuances", {"registry": "JP", "notification": "N-9"}, manager, "i1")
    assert r.status_code == 404 and r.json()["detail"].startswith("unknown_object")
    services.record_jc_notification(idempotency_key="n9", registry="JP", reference="N-9", decision="JC-9",
                                    project="ID001", vintage=2016, approach="JCM_JP_ID", quantity=12,
                                    allocation=[("JP-GOV", 10000)], now=NOW)
    assert post("/issuances", {"registry": "JP", "notification": "N-9"}, stranger, "i2").status_code == 403
    ok = post("/issuances", {"registry": "JP", "notification": "N-9"}, manager, "i3")
    assert ok.status_code == 200 and ok.json()["quantity"] == 12, ok.json()
    twice = post("/issuances", {"registry": "JP", "notification": "N-9", "reference": "Y"}, manager, "i4")
    assert twice.status_code == 409 and twice.json()["detail"].startswith("notification_consumed")


def test_another_users_key_is_not_a_conflict(people):
    manager, holder, _ = people
    ok = post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 5}, manager, "shared")
    assert ok.status_code == 200, ok.json()
    mine = post("/retirements", {"from_account": "JP-BUYER", "purpose": "voluntary", "beneficiary": "Buyer KK",
                                 "quantity": 1}, holder, "shared")
    assert mine.status_code == 200 and not mine.json()["replayed"], mine.json()
    assert "transfer" not in str(mine.json())


def test_two_people_retiring_with_the_same_key_get_two_records(people):
    manager, holder, _ = people
    ok = post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 5}, manager, "t1")
    assert ok.status_code == 200, ok.json()
    body = {"purpose": "voluntary", "beneficiary": "Buyer KK", "quantity": 1}
    first = post("/retirements", {"from_account": "JP-BUYER", **body}, holder, "same-key")
    second = post("/retirements", {"from_account": "JP-GOV", **body}, manager, "same-key")
    assert first.status_code == 200 and second.status_code == 200, (first.json(), second.json())
    numbers = {first.json()["details"]["retirement"], second.json()["details"]["retirement"]}
    assert len(numbers) == 2
    assert RetirementRecord.objects.filter(number__in=numbers).count() == 2


@pytest.mark.parametrize("fast", [True, False], ids=["fast path if PostgreSQL", "python path"])
def test_refusals_answer_in_the_callers_language(people, fast, client):
    """Through the whole stack (LocaleMiddleware): the API answers in the Accept-Language language."""
    from contextlib import nullcontext

    from jcm.registry import fastpath

    manager, _, _ = people
    web = client
    web.force_login(manager)

    def send(body, key, language):
        return web.post("/api/v1/registry/transfers", data=body, content_type="application/json",
                        headers={"Idempotency-Key": key, "Accept-Language": language})

    body = {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 500}
    with nullcontext() if fast else fastpath.disabled():
        en, ja = send(body, "l1", "en"), send(body, "l2", "ja")
        Account.objects.filter(number="JP-BUYER").update(status="suspended")
        ja2 = send({**body, "quantity": 1}, "l3", "ja")
    assert en.json()["detail"] == "insufficient_holdings: account JP-GOV holds 27 credits, 500 requested"
    assert ja.json()["detail"] == (
        "insufficient_holdings: 口座 JP-GOV の保有は 27 クレジットで、要求された 500 に足りません")
    assert ja2.json()["detail"] == "account_not_open: 移転先口座 JP-BUYER は suspended です"
