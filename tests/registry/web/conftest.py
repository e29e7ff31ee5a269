"""A small world for the signed-in registry pages: Japan's and Mongolia's registries, their managers,
two account holders in Japan's registry and one in Mongolia's, credits of two vintages, and a
stranger who holds no role. Built through the services, on a fixed clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from jcm.accounts.services import create_organisation, create_user, grant_role
from jcm.registry import services
from jcm.registry.models import Account
from tests.registry.helpers import notify_and_issue

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

ACCOUNTS = (
    ("JP-GOV", "JP", "government_holding", "Government of Japan (registry)"),
    ("JP-NSP", "JP", "entity_holding", "Nippon Solar Partners K.K."),
    ("JP-OTHER", "JP", "entity_holding", "Other Buyer K.K."),
    ("JP-CANCEL", "JP", "cancellation", ""),
    ("JP-RETIRE", "JP", "retirement", ""),
    ("MN-GOV", "MN", "government_holding", "Government of Mongolia (registry)"),
    ("MN-DARKHAN", "MN", "entity_holding", "Darkhan Solar LLC"),
    ("MN-CANCEL", "MN", "cancellation", ""),
    ("MN-RETIRE", "MN", "retirement", ""),
)
PEOPLE = (  # username, organisation, country, role, pair
    ("manager-jp", "Government of Japan (registry)", "JP", "registry_manager_japan", None),
    ("manager-mn", "Government of Mongolia (registry)", "MN", "registry_manager_partner", "MN"),
    ("holder", "Nippon Solar Partners K.K.", "JP", "project_participant", "MN"),
    ("other", "Other Buyer K.K.", "JP", "project_participant", "MN"),
    ("darkhan", "Darkhan Solar LLC", "MN", "project_participant", "MN"),
    ("stranger", "", "", "", None),
)


def _n():
    n = 0
    while True:
        n += 1
        yield f"world-{n}"


@pytest.fixture
def world(reference_data):
    keys = _n()
    orgs = {}
    for username, org, country, role, pair in PEOPLE:
        user = create_user(username=username, email=f"{username}@example.invalid", password="x",
                           now=NOW, check_password=False)
        if org:
            orgs[org] = create_organisation(name=org, kind="government" if "Government" in org else "company",
                                            country_code=country, now=NOW)
            grant_role(user=user, organisation=orgs[org], role=role, partner_code=pair, now=NOW)
    services.create_registry(idempotency_key=next(keys), code="JP", party="JP", name="JCM registry of Japan",
                             manager_id=orgs["Government of Japan (registry)"].pk, now=NOW)
    services.create_registry(idempotency_key=next(keys), code="MN", party="MN", name="JCM registry of Mongolia",
                             manager_id=orgs["Government of Mongolia (registry)"].pk, now=NOW)
    for number, reg, kind, holder in ACCOUNTS:
        services.open_account(idempotency_key=next(keys), registry=reg, number=number, kind=kind,
                              holder_id=orgs[holder].pk if holder else None, holder_name=holder, now=NOW)
    # 2025 vintage first (serials 1-100), then 2024 (101-120): "oldest vintage first" takes 2024 first.
    for ref, vintage, qty, shares in (("MN001-2", 2025, 100, (5000, 3000, 2000)), ("MN001-1", 2024, 20, (0, 10000, 0))):
        jp = [("JP-GOV", shares[0]), ("JP-NSP", shares[1]), ("MN", shares[2])]
        mn = [("JP:GoJ", shares[0]), ("JP:NSP", shares[1]), ("MN-GOV", shares[2])]
        common = dict(project="MN001", vintage=vintage, approach="JCM_JP_MN", quantity=qty, now=NOW)
        notify_and_issue(idempotency_key=next(keys), registry="JP", reference=f"{ref}-JP",
                       allocation=[a for a in jp if a[1]], **common)
        if shares[2]:
            notify_and_issue(idempotency_key=next(keys), registry="MN", reference=f"{ref}-MN",
                           allocation=[a for a in mn if a[1]], **common)
    return orgs


@pytest.fixture
def as_user(client, world):
    from django.contrib.auth import get_user_model

    def sign_in(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in


def balance(number: str) -> int:
    return Account.objects.get(number=number).balance


def form_key(page, prefix: str) -> str:
    """The idempotency key the page rendered into the hidden field of form ``prefix``."""
    m = re.search(rf'name="{prefix}-idempotency_key" value="([0-9a-f]{{32}})"', page.content.decode())
    assert m, f"no idempotency key for {prefix}"
    return m[1]


def post_form(client, url: str, page_url: str, prefix: str, **fields):
    """GET the page (as the person would), then POST the form with the key it was rendered with."""
    key = form_key(client.get(page_url), prefix)
    data = {f"{prefix}-idempotency_key": key, **{f"{prefix}-{k}": v for k, v in fields.items()}}
    return client.post(url, data), data
