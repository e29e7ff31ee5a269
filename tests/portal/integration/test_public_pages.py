"""The public site: no login, both languages, plain accessible HTML."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["", "countries/", "countries/MN/", "tpes/", "sectoral-scopes/", "methodologies/"]


def test_root_redirects_to_japanese(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_renders_in_both_languages(client, reference_data, lang, page):
    response = client.get(f"/{lang}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert "<main id=\"main\"" in html
    other = "en" if lang == "ja" else "ja"
    assert f'href="/{other}/{page}"' in html  # the language switch keeps the page


def test_home_shows_headline_figures(client, reference_data):
    from jcm.reference.queries import headline_figures

    html = client.get("/en/").content.decode()
    figures = headline_figures()
    assert "Partner countries" in html
    assert f">{figures['partner_countries']}</a>" in html
    assert f">{figures['sectoral_scopes']}</a>" in html


def test_japanese_home_is_in_japanese(client, reference_data):
    html = client.get("/ja/").content.decode()
    assert "パートナー国" in html
    assert "モンゴル" in html


def test_unconfirmed_values_are_marked(client, reference_data):
    html = client.get("/en/countries/ID/").content.decode()
    assert "unconfirmed" in html  # Indonesia's signing date is commonly reported, not confirmed
    html = client.get("/en/countries/MN/").content.decode()
    assert "2013-01-08" in html


def test_unknown_country_is_404(client, reference_data):
    assert client.get("/en/countries/XX/").status_code == 404


def test_reference_audit_trail_is_public(client, reference_data):
    from jcm.reference.models import ReferenceLoad

    load = ReferenceLoad.objects.get()
    html = client.get(f"/en/audit/reference.referenceload/{load.pk}/").content.decode()
    assert "reference.load" in html


def test_other_audit_trails_need_permission(client, reference_data):
    response = client.get("/en/audit/accounts.membership/1/")
    assert response.status_code == 403


def test_home_marks_partners_without_a_number(client, reference_data):
    from jcm.reference.models import Country

    unnumbered = Country.objects.exclude(code="JP").filter(partner_order__isnull=True)
    html = client.get("/en/").content.decode()
    assert html.count("partnership in preparation") == unnumbered.count()


def test_sign_in_redirect_keeps_the_language(client):
    response = client.get("/ja/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ja/accounts/login/")


def test_not_found_and_forbidden_pages_speak_the_language(client, reference_data, settings):
    settings.DEBUG = False
    response = client.get("/ja/countries/XX/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
    response = client.get("/en/audit/accounts.membership/1/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
