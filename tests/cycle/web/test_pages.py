"""Every cycle page in Japanese and English: public pages without login, the workspace signed in."""

from __future__ import annotations

import pytest

from .conftest import project

pytestmark = pytest.mark.django_db

PUBLIC = ["/{lang}/cycle/", "/{lang}/cycle/projects/", "/{lang}/cycle/methodologies/", "/{lang}/cycle/decisions/",
          "/{lang}/cycle/projects/MN002/", "/{lang}/cycle/projects/GE_PIN001/", "/{lang}/cycle/methodologies/MN_PM001/",
          "/{lang}/cycle/methodologies/GE_PM001/"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_public_pages(client, world, lang):
    for url in PUBLIC:
        page = client.get(url.format(lang=lang), follow=True)
        assert page.status_code == 200, url
    page = client.get(f"/{lang}/cycle/projects/MN002/", follow=True)
    assert "Solar power plant in Darkhan" in page.text and "MN-JC-REG-" in page.text
    assert "/registry/JP/" in page.text and "/registry/MN/" in page.text  # credits per side, linked


def test_public_pages_speak_the_language(client, world):
    assert "JC 決定" in client.get("/ja/cycle/decisions/").text or "決定" in client.get("/ja/cycle/decisions/").text
    assert "JC decisions and meetings" in client.get("/en/cycle/decisions/").text
    ja = client.get("/ja/cycle/projects/MN002/", follow=True).text
    assert "モニタリング期間" in ja and "登録済み" in ja


def test_drafts_are_not_public(client, world):
    from jcm.cycle.models import Project

    key = Project.objects.filter(state="draft").values_list("key", flat=True).first()
    if key:
        assert client.get(f"/en/cycle/projects/{key}/").status_code == 404
    assert client.get("/en/cycle/projects/XX999/").status_code == 404


def test_project_page_shows_timeline_monitoring_and_credits(client, world):
    page = client.get("/en/cycle/projects/MN002/", follow=True).text
    for text in ("Timeline", "Register", "Monitoring periods", "3347", "Credits issued per side", "1674", "1673",
                 "MN-JC-ISS-001"):
        assert text in page, text


def test_open_window_takes_a_public_comment(client, world):
    p = project("Solar power plant in Sainshand")
    page = client.get(f"/en/cycle/projects/{p.key}/").text
    assert "Open for public input" in page and "B. Enkhbold" in page
    from jcm.cycle.models import Window

    w = Window.objects.get(project=p, key="pdd_public_input", closed_at__isnull=True)
    bad = client.post(f"/en/cycle/windows/{w.pk}/comments/", {f"w{w.pk}-author_name": "", f"w{w.pk}-text": ""})
    assert bad.status_code == 422 and "This field is required" in bad.text
    ok = client.post(f"/en/cycle/windows/{w.pk}/comments/",
                     {f"w{w.pk}-author_name": "A. Reader", f"w{w.pk}-text": "Looks sound."}, follow=True)
    assert ok.status_code == 200 and "A. Reader" in ok.text and "Looks sound." in ok.text


def test_comment_refused_when_the_window_is_closed(client, world):
    from jcm.cycle.models import Window

    w = Window.objects.filter(key="pdd_public_input", closed_at__isnull=False).first()
    page = client.post(f"/en/cycle/windows/{w.pk}/comments/",
                       {f"w{w.pk}-author_name": "Late", f"w{w.pk}-text": "Too late?"})
    assert page.status_code == 422 and "not open" in page.text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_workspace_pages(as_user, lang):
    c = as_user("focalpoint")
    page = c.get(f"/{lang}/cycle/workspace/")
    assert page.status_code == 200 and "MN001" in page.text
    p = project("Solar power plant in Darkhan (phase 2)")
    assert c.get(f"/{lang}/cycle/workspace/project/{p.pk}/").status_code == 200
    assert c.get(f"/{lang}/cycle/workspace/projects/new/").status_code == 200
    assert c.get(f"/{lang}/cycle/workspace/methodologies/new/").status_code == 200
    r = p.monitoring_reports.get()
    assert c.get(f"/{lang}/cycle/workspace/monitoring_report/{r.pk}/").status_code == 200


def test_portal_workspace_links_the_cycle_workspace(as_user):
    page = as_user("participant").get("/en/workspace/")
    assert "/en/cycle/workspace/" in page.text


def test_workspace_needs_sign_in(client, world):
    page = client.get("/en/cycle/workspace/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_new_project_form_names_the_field(as_user):
    c = as_user("participant")
    page = c.post("/en/cycle/workspace/projects/new/", {"partner": "MN", "title": "", "scopes": "x",
                                                        "crediting_start": "2026-01-01"})
    assert page.status_code == 422
    assert "This field is required" in page.text and "sectoral scope numbers" in page.text
    assert "give both the start and the end" in page.text


def test_new_project_and_proposal_through_the_forms(as_user):
    from jcm.cycle.models import MethodologyVersion, Project

    c = as_user("participant")
    page = c.post("/en/cycle/workspace/projects/new/", {
        "partner": "MN", "title": "Wind farm in Tsetsii", "scopes": "1", "crediting_start": "2026-01-01",
        "crediting_end": "2030-12-31", "sites": "45.2, 101.1, Tsetsii", "equipment": "WT-01\nWT-02"}, follow=True)
    assert page.status_code == 200
    p = Project.objects.get(title="Wind farm in Tsetsii")
    assert p.state == "draft" and p.equipment.count() == 2 and p.sites.count() == 1
    page = c.post("/en/cycle/workspace/methodologies/new/", {"partner": "MN", "title": "Biogas", "scopes": "13"},
                  follow=True)
    assert page.status_code == 200 and MethodologyVersion.objects.filter(methodology__title="Biogas").exists()
