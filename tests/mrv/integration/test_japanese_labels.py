"""Japanese methodology pages: every value the page chooses is a translated label (status "proposed" →
提案中), and the texts quoted from the approved methodology documents (eligibility, equations'
descriptions, parameter descriptions) are marked as English in the approved document."""

from __future__ import annotations

import re

import pytest

ENGLISH_MARK = "（承認された方法論のとおり英語）"


@pytest.mark.django_db
def test_status_is_translated_and_english_texts_are_marked_on_japanese_pages(client):
    page = client.get("/ja/mrv/methodologies/BD_PM002/").text
    assert "提案中" in page
    assert not re.search(r"<dd>\s*proposed", page) and "ver proposed" not in page
    assert page.count(ENGLISH_MARK) >= 3
    approved = client.get("/ja/mrv/methodologies/MN_AM003/").text
    assert "承認" in approved and not re.search(r"<dd>\s*approved", approved)
    listing = client.get("/ja/mrv/methodologies/").text
    assert "提案中" in listing and not re.search(r"<td>\s*proposed\s*</td>", listing)
    assert ENGLISH_MARK in listing


@pytest.mark.django_db
def test_english_pages_carry_no_mark(client):
    page = client.get("/en/mrv/methodologies/BD_PM002/").text
    assert "English, as in the approved methodology" not in page and "proposed" in page
