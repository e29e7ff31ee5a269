"""An outsider checks a new journal export against what they recorded earlier: checkpoints
(``--checkpoint SEQ:HASH``) and a whole earlier export (``--against OLDER_EXPORT``). A registry that
rewrites its journal and its published checkpoints together passes the export's own check but fails
against what was recorded before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jcm.registry import services
from jcm.registry.cli import app
from jcm.registry.core.journal import canonical_json, entry_hash
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Checkpoint

from .conftest import NOW, key

pytestmark = pytest.mark.django_db
runner = CliRunner()


def out(result) -> str:
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def verify(*args: str):
    return runner.invoke(app, ["verify", *args])


def export(path: Path) -> Path:
    assert runner.invoke(app, ["export", str(path)]).exit_code == 0
    return path


@pytest.fixture
def history(issued, tmp_path):
    """An export taken with a checkpoint (the outsider keeps both), then the ledger moves on and a
    new checkpoint is published: returns (older export, the checkpoint recorded, newer export)."""
    services.create_checkpoint(now=NOW)
    cp = Checkpoint.objects.get()
    older = export(tmp_path / "older.jsonl")
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 7)], now=NOW)
    services.create_checkpoint(now=NOW)
    newer = export(tmp_path / "newer.jsonl")
    return older, f"{cp.sequence}:{cp.hash}", newer


def rewrite(source: Path, target: Path, *, sequence: int, occurred_at: str) -> Path:
    """What a dishonest registry would publish: entry ``sequence`` changed (its time), every later
    hash recomputed, and the checkpoints re-issued over the new chain. It verifies on its own."""
    items = [json.loads(line) for line in source.read_text().splitlines()]
    entries = [i for i in items if i["type"] == "entry"]
    new_hash: dict[int, str] = {}
    prev = "0" * 64
    for e in entries:
        if e["sequence"] == sequence:
            e["occurred_at"] = occurred_at
        e["prev_hash"] = prev
        e["hash"] = prev = entry_hash(prev, e["sequence"], e["kind"], e["occurred_at"], e["payload"])
        new_hash[e["sequence"]] = e["hash"]
    checkpoints = [dict(c, hash=new_hash[c["sequence"]]) for c in items if c["type"] == "checkpoint"]
    target.write_text("".join(canonical_json(i).decode() + "\n" for i in entries + checkpoints))
    return target


def test_an_honest_new_export_extends_the_earlier_one(history):
    older, recorded, newer = history
    result = verify("--export", str(newer), "--checkpoint", recorded, "--against", str(older))
    assert result.exit_code == 0, out(result)
    assert "matches the 1 checkpoint(s) given" in result.output and "extends the earlier export" in result.output


def test_rewritten_history_passes_alone_but_not_against_what_was_recorded(history, tmp_path):
    older, recorded, newer = history
    seq = int(recorded.split(":")[0])
    forged = rewrite(newer, tmp_path / "forged.jsonl", sequence=2, occurred_at="2026-03-01T09:00:00+00:00")
    alone = verify("--export", str(forged))
    assert alone.exit_code == 0, out(alone)  # the export's own checkpoints were re-issued with it

    result = verify("--export", str(forged), "--checkpoint", recorded)
    assert result.exit_code == 1
    text = out(result)
    assert f"FAIL trusted_checkpoint: the checkpoint you gave at entry {seq} does not match the journal" in text
    assert recorded.split(":")[1] in text and f"(journal entry {seq})" in text

    result = verify("--export", str(forged), "--against", str(older))
    assert result.exit_code == 1
    assert "FAIL history: entry 2 differs from the earlier export" in out(result)  # the first rewritten entry


def test_a_cut_journal_or_a_withdrawn_checkpoint_fails(history, tmp_path):
    older, recorded, newer = history
    lines = newer.read_text().splitlines()
    seq = int(recorded.split(":")[0])
    short = tmp_path / "short.jsonl"
    short.write_text("".join(line + "\n" for line in lines if json.loads(line).get("sequence", 0) < seq
                             and json.loads(line)["type"] == "entry"))
    assert verify("--export", str(short)).exit_code == 0
    result = verify("--export", str(short), "--checkpoint", recorded)
    assert result.exit_code == 1 and f"lies beyond the journal, which ends at entry {seq - 1}" in out(result)
    result = verify("--export", str(short), "--against", str(older))
    assert result.exit_code == 1 and f"entry {seq} of the earlier export is missing" in out(result)

    withdrawn = tmp_path / "withdrawn.jsonl"
    withdrawn.write_text("".join(line + "\n" for line in lines if not (
        json.loads(line)["type"] == "checkpoint" and json.loads(line)["sequence"] == seq)))
    assert verify("--export", str(withdrawn)).exit_code == 0
    result = verify("--export", str(withdrawn), "--against", str(older))
    assert result.exit_code == 1
    assert f"history: the earlier export's checkpoint at entry {seq} is no longer published" in out(result)


def test_a_damaged_earlier_export_is_reported_as_such(history, tmp_path):
    older, _recorded, newer = history
    damaged = tmp_path / "damaged.jsonl"
    text = older.read_text()
    assert '"kind":"account.opened"' in text
    damaged.write_text(text.replace('"kind":"account.opened"', '"kind":"account.openned"', 1))
    result = verify("--export", str(newer), "--against", str(damaged))
    assert result.exit_code == 1 and "does not match its own hash (damaged file)" in out(result)
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("not json\n")
    result = verify("--export", str(newer), "--against", str(garbage))
    assert result.exit_code == 1 and "FAIL malformed: OLDER_EXPORT" in out(result)


def test_the_database_is_checked_against_recorded_checkpoints_too(history):
    older, recorded, _newer = history
    assert verify("--checkpoint", recorded, "--against", str(older)).exit_code == 0
    seq = recorded.split(":")[0]
    result = verify("--checkpoint", f"{seq}:{'ab' * 32}")
    assert result.exit_code == 1 and f"trusted_checkpoint: the checkpoint you gave at entry {seq}" in out(result)


@pytest.mark.parametrize("bad", ["12", "x:" + "a" * 64, "3:abc", "3:" + "g" * 64, "-1:" + "a" * 64])
def test_a_malformed_checkpoint_option_is_a_usage_error(db, bad):
    result = verify("--checkpoint", bad)
    assert result.exit_code == 2 and "--checkpoint" in out(result)


def test_a_missing_older_export_is_a_usage_error(db, tmp_path):
    result = verify("--against", str(tmp_path / "nowhere.jsonl"))
    assert result.exit_code == 2 and "--against" in out(result)
