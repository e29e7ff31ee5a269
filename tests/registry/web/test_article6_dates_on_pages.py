"""In the browser: the registry manager records the Party's authorisation date (a future or unreadable
date is refused on that field, nothing written), and every block shows its Article 6 state (the
Party's date, purposes, first transfer, each adjustment with the date it was recorded)."""

from __future__ import annotations

import re

import pytest

from jcm.registry.models import Block, JournalEntry

from .conftest import post_form

pytestmark = pytest.mark.django_db

GOV = "/en/registry/accounts/JP-GOV/"


def field_error(page, field: str) -> str:
    m = re.search(rf'data-field="{field}">(.*?)</span>', page.content.decode(), re.S)
    assert m, f"no error on {field}"
    return m[1]


def article6_cell(page, start: int) -> str:
    m = re.search(rf'<tr data-start="{start}">.*?<td class="a6">(.*?)</td></tr>', page.content.decode(), re.S)
    assert m, f"no block starting at {start}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m[1])).strip()


@pytest.mark.parametrize(("given", "reason"), [("2999-01-01", "is in the future"), ("15/01/2026", "YYYY-MM-DD")])
def test_a_future_or_unreadable_authorisation_date_is_refused_on_its_field(as_user, given, reason):
    before = JournalEntry.objects.count()
    page, _ = post_form(as_user("manager-jp"), GOV + "authorise/", GOV, "auth", serials="6-20",
                        authorisation_id="JP-A6-1", purposes=["ndc"], first_transfer_trigger="international_transfer",
                        authorisation_date=given)
    assert page.status_code == 422
    assert reason in field_error(page, "authorisation_date")
    assert JournalEntry.objects.count() == before and not Block.objects.get(start__lte=6, end__gte=6).authorised


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_blocks_show_their_article6_state(as_user, lang):
    c = as_user("manager-jp")
    r, _ = post_form(c, GOV + "authorise/", GOV, "auth", serials="6-20", authorisation_id="JP-A6-1",
                     purposes=["ndc"], first_transfer_trigger="international_transfer",
                     authorisation_date="2026-01-15")
    assert r.status_code == 302
    assert Block.objects.get(start=6).authorisation_date == "2026-01-15"
    # Without a date: today's.
    r, _ = post_form(c, GOV + "authorise/", GOV, "auth", serials="21-22", authorisation_id="JP-A6-2",
                     purposes=["oimp"], first_transfer_trigger="use")
    assert r.status_code == 302
    today = JournalEntry.objects.filter(kind="authorisation").order_by("-sequence").first().payload["date"]
    assert Block.objects.get(start=21).authorisation_date == today
    r, _ = post_form(c, GOV + "international-transfer/", GOV, "intl", to_registry="MN", to_account="MN-GOV",
                     serials="6-10")
    assert r.status_code == 302
    r, _ = post_form(c, "/en/registry/manage/JP/adjustments/", "/en/registry/manage/JP/", "adj", serials="6-10",
                     year="2026")
    assert r.status_code == 302
    recorded = JournalEntry.objects.get(kind="corresponding_adjustment").occurred_at[:10]
    moved = JournalEntry.objects.get(kind="international_transfer").occurred_at[:10]

    page = c.get(f"/{lang}/registry/accounts/JP-GOV/")
    assert page.status_code == 200
    held = article6_cell(page, 11)  # the authorised serials that stayed
    assert "2026-01-15" in held and "JP-A6-1" in held
    assert ("NDC use" if lang == "en" else "NDC への使用") in held
    assert ("the first international transfer" if lang == "en" else "最初の国際移転") in held
    use = article6_cell(page, 21)
    assert today in use and ("use (retirement or cancellation)" if lang == "en" else "使用（償却または取消）") in use
    if lang == "en":
        assert held == "authorised on 2026-01-15 (JP-A6-1; NDC use) · first transfer: the first international transfer"
        assert article6_cell(page, 23) == "not authorised"
    # The serials sent to Mongolia's registry, where their manager sees them: first transferred, adjusted.
    page = as_user("manager-mn").get(f"/{lang}/registry/accounts/MN-GOV/")
    abroad = article6_cell(page, 6)
    assert moved in abroad and "JP" in abroad and "2026" in abroad and recorded in abroad
    if lang == "en":
        assert abroad == (f"authorised on 2026-01-15 (JP-A6-1; NDC use) · first transferred on {moved} · "
                          f"adjusted by JP for 2026 (recorded on {recorded})")
