"""API refusals name the field they concern ({"detail", "code", "field", "errors"}; "detail" as it
always was), on both paths (PostgreSQL fast path and Python); the block schemas carry Article 6 data."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from django.utils import translation
from ninja.testing import TestClient

from jcm.registry import fastpath
from jcm.registry.api import router
from jcm.registry.models import Account, Block, JournalEntry

pytestmark = pytest.mark.django_db
client = TestClient(router)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(registry_people):
    manager, holder, _ = registry_people
    return manager, holder


def post(path, body, user, key):
    return client.post(path, json=body, user=user, headers={"Idempotency-Key": key})


def refusal(r, status: int, code: str, field: str) -> dict:
    data = r.json()
    assert r.status_code == status, data
    assert (data["code"], data["field"]) == (code, field), data
    assert data["errors"] == [{"field": field, "message": data["errors"][0]["message"]}]
    assert data["errors"][0]["message"] and data["errors"][0]["message"] in data["detail"]
    return data


@pytest.mark.parametrize("fast", [True, False], ids=["fast path if PostgreSQL", "python path"])
def test_ledger_refusals_name_the_field(people, fast):
    manager, _ = people
    with nullcontext() if fast else fastpath.disabled():
        data = refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 500},
                            manager, "f1"), 409, "insufficient_holdings", "quantity")
        assert data["detail"] == "insufficient_holdings: account JP-GOV holds 27 credits, 500 requested"
        # Serials not held, asked by range: the ranges.
        refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "ranges": [[28, 29]]},
                     manager, "f2"), 409, "serials_not_held", "ranges")
        # A suspended destination: the destination, not the source.
        Account.objects.filter(number="JP-BUYER").update(status="suspended")
        refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 1},
                     manager, "f3"), 409, "account_not_open", "to_account")
        Account.objects.filter(number="JP-BUYER").update(status="open")
        Account.objects.filter(number="JP-GOV").update(status="suspended")
        refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 1},
                     manager, "f4"), 409, "account_not_open", "from_account")
        Account.objects.filter(number="JP-GOV").update(status="open")
        # The destination does not exist: the message names it.
        refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-NOPE", "quantity": 1},
                     manager, "f5"), 404, "unknown_object", "to_account")
        # The same key with another request.
        assert post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 1},
                    manager, "f6").status_code == 200
        refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 2},
                     manager, "f6"), 409, "idempotency_conflict", "Idempotency-Key")


def test_refusals_at_the_api_edge_name_the_field(people):
    manager, holder = people
    data = refusal(post("/transfers", {"from_account": "JP-GOV", "to_account": "JP-BUYER", "quantity": 1},
                        holder, "e1"), 403, "forbidden", "from_account")
    assert data["detail"] == "only the account holder or the registry manager may transfer from this account"
    data = refusal(post("/transfers", {"from_account": "JP-NOPE", "to_account": "JP-BUYER", "quantity": 1},
                        manager, "e2"), 404, "not_found", "from_account")
    assert data["detail"] == "account: no account JP-NOPE"  # as it always was
    assert data["errors"][0]["message"] == "no account JP-NOPE"
    refusal(client.get("/serials/999"), 404, "not_found", "serial")
    refusal(client.get("/registries/XX"), 404, "not_found", "code")
    refusal(post("/issuances", {"registry": "XX", "notification": "N"}, manager, "e3"), 404, "not_found", "registry")
    refusal(post("/issuances", {"registry": "JP", "notification": "N-NOPE"}, manager, "e4"), 404, "unknown_object",
            "notification")
    refusal(post("/international-transfers", {"from_account": "JP-GOV", "to_registry": "ID", "to_account": "ID-GOV",
                                              "ranges": [[1, 2]]}, manager, "e5"),
            409, "unauthorised_international_transfer", "ranges")
    refusal(post("/cancellations", {"from_account": "JP-GOV", "reason": " ", "quantity": 1}, manager, "e6"),
            422, "invalid_input", "reason")
    refusal(post("/retirements", {"from_account": "JP-GOV", "purpose": "ndc", "beneficiary": "GoJ", "quantity": 1},
                 manager, "e7"), 422, "invalid_input", "ndc_party")


def test_authorisation_date_through_the_api(people):
    manager, _ = people
    before = JournalEntry.objects.count()
    body = {"account": "JP-GOV", "ranges": [[1, 5]], "authorisation_id": "JP-LoA-3", "purposes": ["ndc"]}
    data = refusal(post("/authorisations", {**body, "authorisation_date": "2999-01-01"}, manager, "d1"),
                   422, "invalid_input", "authorisation_date")
    assert "2999-01-01 is in the future" in data["detail"]
    refusal(post("/authorisations", {**body, "authorisation_date": "1.1.2026"}, manager, "d2"),
            422, "invalid_input", "authorisation_date")
    assert JournalEntry.objects.count() == before and not Block.objects.get(start=1).authorised
    ok = post("/authorisations", {**body, "authorisation_date": "2026-01-15"}, manager, "d3")
    assert ok.status_code == 200 and ok.json()["details"]["authorisation_date"] == "2026-01-15", ok.json()
    block = client.get("/serials/3").json()["block"]
    assert (block["authorised"], block["authorisation_date"], block["first_transfer_trigger"]) == (
        True, "2026-01-15", "international_transfer")
    assert (block["project"], block["monitoring_period"], block["issuance"]) == (
        "ID001", "2015-02-01/2015-08-01", "ID001-1-JP")
    assert block["adjustments"] == [] and block["first_transfer_date"] == ""
    held = client.get("/accounts/JP-GOV", user=manager).json()
    assert held["blocks"][0]["authorisation_date"] == "2026-01-15"
    assert held["blocks"][1]["authorisation_date"] == "" and held["blocks"][1]["first_transfer_trigger"] == ""


def test_openapi_documents_refusals_and_block_fields():
    from jcm.site.api import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    assert set(components["RefusalOut"]["properties"]) == {"detail", "code", "field", "errors"}
    block = components["BlockOut"]["properties"]
    for name in ("authorisation_date", "first_transfer_trigger", "first_transfer_date", "monitoring_period",
                 "purposes", "adjustments"):
        assert name in block, name
    assert set(components["AdjustmentOut"]["properties"]) == {"party", "year", "recorded_on"}
    transfers = schema["paths"]["/api/v1/registry/transfers"]["post"]["responses"]
    assert {200, 403, 404, 409, 422} <= {int(code) for code in transfers}
    assert "authorisation_date" in components["AuthorisationIn"]["properties"]
