"""The retirement certificate (public PDF, linked from the public retirement page) and the registry
API with the platform's API tokens."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jcm.registry import services
from jcm.registry.models import RetirementRecord

from .conftest import NOW, balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def retired(world):
    r = services.retire(idempotency_key="cert-1", from_account="JP-NSP", purpose="ndc", ndc_party="JP",
                        beneficiary="日本ソーラー株式会社", quantity=25, now=NOW)
    return r.details["retirement"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_certificate_pdf_is_public(client, retired, lang):
    page = client.get(f"/{lang}/registry/retirements/{retired}/")
    assert page.status_code == 200
    entry_hash = RetirementRecord.objects.get(number=retired).transaction.entry.hash
    assert f"/{lang}/registry/retirements/{retired}/certificate.pdf" in page.content.decode()
    assert entry_hash in page.content.decode()
    pdf = client.get(f"/{lang}/registry/retirements/{retired}/certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/{lang}/registry/retirements/RET-NOPE/certificate.pdf").status_code == 404


def test_certificate_carries_the_record(retired, rf):
    from jcm.registry import web_queries

    cert = web_queries.certificate(retired)
    assert cert is not None and cert.retirement.quantity == 25 and cert.projects == ["MN001"]
    assert [(p.start, p.end, p.vintage) for p in cert.pieces] == [(51, 55, 2025), (101, 120, 2024)]
    assert len(cert.entry_hash) == 64


def _token(username: str) -> str:
    from jcm.accounts.api_auth import issue_token

    return issue_token(user=get_user_model().objects.get(username=username), name="test", now=NOW)


def test_registry_api_accepts_api_tokens(client, world):
    token = _token("holder")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/registry/accounts/JP-NSP").status_code == 401
    got = client.get("/api/v1/registry/accounts/JP-NSP", **auth)
    assert got.status_code == 200 and got.json()["balance"] == 50
    assert client.get("/api/v1/registry/accounts/JP-GOV", **auth).status_code == 403
    body = {"from_account": "JP-NSP", "to_account": "JP-OTHER", "quantity": 5}
    moved = client.post("/api/v1/registry/transfers", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="api-token-1", **auth)
    assert moved.status_code == 200, moved.content
    assert balance("JP-OTHER") == 5
    bad = client.post("/api/v1/registry/transfers", body, content_type="application/json",
                      HTTP_IDEMPOTENCY_KEY="api-token-2", HTTP_AUTHORIZATION="Bearer jcm_wrong")
    assert bad.status_code == 401 and balance("JP-OTHER") == 5
    manager = {"HTTP_AUTHORIZATION": f"Bearer {_token('manager-jp')}"}
    closed = client.post("/api/v1/registry/accounts/JP-OTHER/status", {"status": "suspended"},
                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-token-3", **manager)
    assert closed.status_code == 200
