from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from jcm.registry import services
from jcm.registry.core.model import AccountKind
from tests.registry.helpers import notify_and_issue

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
_keys = itertools.count(1)


def key(prefix: str = "k") -> str:
    return f"{prefix}-{next(_keys)}"


ACCOUNTS = [
    ("JP-GOV", "JP", AccountKind.GOVERNMENT_HOLDING, "Government of Japan"),
    ("JP-MAYEKAWA", "JP", AccountKind.ENTITY_HOLDING, "Mayekawa"),
    ("JP-BUYER", "JP", AccountKind.ENTITY_HOLDING, "Buyer KK"),
    ("JP-CANCEL", "JP", AccountKind.CANCELLATION, ""),
    ("JP-RETIRE", "JP", AccountKind.RETIREMENT, ""),
    ("ID-GOV", "ID", AccountKind.GOVERNMENT_HOLDING, "Government of Indonesia"),
    ("ID-PP", "ID", AccountKind.ENTITY_HOLDING, "PT Partner"),
    ("ID-CANCEL", "ID", AccountKind.CANCELLATION, ""),
    ("ID-RETIRE", "ID", AccountKind.RETIREMENT, ""),
]


def setup_registries() -> None:
    services.create_registry(idempotency_key=key(), code="JP", party="JP", name="JCM registry of Japan", now=NOW)
    services.create_registry(idempotency_key=key(), code="ID", party="ID", name="JCM registry of Indonesia", now=NOW)
    for number, reg, kind, holder in ACCOUNTS:
        services.open_account(
            idempotency_key=key(), registry=reg, number=number, kind=kind, holder_name=holder, now=NOW
        )


def issue_first_jcm() -> None:
    """40 t notified; GoJ 67.5 %, Mayekawa 10 %, Indonesian side 22.5 % -> 27 / 4 / 9."""
    allocation_jp = [("JP-GOV", 6750), ("JP-MAYEKAWA", 1000), ("ID", 2250)]
    allocation_id = [("JP:GoJ", 6750), ("JP:Mayekawa", 1000), ("ID-GOV", 2250)]
    common = dict(
        project="ID001",
        vintage=2015,
        approach="JCM_JP_ID",
        quantity=40,
        monitoring_period="2015-02-01/2015-08-01",
        decision="JC-ID-2016-05",
        now=NOW,
    )
    notify_and_issue(idempotency_key=key(), registry="JP", reference="ID001-1-JP", allocation=allocation_jp, **common)
    notify_and_issue(idempotency_key=key(), registry="ID", reference="ID001-1-ID", allocation=allocation_id, **common)


def first_transferred_in_id_gov(reference: str) -> None:
    """60 more credits (serials 41-100, vintage 2016) issued to JP-GOV, authorised and exported to
    ID-GOV: first transferred, so corresponding adjustments may be recorded on them."""
    from jcm.registry.core.article6 import Purpose
    from jcm.registry.core.serials import SerialRange as R

    notify_and_issue(
        idempotency_key=key(), registry="JP", reference=reference, allocation=[("JP-GOV", 10_000)],
        project="ID001", vintage=2016, approach="JCM_JP_ID", quantity=60, now=NOW,
    )
    services.authorise(
        idempotency_key=key(), account="JP-GOV", ranges=[R(41, 100)], authorisation_id="LoA-JP",
        purposes=[Purpose.NDC], now=NOW,
    )
    services.international_transfer(
        idempotency_key=key(), from_account="JP-GOV", to_registry="ID", to_account="ID-GOV", ranges=[R(41, 100)],
        now=NOW,
    )


@pytest.fixture
def registries(db):
    setup_registries()


@pytest.fixture
def issued(registries):
    issue_first_jcm()


@pytest.fixture
def registry_people(issued):
    """(manager, holder, stranger): Japan's registry manager, the holder of JP-BUYER (Buyer KK), and
    a signed-in user with no role."""
    from django.contrib.auth import get_user_model

    from jcm.accounts.models import Membership, Organisation
    from jcm.registry.models import Account

    User = get_user_model()
    gov = Organisation.objects.create(name="Ministry of the Environment", kind="government", country_code="JP")
    buyer = Organisation.objects.create(name="Buyer KK", kind="company", country_code="JP")
    Account.objects.filter(number="JP-BUYER").update(holder=buyer)
    manager = User.objects.create_user("manager", password="x")
    Membership.objects.create(user=manager, organisation=gov, role="registry_manager_japan")
    holder = User.objects.create_user("holder", password="x")
    Membership.objects.create(user=holder, organisation=buyer, role="project_participant", pair=None)
    stranger = User.objects.create_user("stranger", password="x")
    return manager, holder, stranger
