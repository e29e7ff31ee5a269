"""The journal's proof in public: the head (``GET /journal/head``), the checkpoints
(``GET /journal/checkpoints``, the ``registry/checkpoints/`` page in both languages), linked from the
other public registry pages, without login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ninja.testing import TestClient

from jcm.registry import journal_queries, services
from jcm.registry.api import router
from jcm.registry.api_journal import router as journal_router
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Checkpoint, JournalEntry

from .conftest import NOW, key

pytestmark = pytest.mark.django_db
api = TestClient(router)
journal_api = TestClient(journal_router)


def entries() -> list[JournalEntry]:
    return list(JournalEntry.objects.order_by("sequence"))


def grow_and_checkpoint(times: int) -> list[Checkpoint]:
    """``times`` transfers, each followed by a checkpoint an hour later than the previous one."""
    out = []
    for i in range(times):
        services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER",
                          ranges=[R(1 + i, 1 + i)], now=NOW)
        out.append(services.create_checkpoint(now=NOW + timedelta(hours=i)))
    return out


# -- GET /journal/head (api.py) --------------------------------------------------------------------------
def test_head_of_an_empty_journal(db):
    assert api.get("/journal/head").json() == {"sequence": 0, "hash": "0" * 64, "checkpoints": []}


def test_head_names_the_last_entry_and_every_checkpoint(issued):
    first = services.create_checkpoint(now=NOW)
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 4)], now=NOW)
    last = entries()[-1]
    body = api.get("/journal/head").json()
    assert (body["sequence"], body["hash"]) == (last.sequence, last.hash)
    assert first.sequence == last.sequence - 1
    assert body["checkpoints"] == [{"type": "checkpoint", "sequence": first.sequence, "hash": first.hash,
                                    "created_at": NOW.isoformat()}]


# -- GET /journal/checkpoints (api_journal.py) -------------------------------------------------------------
def test_checkpoints_newest_first_a_page_at_a_time(issued):
    cps = grow_and_checkpoint(3)
    body = journal_api.get("/journal/checkpoints?limit=2").json()
    last = entries()[-1]
    assert body["head"] == {"sequence": last.sequence, "hash": last.hash}
    assert body["total"] == 3
    assert [c["sequence"] for c in body["checkpoints"]] == [cps[2].sequence, cps[1].sequence]
    assert body["checkpoints"][0] == {"sequence": cps[2].sequence, "hash": cps[2].hash,
                                      "created_at": (NOW + timedelta(hours=2)).isoformat(), "signature": None}
    assert body["next_before"] == cps[1].sequence
    older = journal_api.get(f"/journal/checkpoints?limit=2&before={body['next_before']}").json()
    assert [c["sequence"] for c in older["checkpoints"]] == [cps[0].sequence] and older["next_before"] is None


def test_checkpoints_leave_out_the_empty_journals_and_refuse_bad_paging(issued):
    Checkpoint.objects.create(sequence=0, hash="0" * 64, created_at=NOW)  # stored by the old bug
    body = journal_api.get("/journal/checkpoints").json()
    assert body["checkpoints"] == [] and body["total"] == 0 and body["next_before"] is None
    for query, field in (("limit=0", "limit"), ("limit=501", "limit"), ("before=0", "before")):
        r = journal_api.get(f"/journal/checkpoints?{query}")
        assert r.status_code == 422 and r.json()["detail"].startswith(f"{field}:"), query


def test_checkpoints_are_mounted_under_the_registry_api(client, issued):
    cp = services.create_checkpoint(now=NOW)
    r = client.get("/api/v1/registry/journal/checkpoints")
    assert r.status_code == 200 and r.json()["checkpoints"][0]["hash"] == cp.hash
    assert client.get("/api/v1/registry/journal/head").json()["sequence"] == cp.sequence  # still there
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/registry/journal/checkpoints" in paths and "/api/v1/registry/journal/head" in paths


# -- the public page ------------------------------------------------------------------------------------
@pytest.mark.urls("tests.registry.integration.urls")
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_checkpoints_page_in_both_languages(client, issued, lang):
    cps = grow_and_checkpoint(2)
    page = client.get(f"/{lang}/registry/checkpoints/")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    text = page.text
    for cp in cps:
        assert cp.hash in text and f'<td class="num">{cp.sequence}</td>' in text
    assert (NOW + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S") in text
    assert entries()[-1].hash in text  # the head
    assert "/api/v1/registry/journal/export" in text
    # "how to verify it yourself", with the latest checkpoint filled in
    assert f"--checkpoint {cps[-1].sequence}:{cps[-1].hash} --against" in text
    assert text.index(cps[1].hash) < text.index(cps[0].hash)  # newest first
    # every public registry page links here
    for other in ("registry/", "registry/JP/", "registry/serial/", "registry/retirements/"):
        assert f'href="/{lang}/registry/checkpoints/"' in client.get(f"/{lang}/{other}").text, other


@pytest.mark.urls("tests.registry.integration.urls")
def test_checkpoints_page_before_any_checkpoint(client, db):
    page = client.get("/en/registry/checkpoints/")
    assert page.status_code == 200
    assert "The journal has no entries yet." in page.text and "No checkpoint has been published yet." in page.text
    assert "--checkpoint SEQ:HASH" in page.text
    assert client.get("/en/registry/checkpoints/?before=abc").status_code == 404


@pytest.mark.urls("tests.registry.integration.urls")
def test_checkpoints_page_pages_on(client, issued, monkeypatch):
    monkeypatch.setattr(journal_queries, "PAGE_SIZE", 2)
    cps = grow_and_checkpoint(3)
    rows = [f'<td class="num">{cp.sequence}</td>' for cp in cps]
    first = client.get("/en/registry/checkpoints/").text
    assert rows[2] in first and rows[1] in first and rows[0] not in first
    assert f'href="/en/registry/checkpoints/?before={cps[1].sequence}" rel="next"' in first
    assert "Newest checkpoints" not in first
    older = client.get(f"/en/registry/checkpoints/?before={cps[1].sequence}").text
    assert rows[0] in older and rows[1] not in older and rows[2] not in older
    assert "Newest checkpoints" in older and 'rel="next"' not in older
