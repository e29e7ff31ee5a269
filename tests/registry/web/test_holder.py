"""Account holders in the browser: they see only their own accounts, transfer and retire through the
forms (each form's hidden idempotency key makes a double submit a replay), and a refusal shows its
reason on the field and changes nothing."""

from __future__ import annotations

import pytest

from jcm.registry.models import IdempotencyKey, JournalEntry, RetirementRecord
from jcm.registry.queries import verify_ledger

from .conftest import balance, form_key, post_form

pytestmark = pytest.mark.django_db

ACCOUNT = "/en/registry/accounts/JP-NSP/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_my_accounts_shows_only_the_holders_own_accounts(as_user, lang):
    page = as_user("holder").get(f"/{lang}/registry/accounts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "JP-NSP" in text and "JCM_JP_MN-JP-JP-MN001-2025-51-80" in text and "JCM_JP_MN-JP-JP-MN001-2024-101-120" in text
    assert "JP-GOV" not in text and "JP-OTHER" not in text and "MN-DARKHAN" not in text
    assert ("マイ口座" if lang == "ja" else "My accounts") in text


def test_account_page_is_for_its_holder_and_its_registry_manager_only(as_user, client):
    assert as_user("holder").get(ACCOUNT).status_code == 200
    assert as_user("manager-jp").get(ACCOUNT).status_code == 200
    for someone in ("other", "darkhan", "manager-mn", "stranger"):
        assert as_user(someone).get(ACCOUNT).status_code == 403, someone
    client.logout()
    anonymous = client.get(ACCOUNT)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_holder_transfers_by_quantity_oldest_vintage_first_and_a_resubmit_is_a_replay(as_user):
    c = as_user("holder")
    before = JournalEntry.objects.count()
    response, data = post_form(c, "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer",
                               to_account="JP-OTHER", quantity="25")
    assert response.status_code == 302 and response["Location"].endswith("/registry/accounts/JP-NSP/")
    assert balance("JP-NSP") == 50 - 25 and balance("JP-OTHER") == 25
    # The 2024 serials (101-120) went first, then the oldest-numbered 2025 ones.
    other = as_user("other").get("/en/registry/accounts/JP-OTHER/").content.decode()
    assert "JCM_JP_MN-JP-JP-MN001-2024-101-120" in other and "JCM_JP_MN-JP-JP-MN001-2025-51-55" in other
    assert verify_ledger() is None
    # The same form submitted again (double click, back and resubmit): nothing moves a second time.
    again = as_user("holder").post("/en/registry/accounts/JP-NSP/transfer/", data, follow=True)
    assert again.status_code == 200 and "already been submitted" in again.content.decode()
    assert balance("JP-NSP") == 25 and balance("JP-OTHER") == 25
    assert JournalEntry.objects.count() == before + 1
    assert verify_ledger() is None


def test_every_rendering_of_a_form_has_a_fresh_key(as_user):
    c = as_user("holder")
    assert form_key(c.get(ACCOUNT), "transfer") != form_key(c.get(ACCOUNT), "transfer")


def test_holder_transfers_by_serial_range(as_user):
    c = as_user("holder")
    response, _ = post_form(c, "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer",
                            to_account="JP-OTHER", serials="60-69, 105")
    assert response.status_code == 302
    assert balance("JP-NSP") == 39 and balance("JP-OTHER") == 11
    assert verify_ledger() is None


def test_holder_retires_and_lands_on_the_public_record(as_user):
    c = as_user("holder")
    response, data = post_form(c, "/en/registry/accounts/JP-NSP/retire/", ACCOUNT, "retire", purpose="ndc",
                               ndc_party="jp", beneficiary="Nippon Solar Partners K.K.", quantity="7")
    assert response.status_code == 302
    record = RetirementRecord.objects.get()
    assert response["Location"].endswith(f"/registry/retirements/{record.number}/")
    assert record.quantity == 7 and record.ndc_party == "JP" and record.purpose == "ndc"
    assert balance("JP-NSP") == 43 and balance("JP-RETIRE") == 7
    page = c.get(response["Location"]).content.decode()
    assert "JCM_JP_MN-JP-JP-MN001-2024-101-107" in page and f"{record.number}/certificate.pdf" in page
    c.post("/en/registry/accounts/JP-NSP/retire/", data)
    assert RetirementRecord.objects.count() == 1 and balance("JP-RETIRE") == 7
    assert verify_ledger() is None


def _nothing_changed(before: tuple[int, int, int]) -> None:
    assert (JournalEntry.objects.count(), IdempotencyKey.objects.count(), balance("JP-NSP")) == before
    assert verify_ledger() is None


def _state() -> tuple[int, int, int]:
    return JournalEntry.objects.count(), IdempotencyKey.objects.count(), balance("JP-NSP")


def _field_error(page, field: str) -> str:
    import re

    m = re.search(rf'data-field="{field}">(.*?)</span>', page.content.decode(), re.S)
    assert m, f"no error on {field}"
    return m[1]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_refusal_insufficient_holdings(as_user, lang):
    before = _state()
    url = f"/{lang}/registry/accounts/JP-NSP/"
    page, _ = post_form(as_user("holder"), url + "transfer/", url, "transfer", to_account="JP-OTHER", quantity="51")
    assert page.status_code == 422
    message = _field_error(page, "quantity")
    # the service's own message is in the page's language too
    assert ("口座 JP-NSP の保有は 50 クレジットで、要求された 51 に足りません" if lang == "ja"
            else "holds 50 credits, 51 requested") in message
    assert ("クレジットが足りません" if lang == "ja" else "Not enough credits") in message
    _nothing_changed(before)


def test_refusal_serials_not_held(as_user):
    before = _state()
    page, _ = post_form(as_user("holder"), "/en/registry/accounts/JP-NSP/retire/", ACCOUNT, "retire",
                        purpose="voluntary", beneficiary="X", serials="1-5")
    assert page.status_code == 422
    assert "serials 1-5 are not held in account JP-NSP" in _field_error(page, "serials")
    _nothing_changed(before)


def test_refusal_closed_destination(as_user):
    from jcm.registry import services

    from .conftest import NOW

    services.close_account(idempotency_key="close-other", account="JP-OTHER", now=NOW)
    before = _state()
    page, _ = post_form(as_user("holder"), "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer",
                        to_account="JP-OTHER", quantity="3")
    assert page.status_code == 422
    assert "destination account JP-OTHER is closed" in _field_error(page, "to_account")
    _nothing_changed(before)


def test_refusal_suspended_source_and_other_registry(as_user):
    from jcm.registry import services

    from .conftest import NOW

    before = _state()
    page, _ = post_form(as_user("holder"), "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer",
                        to_account="MN-DARKHAN", quantity="3")
    assert page.status_code == 422 and "different registries" in _field_error(page, "to_account")
    _nothing_changed(before)
    services.suspend_account(idempotency_key="suspend-nsp", account="JP-NSP", now=NOW)
    before = _state()
    page, _ = post_form(as_user("holder"), "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer",
                        to_account="JP-OTHER", quantity="3")
    assert page.status_code == 422 and "source account JP-NSP is suspended" in page.content.decode()
    _nothing_changed(before)


def test_form_checks_before_the_service(as_user):
    before = _state()
    c = as_user("holder")
    page, _ = post_form(c, "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer", to_account="JP-OTHER",
                        quantity="3", serials="51-53")
    assert page.status_code == 422 and "not both" in _field_error(page, "serials")
    page, _ = post_form(c, "/en/registry/accounts/JP-NSP/transfer/", ACCOUNT, "transfer", to_account="JP-OTHER",
                        serials="abc")
    assert "is not a serial range" in _field_error(page, "serials")
    page, _ = post_form(c, "/en/registry/accounts/JP-NSP/retire/", ACCOUNT, "retire", purpose="ndc",
                        beneficiary="X", quantity="2")
    assert "whose NDC" in _field_error(page, "ndc_party")
    page = c.post("/en/registry/accounts/JP-NSP/transfer/", {"transfer-idempotency_key": "not-a-key",
                                                             "transfer-to_account": "JP-OTHER",
                                                             "transfer-quantity": "1"})
    assert page.status_code == 422 and "reload the page" in page.content.decode()
    _nothing_changed(before)


def test_holder_cannot_do_what_only_the_registry_manager_does(as_user):
    c = as_user("holder")
    before = _state()
    for op in ("international-transfer", "authorise", "cancel", "status"):
        assert c.post(f"/en/registry/accounts/JP-NSP/{op}/", {}).status_code == 403, op
    assert c.get("/en/registry/manage/JP/").status_code == 403
    assert c.get("/en/registry/manage/").status_code == 403
    page = c.get(ACCOUNT).content.decode()
    assert "international-transfer/" not in page and "/cancel/" not in page
    # Nor move credits out of an account that is not theirs.
    assert c.post("/en/registry/accounts/JP-GOV/transfer/", {}).status_code == 403
    assert c.post("/en/registry/accounts/JP-OTHER/retire/", {}).status_code == 403
    _nothing_changed(before)


def test_account_page_lists_the_issuances_into_the_account(as_user):
    text = as_user("holder").get(ACCOUNT).content.decode()
    assert "51–80" in text and "101–120" in text and "issuance" in text
