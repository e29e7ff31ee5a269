"""The reference data through /api/v1 as JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def test_summary_counts_match_the_database(client, reference_data):
    from jcm.reference import models as m

    body = client.get("/api/v1/reference/summary").json()
    assert body["sectoral_scopes"] == 15
    assert body["partner_countries"] == m.Country.objects.exclude(code="JP").filter(
        partner_order__isnull=False).count()
    assert body["partner_countries"] >= 31


def test_country_detail_shows_pair_and_confidence(client, reference_data):
    body = client.get("/api/v1/reference/countries/MN").json()
    assert body["code"] == "MN"
    assert body["signed_on"] == "2013-01-08"
    assert body["confirmed"] is True
    assert body["pair"]["generation"] in ("legacy", "article6")
    indonesia = client.get("/api/v1/reference/countries/id").json()
    assert indonesia["confirmed"] is False  # signing date only commonly reported


def test_unknown_country_is_404_naming_the_field(client, reference_data):
    response = client.get("/api/v1/reference/countries/XX")
    assert response.status_code == 404
    assert "code" in response.json()["detail"]


def test_methodology_scope_out_of_range_is_rejected(client, reference_data):
    response = client.get("/api/v1/reference/methodologies?scope=99")
    assert response.status_code == 422
    assert "scope" in response.json()["detail"]


def test_methodologies_filter_by_partner(client, reference_data):
    rows = client.get("/api/v1/reference/methodologies?partner=TH").json()
    assert rows and all(r["partner_code"] == "TH" and r["jcm_id"].startswith("TH_AM") for r in rows)


def test_csv_export_matches_json(client, reference_data):
    rows = client.get("/api/v1/reference/countries").json()
    response = client.get("/api/v1/reference/export/countries.csv")
    assert response["Content-Type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["code"] for r in parsed] == [r["code"] for r in rows]


def test_openapi_document_lists_reference_paths(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/reference/countries" in spec["paths"]


def test_bad_query_value_names_the_field_in_the_callers_language(client, reference_data):
    response = client.get("/api/v1/reference/methodologies?scope=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "scope", "message": "must be a whole number"}]
    response = client.get("/api/v1/reference/methodologies?scope=abc", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.json()["errors"] == [{"field": "scope", "message": "整数でなければなりません"}]


def test_not_found_message_is_translated(client, reference_data):
    response = client.get("/api/v1/reference/countries/XX", HTTP_ACCEPT_LANGUAGE="ja")
    assert "パートナー国" in response.json()["detail"]
