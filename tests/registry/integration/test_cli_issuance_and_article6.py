"""`jcm ledger notify` and `jcm ledger issue` (the JC's notification and the issuance that executes
it, from the command line, as the services), the authorisation date, and the Article 6 state in
`holdings` and `lookup`."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jcm.accounts.models import Membership, Organisation
from jcm.registry.models import Account, Block, JournalEntry, Notification
from jcm.registry.queries import verify_ledger
from tests.registry.cli_helpers import error, ledger, ok_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(registries):
    User = get_user_model()
    gov = Organisation.objects.create(name="Ministry of the Environment", kind="government", country_code="JP")
    manager = User.objects.create_user("manager", password="x")
    Membership.objects.create(user=manager, organisation=gov, role="registry_manager_japan")
    User.objects.create_user("stranger", password="x")


NOTICE = ("notify", "--registry", "JP", "--reference", "N-CLI-1", "--decision", "JC-ID-2016-05", "--project", "ID001",
          "--vintage", "2015", "--approach", "JCM_JP_ID", "--quantity", "40", "--monitoring-period",
          "2015-02-01/2015-08-01", "--share", "JP-GOV=67.5", "--share", "JP-MAYEKAWA=10", "--share", "ID=22.5%")


def test_notify_then_issue_the_first_jcm_example(people):
    noted = ok_json(*NOTICE, "--as", "manager", "--idempotency-key", "n-1")
    assert noted["operation"] == "record_jc_notification" and noted["quantity"] == 31
    assert noted["details"]["accounts"] == [["JP-GOV", 27], ["JP-MAYEKAWA", 4]]
    assert Notification.objects.get(reference="N-CLI-1").allocation["rule"] == "largest_remainder"
    issued = ok_json("issue", "--registry", "JP", "--notification", "N-CLI-1", "--as", "manager")
    assert issued["ranges"] == [[1, 31]] and issued["details"]["issuance"] == "N-CLI-1"
    balances = dict(Account.objects.values_list("number", "balance"))
    assert (balances["JP-GOV"], balances["JP-MAYEKAWA"]) == (27, 4)
    # Once only: the notification is consumed (refusal on --notification).
    again = ledger("issue", "--registry", "JP", "--notification", "N-CLI-1", "--reference", "X", "--as", "manager")
    assert again.exit_code == 1 and error(again).startswith("error: notification: JC notification N-CLI-1 was")
    # Re-running with its key replays it and writes nothing; a new key for the same reference is refused.
    entries = JournalEntry.objects.count()
    assert ok_json(*NOTICE, "--as", "manager", "--idempotency-key", "n-1")["replayed"] is True
    twice = ledger(*NOTICE, "--as", "manager")
    assert twice.exit_code == 1 and error(twice) == "error: reference: JC notification N-CLI-1 already recorded"
    assert JournalEntry.objects.count() == entries
    assert verify_ledger() is None


def test_notify_takes_the_rule_and_the_designated_share(people):
    args = ["notify", "--registry", "JP", "--reference", "N-T", "--decision", "D-T", "--project", "ID001",
            "--vintage", "2015", "--approach", "JCM_JP_ID", "--quantity", "10", "--share", "JP-GOV=33.33",
            "--share", "JP-MAYEKAWA=33.33", "--share", "JP-BUYER=33.34", "--as", "manager"]
    assert ok_json(*args)["details"]["accounts"] == [["JP-GOV", 3], ["JP-MAYEKAWA", 3], ["JP-BUYER", 4]]
    other = ok_json(*[a.replace("N-T", "N-U").replace("D-T", "D-U") for a in args], "--rule",
                    "remainder_to_designated", "--designated", "JP-MAYEKAWA")
    assert other["details"]["accounts"] == [["JP-GOV", 3], ["JP-MAYEKAWA", 4], ["JP-BUYER", 3]]


def test_notify_refusals_name_the_option(people):
    before = JournalEntry.objects.count()
    bad = ledger(*[("ID-001" if a == "ID001" else a) for a in NOTICE], "--as", "manager")
    assert bad.exit_code == 1, bad.output
    assert error(bad) == "error: project: project 'ID-001' must be upper-case letters, digits and _"
    short = ledger(*[("ID=20" if a == "ID=22.5%" else a) for a in NOTICE], "--as", "manager")
    assert short.exit_code == 1 and error(short).startswith("error: share: allocation shares sum to 9750"), short.stderr
    elsewhere = ledger(*[("ID-GOV=22.5" if a == "ID=22.5%" else a) for a in NOTICE], "--as", "manager")
    assert elsewhere.exit_code == 1 and error(elsewhere).startswith("error: share: account ID-GOV is in registry ID")
    stranger = ledger(*NOTICE, "--as", "stranger")
    assert stranger.exit_code == 1 and error(stranger).startswith("error: as: 'stranger' is not a registry manager")
    # Malformed shares are usage errors (exit 2), like malformed ranges.
    assert ledger(*[("JP-GOV" if a == "JP-GOV=67.5" else a) for a in NOTICE], "--as", "manager").exit_code == 2
    assert ledger(*[("JP-GOV=67.555" if a == "JP-GOV=67.5" else a) for a in NOTICE], "--as", "manager").exit_code == 2
    unknown = ledger("issue", "--registry", "JP", "--notification", "N-NONE", "--as", "manager")
    assert unknown.exit_code == 1 and error(unknown).startswith("error: notification: JC notification 'N-NONE'")
    assert JournalEntry.objects.count() == before


def test_authorisation_date_and_article6_state_in_holdings_and_lookup(people):
    ok_json(*NOTICE, "--as", "manager")
    ok_json("issue", "--registry", "JP", "--notification", "N-CLI-1", "--as", "manager")
    future = ledger("authorise", "--account", "JP-GOV", "--range", "1-5", "--authorisation-id", "JP-LoA-1",
                    "--purpose", "ndc", "--authorisation-date", "2999-12-31", "--as", "manager")
    assert future.exit_code == 1, future.output
    assert error(future) == "error: authorisation-date: authorisation_date 2999-12-31 is in the future"
    unreadable = ledger("authorise", "--account", "JP-GOV", "--range", "1-5", "--authorisation-id", "JP-LoA-1",
                        "--purpose", "ndc", "--authorisation-date", "31/12/2025", "--as", "manager")
    assert unreadable.exit_code == 1 and error(unreadable).startswith("error: authorisation-date: ")
    assert not Block.objects.get(start=1).authorised
    done = ok_json("authorise", "--account", "JP-GOV", "--range", "1-5", "--authorisation-id", "JP-LoA-1",
                   "--purpose", "ndc", "--purpose", "oimp", "--authorisation-date", "2025-12-24", "--as", "manager")
    assert done["details"] == {"authorisation_id": "JP-LoA-1", "authorisation_date": "2025-12-24"}
    held = ok_json("holdings", "JP-GOV")
    first = held["blocks"][0]
    assert (first["authorisation_date"], first["purposes"], first["first_transfer_trigger"]) == (
        "2025-12-24", ["ndc", "oimp"], "international_transfer")
    assert first["monitoring_period"] == "2015-02-01/2015-08-01"
    table = ledger("holdings", "JP-GOV", env={"COLUMNS": "400"})  # one line a block
    assert table.exit_code == 0
    text = " ".join(table.stdout.split())
    assert "authorised 2025-12-24 (JP-LoA-1; ndc, oimp)" in text and "not authorised" in text
    found = ledger("lookup", "3")
    assert found.exit_code == 0
    text = " ".join(found.stdout.split())
    assert "project ID001, monitoring period 2015-02-01/2015-08-01, vintage 2015" in text
    assert "article 6: authorised 2025-12-24 (JP-LoA-1; ndc, oimp); first transfer: international transfer" in text


def test_summary_prints_the_annual_kinds(people):
    ok_json(*NOTICE, "--as", "manager")
    ok_json("issue", "--registry", "JP", "--notification", "N-CLI-1", "--as", "manager")
    data = ok_json("summary", "JP")
    assert [(a["kind"], a["transactions"], a["quantity"]) for a in data["annual"]] == [("issuance", 1, 31)]
