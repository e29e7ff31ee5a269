"""Registry managers in the browser: each operates its own registry (accounts, transfers abroad,
Article 6, cancellations, retirements, checkpoints); nobody else sees or does any of it (403)."""

from __future__ import annotations

import pytest

from jcm.registry.models import Account, Block, Checkpoint, JournalEntry
from jcm.registry.queries import verify_ledger

from .conftest import balance, post_form

pytestmark = pytest.mark.django_db

GOV = "/en/registry/accounts/JP-GOV/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_manager_page_of_its_own_registry_only(as_user, lang):
    page = as_user("manager-jp").get(f"/{lang}/registry/manage/JP/")
    assert page.status_code == 200
    text = page.content.decode()
    for number in ("JP-GOV", "JP-NSP", "JP-OTHER", "JP-CANCEL", "JP-RETIRE"):
        assert number in text
    assert "MN-GOV" not in text
    assert ("チェックポイントを作成" if lang == "ja" else "Create checkpoint") in text
    assert as_user("manager-jp").get(f"/{lang}/registry/manage/MN/").status_code == 403
    assert as_user("manager-mn").get(f"/{lang}/registry/manage/MN/").status_code == 200
    assert as_user("manager-mn").get(f"/{lang}/registry/manage/JP/").status_code == 403
    assert as_user("manager-jp").get(f"/{lang}/registry/manage/").status_code == 302


@pytest.mark.parametrize("who", ["holder", "other", "darkhan", "manager-mn", "stranger"])
def test_nobody_else_sees_or_operates_japans_registry(as_user, who):
    c = as_user(who)
    head = JournalEntry.objects.count()
    assert c.get("/en/registry/manage/JP/").status_code == 403
    for path in ("accounts/", "adjustments/", "checkpoint/"):
        assert c.post(f"/en/registry/manage/JP/{path}", {}).status_code == 403, path
    for op in ("international-transfer", "authorise", "cancel", "status"):
        assert c.post(f"/en/registry/accounts/JP-NSP/{op}/", {}).status_code == 403, op
    assert c.get(GOV).status_code == 403
    assert JournalEntry.objects.count() == head and Checkpoint.objects.count() == 0


def test_manager_opens_suspends_reopens_and_closes_accounts(as_user, world):
    c = as_user("manager-jp")
    org = world["Other Buyer K.K."]
    r, _ = post_form(c, "/en/registry/manage/JP/accounts/", "/en/registry/manage/JP/", "open",
                     number="jp-new", kind="entity_holding", holder=str(org.pk))
    assert r.status_code == 302
    acct = Account.objects.get(number="JP-NEW")
    assert acct.holder_id == org.pk and acct.holder_name == "Other Buyer K.K." and acct.registry.code == "JP"
    # The new account shows in its holder's "My accounts".
    assert "JP-NEW" in as_user("other").get("/en/registry/accounts/").content.decode()
    c = as_user("manager-jp")
    page = "/en/registry/accounts/JP-NEW/"
    for status in ("suspended", "open", "closed"):
        r, _ = post_form(c, "/en/registry/accounts/JP-NEW/status/", page, "status", status=status)
        assert r.status_code == 302
        assert Account.objects.get(number="JP-NEW").status == status
    # Closing an account that holds credits is refused, with the reason, and nothing changes.
    r, _ = post_form(c, "/en/registry/accounts/JP-NSP/status/", "/en/registry/accounts/JP-NSP/", "status",
                     status="closed")
    follow = c.get(r["Location"]).content.decode()
    assert "still holds 50 credits" in follow and Account.objects.get(number="JP-NSP").status == "open"
    # Opening a number twice is refused on the number field.
    r, _ = post_form(c, "/en/registry/manage/JP/accounts/", "/en/registry/manage/JP/", "open",
                     number="JP-NEW", kind="entity_holding")
    assert r.status_code == 422 and 'data-field="number"' in r.content.decode()
    assert verify_ledger() is None


