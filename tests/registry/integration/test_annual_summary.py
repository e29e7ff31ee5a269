"""The annual transactions summary (what Japan's JCM registry publishes each year, seen from each
registry, plus its Party's Article 6 actions): the query, the API and the public page in Japanese
and English; and the Article 6 state of a block on the serial lookup page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.utils import translation
from ninja.testing import TestClient

from jcm.registry import services
from jcm.registry.api import router
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.queries import annual_summary, verify_ledger

from .conftest import NOW, key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.integration.urls")]

Y2027 = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def two_years(issued):
    """2026 (NOW): both sides issue (JP 31, ID 9); JP transfers 5 within, cancels 1; ID authorises
    32-37 (the Party's date: 20 Dec 2025) and 38-40 (first transfer = use, dated today), sends 32-34
    (their first transfer) and 38-40 (not their first transfer) to JP.
    2027: ID records its corresponding adjustment on 32-34; JP retires 2 from JP-BUYER and 38-39 from
    JP-GOV, which is the first transfer of 38-39 (use), a first transfer of Indonesia's credits."""
    s = services
    s.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", quantity=5, now=NOW)
    s.cancel(idempotency_key=key(), from_account="JP-GOV", reason="correction", ranges=[R(27, 27)], now=NOW)
    s.authorise(idempotency_key=key(), account="ID-GOV", ranges=[R(32, 37)], authorisation_id="ID-LoA-1",
                purposes=["ndc"], authorisation_date="2025-12-20", now=NOW)
    s.authorise(idempotency_key=key(), account="ID-GOV", ranges=[R(38, 40)], authorisation_id="ID-LoA-2",
                purposes=["oimp"], first_transfer_trigger="use", now=NOW)
    s.international_transfer(idempotency_key=key(), from_account="ID-GOV", to_registry="JP", to_account="JP-GOV",
                             ranges=[R(32, 34)], now=NOW)
    s.international_transfer(idempotency_key=key(), from_account="ID-GOV", to_registry="JP", to_account="JP-GOV",
                             ranges=[R(38, 40)], now=NOW)
    s.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(32, 34)], party="ID", year=2026, now=Y2027)
    s.retire(idempotency_key=key(), from_account="JP-BUYER", purpose="voluntary", beneficiary="Buyer KK",
             quantity=2, now=Y2027)
    s.retire(idempotency_key=key(), from_account="JP-GOV", purpose="ndc", ndc_party="JP", beneficiary="GoJ",
             ranges=[R(38, 39)], now=Y2027)
    assert verify_ledger() is None


def rows(code: str) -> list[tuple[int, str, int, int]]:
    return [(y.year, y.kind, y.transactions, y.quantity) for y in annual_summary(code)]


def test_each_registry_sees_its_own_year_by_year_summary(two_years):
    assert rows("JP") == [
        (2026, "issuance", 1, 31),
        (2026, "transfer", 1, 5),
        (2026, "acquisition", 2, 6),  # received from Indonesia's registry
        (2026, "cancellation", 1, 1),
        (2027, "retirement", 2, 4),
    ]
    assert rows("ID") == [
        (2025, "authorisation", 1, 6),  # the year of the Party's authorisation, not of its recording
        (2026, "issuance", 1, 9),
        (2026, "international_transfer_out", 2, 6),
        (2026, "authorisation", 1, 3),
        (2026, "first_transfer", 1, 3),  # 32-34 by international transfer
        (2027, "first_transfer", 1, 2),  # 38-39 by use, although retired in Japan's registry
        (2027, "corresponding_adjustment", 1, 3),
    ]
    assert rows("XX") == []


def test_first_transfer_on_authorisation_and_adjustments_of_another_party(issued):
    services.authorise(idempotency_key=key(), account="JP-GOV", ranges=[R(1, 4)], authorisation_id="JP-LoA-1",
                       purposes=["oimp"], first_transfer_trigger="authorisation", now=NOW)
    # Japan records its own adjustment on them: Japan's row; Indonesia's registry has none.
    services.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(1, 4)], party="JP", year=2026, now=NOW)
    assert [r for r in rows("JP") if r[1] != "issuance"] == [
        (2026, "authorisation", 1, 4), (2026, "first_transfer", 1, 4), (2026, "corresponding_adjustment", 1, 4)]
    assert [r[1] for r in rows("ID")] == ["issuance"]


