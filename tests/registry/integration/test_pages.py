"""Public registry pages in both languages, without login."""

from __future__ import annotations

import pytest

from jcm.registry import services

from .conftest import NOW, key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.integration.urls")]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_summary_serial_and_retirement_pages(client, issued, lang):
    r = services.retire(
        idempotency_key=key(),
        from_account="JP-GOV",
        purpose="ndc",
        ndc_party="JP",
        beneficiary="Government of Japan",
        quantity=3,
        now=NOW,
    )
    number = r.details["retirement"]
    page = client.get(f"/{lang}/registry/")
    assert page.status_code == 200 and "JCM registry of Japan" in page.text
    page = client.get(f"/{lang}/registry/JP/")
    assert page.status_code == 200 and "Mayekawa" in page.text
    page = client.get(f"/{lang}/registry/serial/?serial=2")
    assert page.status_code == 200 and "JCM_JP_ID-JP-JP-ID001-2015-1-3" in page.text
    page = client.get(f"/{lang}/registry/retirements/{number}/")
    assert page.status_code == 200 and "Government of Japan" in page.text
    assert client.get(f"/{lang}/registry/serial/?serial=9999").status_code == 200
    assert client.get(f"/{lang}/registry/XX/").status_code == 404


def test_pages_are_in_japanese(client, issued):
    page = client.get("/ja/registry/JP/")
    assert "口座種類別の JCM クレジット量" in page.text
    page = client.get("/en/registry/JP/")
    assert "Amount of JCM credits in each type of account" in page.text