def test_manager_operations_article6_abroad_cancel_retire(as_user):
    c = as_user("manager-jp")
    # Transfer within the registry, from any of its accounts.
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/transfer/", GOV, "transfer", to_account="JP-OTHER",
                     quantity="5")
    assert r.status_code == 302 and balance("JP-OTHER") == 5
    # Unauthorised credits do not leave the registry.
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/international-transfer/", GOV, "intl", to_registry="MN",
                     to_account="MN-GOV", serials="6-10")
    assert r.status_code == 422 and "not authorised under Article 6" in r.content.decode()
    assert balance("JP-GOV") == 45
    # Authorise, then transfer abroad: the first transfer is recorded.
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/authorise/", GOV, "auth", serials="6-20",
                     authorisation_id="JP-A6-2026-001", purposes=["ndc", "oimp"],
                     first_transfer_trigger="international_transfer")
    assert r.status_code == 302
    assert Block.objects.get(start=6).authorised
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/international-transfer/", GOV, "intl", to_registry="MN",
                     to_account="MN-GOV", serials="6-10")
    assert r.status_code == 302 and balance("MN-GOV") == 25 and balance("JP-GOV") == 40
    assert Block.objects.get(start=6).first_transferred
    # Japan records its corresponding adjustment on the first-transferred serials.
    r, _ = post_form(c, "/en/registry/manage/JP/adjustments/", "/en/registry/manage/JP/", "adj", serials="6-10",
                     year="2026")
    assert r.status_code == 302
    recorded = JournalEntry.objects.get(kind="corresponding_adjustment").occurred_at[:10]
    assert Block.objects.get(start=6).adjustments == [{"party": "JP", "year": 2026, "recorded_on": recorded}]
    # A second adjustment by the same Party is refused on the serials, and nothing changes.
    r, _ = post_form(c, "/en/registry/manage/JP/adjustments/", "/en/registry/manage/JP/", "adj", serials="6-10",
                     year="2026")
    assert r.status_code == 422 and "already recorded" in r.content.decode()
    # Cancel with a reason, retire.
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/cancel/", GOV, "cancel", reason="Correction of an error",
                     quantity="2")
    assert r.status_code == 302 and balance("JP-CANCEL") == 2
    r, _ = post_form(c, "/en/registry/accounts/JP-GOV/retire/", GOV, "retire", purpose="omge",
                     beneficiary="Overall mitigation", quantity="3")
    assert r.status_code == 302 and balance("JP-RETIRE") == 3
    assert verify_ledger() is None
    page = c.get(GOV).content.decode()
    assert "JP-A6-2026-001" in page


def test_manager_creates_a_checkpoint(as_user):
    c = as_user("manager-jp")
    r = c.post("/en/registry/manage/JP/checkpoint/")
    assert r.status_code == 302
    cp = Checkpoint.objects.get()
    page = c.get("/en/registry/manage/JP/").content.decode()
    assert cp.hash in page and f"#{cp.sequence}" in page
    assert verify_ledger() is None


def test_partner_manager_operates_its_registry(as_user):
    c = as_user("manager-mn")
    r, _ = post_form(c, "/en/registry/accounts/MN-GOV/transfer/", "/en/registry/accounts/MN-GOV/", "transfer",
                     to_account="MN-DARKHAN", quantity="4")
    assert r.status_code == 302 and balance("MN-DARKHAN") == 4
    assert c.get(GOV).status_code == 403
    assert verify_ledger() is None


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_registry_index_links_signed_in_people_to_their_pages(as_user, client, lang):
    text = as_user("manager-jp").get(f"/{lang}/registry/").content.decode()
    assert "/registry/accounts/" in text and "/registry/manage/JP/" in text and "/registry/manage/MN/" not in text
    text = as_user("holder").get(f"/{lang}/registry/").content.decode()
    assert "/registry/accounts/" in text and "/registry/manage/" not in text
    text = as_user("stranger").get(f"/{lang}/registry/").content.decode()
    assert "/registry/accounts/" not in text and "/registry/manage/" not in text
    client.logout()
    assert "/registry/manage/" not in client.get(f"/{lang}/registry/").content.decode()