def test_the_api_gives_each_kind_with_its_label(two_years):
    with translation.override("en"):
        annual = TestClient(router).get("/registries/ID").json()["annual"]
    assert annual[0] == {"year": 2025, "kind": "authorisation", "label": "Article 6 authorisation", "transactions": 1,
                         "quantity": 6}
    assert {a["kind"]: a["label"] for a in annual}["international_transfer_out"] == "international transfer out"
    with translation.override("ja"):
        annual = TestClient(router).get("/registries/JP").json()["annual"]
    assert {a["kind"]: a["label"] for a in annual}["issuance"] == "発行"


def _annual_cells(html: str) -> list[tuple[str, str, list[str]]]:
    """(year, kind, the row's cells as text) of the annual summary table."""
    table = re.search(r'<table id="annual">(.*?)</table>', html, re.S)
    assert table, "no annual summary table"
    return [
        (year, kind, [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body)])
        for year, kind, body in re.findall(r'<tr data-year="(\d+)" data-kind="([a-z_]+)">(.*?)</tr>', table[1], re.S)
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_public_page_shows_translated_kinds_never_raw_ones(client, two_years, lang):
    page = client.get(f"/{lang}/registry/ID/")
    assert page.status_code == 200
    cells = _annual_cells(page.text)
    assert [(year, kind) for year, kind, _ in cells] == [(str(y), k) for y, k, _, _ in rows("ID")]
    for year, _kind, (year_cell, label, _count, _quantity) in cells:
        assert year_cell == year and label and "_" not in label, label  # never the stored kind
    assert [(c[2], c[3]) for _y, _k, c in cells] == [(str(n), str(q)) for _y, _k, n, q in rows("ID")]
    labels = {kind: c[1] for _y, kind, c in cells}
    if lang == "en":
        assert labels["international_transfer_out"] == "international transfer out"
        assert labels["authorisation"] == "Article 6 authorisation"
        jp = {kind: c[1] for _y, kind, c in _annual_cells(client.get("/en/registry/JP/").text)}
        assert jp["acquisition"] == "acquisition (international transfer in)"
    else:
        assert labels["issuance"] == "発行"  # translated words, not the stored kind
        assert "Annual transactions summary" not in page.text and "年間取引概要" in page.text


def test_an_empty_registry_says_so(client, registries):
    page = client.get("/en/registry/JP/")
    assert page.status_code == 200 and "No transactions yet." in page.text and rows("JP") == []


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_serial_page_shows_the_blocks_article6_state(client, two_years, lang):
    page = client.get(f"/{lang}/registry/serial/?serial=33")
    assert page.status_code == 200
    html = page.text

    def dd(name: str) -> str:
        m = re.search(rf'<dd id="{name}">(.*?)</dd>', html, re.S)
        assert m, name
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m[1])).strip()

    assert dd("project") == "ID001" and dd("monitoring-period") == "2015-02-01/2015-08-01"
    assert dd("issuance") == "ID001-1-ID"
    assert "ID-LoA-1" in dd("authorisation") and "2025-12-20" in dd("authorisation")
    assert "2026-03-02" in dd("first-transfer")
    assert "ID" in dd("adjustments") and "2026" in dd("adjustments") and "2027-01-10" in dd("adjustments")
    if lang == "ja":  # labels that the catalogue already has
        assert dd("purposes") == "NDC への使用" and dd("trigger") == "最初の国際移転"
    else:
        assert dd("purposes") == "NDC use" and dd("trigger") == "the first international transfer"
        assert dd("authorisation") == "yes (ID-LoA-1; authorised on 2025-12-20)"
        assert dd("adjustments") == "adjusted by ID for 2026 (recorded on 2027-01-10)"
    # The history names each action in the page's language, not by its stored kind.
    assert ">international_transfer<" not in html
