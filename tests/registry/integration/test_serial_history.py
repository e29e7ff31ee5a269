"""A serial's history shows every step that touched it, in journal order: the movements and the
Article 6 actions (authorisation, corresponding adjustments) recorded on it; on the public page (both
languages), in the API and in `jcm ledger lookup`."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from ninja.testing import TestClient
from typer.testing import CliRunner

from jcm.cli import app
from jcm.registry import services
from jcm.registry.api import router
from jcm.registry.core.article6 import Purpose
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.history import _ACTIONS
from jcm.registry.models import JournalEntry
from jcm.registry.queries import serial_lookup

from .conftest import NOW, key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.integration.urls")]
runner = CliRunner()


@pytest.fixture
def travelled(issued):
    """Indonesia's serials 32-40: 32-36 authorised (ID-LoA-1, 2026-01-15, NDC and OIMP), 32-34
    internationally transferred to Japan (their first transfer), then adjusted by Indonesia for 2026;
    38-40 authorised under another id, 33 alone adjusted by Japan too."""
    services.authorise(
        idempotency_key=key(), account="ID-GOV", ranges=[R(32, 36)], authorisation_id="ID-LoA-1",
        purposes=[Purpose.NDC, Purpose.OIMP], authorisation_date="2026-01-15", now=NOW,
    )
    services.authorise(
        idempotency_key=key(), account="ID-GOV", ranges=[R(38, 40)], authorisation_id="ID-LoA-2",
        purposes=[Purpose.NDC], now=NOW,
    )
    services.international_transfer(
        idempotency_key=key(), from_account="ID-GOV", to_registry="JP", to_account="JP-GOV", ranges=[R(32, 34)],
        now=NOW,
    )
    services.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(32, 34)], party="ID", year=2026, now=NOW)
    services.record_corresponding_adjustment(idempotency_key=key(), ranges=[R(33, 33)], party="JP", year=2027, now=NOW)
    return {kind: JournalEntry.objects.filter(kind=kind).order_by("sequence").values_list("sequence", flat=True)
            for kind in ("issuance", "authorisation", "international_transfer", "corresponding_adjustment")}


def test_steps_in_journal_order_with_what_happened(travelled):
    found = serial_lookup(33)
    assert [s.kind for s in found.history] == [
        "issuance", "authorisation", "international_transfer", "corresponding_adjustment", "corresponding_adjustment"
    ]
    seqs = [s.sequence for s in found.history]
    assert seqs == sorted(seqs)
    issuance, auth, itmo, adj_id, adj_jp = found.history
    assert issuance.sequence == travelled["issuance"][1]  # Indonesia's issuance, the second
    assert (auth.sequence, auth.authorisation_id, auth.date, auth.purposes, auth.first_transfer_trigger) == (
        travelled["authorisation"][0], "ID-LoA-1", "2026-01-15", ["ndc", "oimp"], "international_transfer")
    assert (auth.start, auth.end, auth.first_transfer) == (32, 36, False)
    assert (itmo.to_registry, itmo.to_account, itmo.first_transfer) == ("JP", "JP-GOV", True)
    assert (adj_id.party, adj_id.year, adj_id.date, adj_id.start, adj_id.end) == ("ID", 2026, "2026-03-02", 32, 34)
    assert (adj_jp.party, adj_jp.year, adj_jp.start, adj_jp.end) == ("JP", 2027, 33, 33)


def test_only_the_actions_whose_ranges_hold_the_serial(travelled):
    assert [s.kind for s in serial_lookup(34).history] == [
        "issuance", "authorisation", "international_transfer", "corresponding_adjustment"
    ]
    assert [(s.kind, s.authorisation_id) for s in serial_lookup(36).history] == [
        ("issuance", ""), ("authorisation", "ID-LoA-1")
    ]
    assert [(s.kind, s.authorisation_id) for s in serial_lookup(39).history] == [
        ("issuance", ""), ("authorisation", "ID-LoA-2")
    ]
    assert [s.kind for s in serial_lookup(37).history] == ["issuance"]  # never authorised
    assert [s.kind for s in serial_lookup(5).history] == ["issuance"]


def test_an_authorisation_that_is_the_first_transfer_says_so(issued):
    services.authorise(
        idempotency_key=key(), account="JP-GOV", ranges=[R(1, 2)], authorisation_id="JP-LoA-9",
        purposes=[Purpose.OTHER], first_transfer_trigger="authorisation", authorisation_date="2026-02-01", now=NOW,
    )
    (_, auth) = serial_lookup(2).history
    assert (auth.kind, auth.first_transfer, auth.first_transfer_trigger) == ("authorisation", True, "authorisation")


def test_a_serial_never_authorised_costs_two_queries(travelled, django_assert_num_queries):
    with django_assert_num_queries(2):
        serial_lookup(37)
    with django_assert_num_queries(3):
        serial_lookup(33)


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("en", ["Article 6 authorisation", "authorisation ID-LoA-1 of 2026-01-15 for NDC use, other international "
                "mitigation purposes", "international transfer", "Article 6 first transfer", "corresponding adjustment",
                "adjusted by ID for 2026 (recorded on 2026-03-02)", "adjusted by JP for 2027"]),
        ("ja", ["6条承認", "承認 ID-LoA-1（2026-01-15 承認）、目的: NDC への使用", "国際移転", "6条の最初の移転",
                "相当調整", "ID が 2026 年分を相当調整済み（2026-03-02 記録）", "詳細"]),
    ],
)
def test_the_page_shows_the_steps(client, travelled, lang, texts):
    page = client.get(f"/{lang}/registry/serial/?serial=33")
    assert page.status_code == 200
    history = page.text[page.text.index('<table id="history">'):]
    kinds = [part.split('"')[0] for part in history.split('data-kind="')[1:]]
    assert kinds == [
        "issuance", "authorisation", "international_transfer", "corresponding_adjustment", "corresponding_adjustment"
    ]
    for text in texts:
        assert text in history, text


def test_the_api_shows_the_steps(travelled, client):
    """Through the whole stack (LocaleMiddleware): labels and details in the Accept-Language language."""
    answer = client.get("/api/v1/registry/serials/33", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    steps = answer.json()["history"]
    assert [s["kind"] for s in steps] == [
        "issuance", "authorisation", "international_transfer", "corresponding_adjustment", "corresponding_adjustment"
    ]
    assert [s["sequence"] for s in steps] == sorted(s["sequence"] for s in steps)
    auth, itmo, adj = steps[1], steps[2], steps[3]
    assert {k: auth[k] for k in ("authorisation_id", "date", "purposes", "first_transfer", "label")} == {
        "authorisation_id": "ID-LoA-1", "date": "2026-01-15", "purposes": ["ndc", "oimp"], "first_transfer": False,
        "label": "Article 6 authorisation",
    }
    assert itmo["first_transfer"] and itmo["details"] == "Article 6 first transfer"
    assert (adj["party"], adj["year"], adj["date"]) == ("ID", 2026, "2026-03-02")
    assert adj["details"] == "adjusted by ID for 2026 (recorded on 2026-03-02)"
    assert steps[0]["details"] == "" and steps[0]["year"] is None
    ja = client.get("/api/v1/registry/serials/33", headers={"Accept-Language": "ja"}).json()["history"]
    assert (ja[1]["label"], ja[3]["details"]) == ("6条承認", "ID が 2026 年分を相当調整済み（2026-03-02 記録）")
    assert TestClient(router).get("/serials/37").json()["history"][-1]["kind"] == "issuance"


def test_the_api_schema_lists_the_step_fields():
    from jcm.site.api import api  # the mounted NinjaAPI

    schema = api.get_openapi_schema()["components"]["schemas"]["StepOut"]
    for name in ("sequence", "kind", "label", "details", "first_transfer", "authorisation_id", "date", "purposes",
                 "party", "year"):
        assert name in schema["properties"], name
    assert "corresponding_adjustment" in schema["properties"]["kind"]["enum"]


def test_the_cli_shows_the_steps(travelled):
    result = runner.invoke(app, ["ledger", "lookup", "33", "--json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["history"]
    assert [(s["kind"], s["first_transfer"]) for s in steps] == [
        ("issuance", False), ("authorisation", False), ("international_transfer", True),
        ("corresponding_adjustment", False), ("corresponding_adjustment", False),
    ]
    table = runner.invoke(app, ["ledger", "lookup", "33"], env={"COLUMNS": "400"})  # one line a step
    assert table.exit_code == 0
    lines = [" ".join(line.split()) for line in table.stdout.splitlines()]
    rows = [line for line in lines if line.startswith("│") and line.split()[1].isdigit()]
    assert [r.split("│")[2].strip() for r in rows] == [
        "issuance", "authorisation", "international transfer", "corresponding adjustment", "corresponding adjustment"
    ]
    text = " ".join(lines)
    assert "authorisation ID-LoA-1 of 2026-01-15 for ndc, oimp" in text
    assert "first transfer" in rows[2]
    assert "adjusted by ID for 2026, recorded 2026-03-02" in text and "adjusted by JP for 2027" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_actions_are_read_through_the_partial_index(travelled):
    """With a journal of mostly transfers (as in production and the benchmark), the Article 6 actions of
    an old serial are read through ``registry_journal_actions``, not by scanning the journal."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash) "
            "SELECT 1000 + g, 'transfer', '2026-04-01T00:00:00+00:00', '{}'::jsonb, repeat('0', 64), "
            "md5(g::text) || md5((-g)::text) FROM generate_series(1, 20000) g"
        )
        cur.execute("ANALYZE registry_journalentry")
        for kinds in ("'authorisation'", "'authorisation', 'corresponding_adjustment'"):
            cur.execute("EXPLAIN " + _ACTIONS.format(kinds=kinds), [travelled["issuance"][0]])
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "registry_journal_actions" in plan, plan
