"""A visitor browses the public site in both languages without logging in."""

from __future__ import annotations

import re


def test_home_in_both_languages_and_follow_a_partner_country(site, page):
    page.goto(site + "/")
    assert page.url.endswith("/ja/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("heading", level=1).wait_for()
    assert "二国間クレジット制度" in page.locator("h1").inner_text()
    figures = page.locator("dl.figures")
    assert "パートナー国" in figures.inner_text()

    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/")
    assert page.locator("h1").inner_text() == "Joint Crediting Mechanism"

    page.locator("main").get_by_role("link", name="Mongolia").click()
    assert re.search(r"/en/countries/MN/$", page.url)
    assert "Japan – Mongolia" in page.locator("h1").inner_text()
    assert "2013-01-08" in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="日本語").click()
    assert re.search(r"/ja/countries/MN/$", page.url)
    assert "モンゴル" in page.locator("h1").inner_text()


def test_sign_in_as_secretariat_and_see_roles(site, page):
    from jcm.site.demo import DEMO_PASSWORD

    page.goto(site + "/en/accounts/login/")
    page.fill("input[name=login]", "secretariat")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/en/workspace/$"))
    assert "JC secretariat" in page.locator("main").inner_text()
