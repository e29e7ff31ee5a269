"""Checkpoints are published periodically and only when the journal has grown; an empty journal is
never checkpointed (it used to store (0, 000...0), after which every verify failed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from jcm.audit.models import AuditEvent
from jcm.registry import services
from jcm.registry.cli import app
from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import Checkpoint, JournalEntry, JournalHead
from jcm.registry.services.journal import publish_checkpoint
from jcm.registry.tasks import publish_checkpoint_task, publish_checkpoints_every

from .conftest import NOW, key

pytestmark = pytest.mark.django_db
runner = CliRunner()


def out(result) -> str:
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def head() -> tuple[int, str]:
    e = JournalEntry.objects.order_by("-sequence").first()
    return e.sequence, e.hash


def transfer() -> None:
    services.transfer(idempotency_key=key(), from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(3, 4)], now=NOW)


# -- the empty journal (regression) -------------------------------------------------------------------
def test_checkpoint_of_an_empty_journal_is_refused_and_verify_still_passes(db, tmp_path):
    with pytest.raises(InvalidInput, match="no entries yet"):
        services.create_checkpoint(now=NOW)
    result = runner.invoke(app, ["checkpoint"])
    assert result.exit_code == 1 and "error: journal: the journal has no entries yet" in out(result)
    assert Checkpoint.objects.count() == 0 and AuditEvent.objects.filter(action="registry.checkpoint").count() == 0
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, out(result)
    path = tmp_path / "journal.jsonl"
    assert runner.invoke(app, ["export", str(path)]).exit_code == 0
    result = runner.invoke(app, ["verify", "--export", str(path)])
    assert result.exit_code == 0, out(result)


def test_a_stored_checkpoint_of_the_empty_journal_no_longer_breaks_verify(issued, tmp_path):
    """Databases where the old bug stored (0, 64 zeros) verify; (0, anything else) is a forgery."""
    Checkpoint.objects.create(sequence=0, hash="0" * 64, created_at=NOW)
    services.create_checkpoint(now=NOW)
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, out(result)
    path = tmp_path / "journal.jsonl"
    runner.invoke(app, ["export", str(path)])
    assert runner.invoke(app, ["verify", "--export", str(path)]).exit_code == 0
    Checkpoint.objects.filter(sequence=0).update(hash="f" * 64)
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 1 and "checkpoint at entry 0 does not match the journal" in out(result)


def test_a_head_that_disagrees_with_the_journal_is_refused(issued):
    JournalHead.objects.update(hash="e" * 64)
    with pytest.raises(InvalidInput, match="does not match the stored journal"):
        publish_checkpoint(now=NOW)
    assert Checkpoint.objects.count() == 0


# -- only when the journal has grown, actor recorded ----------------------------------------------------
def test_publisher_publishes_only_new_entries_as_the_system(issued):
    run = publish_checkpoint(now=NOW)
    seq, h = head()
    assert (run.created, run.sequence, run.hash) == (True, seq, h)
    event = AuditEvent.objects.get(action="registry.checkpoint")
    assert event.actor is None and event.actor_label == "system"
    assert event.after == {"sequence": seq, "hash": h, "previous_sequence": 0}

    again = publish_checkpoint(now=NOW + timedelta(minutes=5))
    assert (again.created, again.sequence, again.reason) == (False, seq, "unchanged")
    assert Checkpoint.objects.count() == 1 and AuditEvent.objects.filter(action="registry.checkpoint").count() == 1

    transfer()
    grown = publish_checkpoint(now=NOW + timedelta(minutes=10))
    assert grown.created and grown.sequence == seq + 1 == head()[0]
    assert list(Checkpoint.objects.values_list("sequence", flat=True)) == [seq, seq + 1]
    assert AuditEvent.objects.filter(action="registry.checkpoint").last().after["previous_sequence"] == seq


def test_publisher_on_an_empty_journal_does_nothing(db):
    run = publish_checkpoint(now=NOW)
    assert (run.created, run.sequence, run.reason) == (False, 0, "empty")
    assert Checkpoint.objects.count() == 0


def test_manual_checkpoint_records_the_user(issued, django_user_model):
    user = django_user_model.objects.create_user("keeper", password="x")
    cp = services.create_checkpoint(actor=user, now=NOW)
    assert (cp.sequence, cp.hash) == head()
    event = AuditEvent.objects.get(action="registry.checkpoint")
    assert event.actor == user and event.actor_label == "keeper"
    # idempotent on an unchanged head: the same checkpoint, no second event
    assert services.create_checkpoint(actor=user, now=NOW).pk == cp.pk
    assert AuditEvent.objects.filter(action="registry.checkpoint").count() == 1


# -- the loop, the task, the CLI ------------------------------------------------------------------------
def test_loop_publishes_when_grown_and_says_so_otherwise(issued):
    instants = iter(NOW + timedelta(minutes=5 * i) for i in range(10))
    lines: list[str] = []
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:  # between the 2nd and 3rd run, the ledger moves
            transfer()

    runs = publish_checkpoints_every(every=300, clock=lambda: next(instants), sleep=sleep, emit=lines.append,
                                     iterations=3)
    assert runs == 3 and slept == [300, 300]
    seq = head()[0]
    assert lines[0].startswith(NOW.isoformat()) and f"checkpoint {seq - 1} " in lines[0]
    assert f"no new entry since checkpoint {seq - 1}" in lines[1]
    assert f"checkpoint {seq} {head()[1]}" in lines[2]
    assert Checkpoint.objects.count() == 2
    assert set(AuditEvent.objects.filter(action="registry.checkpoint").values_list("actor_label", flat=True)) == {
        "system"
    }


def test_loop_reports_a_failed_run_and_goes_on(issued):
    lines: list[str] = []
    JournalHead.objects.update(hash="e" * 64)
    publish_checkpoints_every(every=1, clock=lambda: NOW, sleep=lambda s: JournalHead.objects.update(hash=head()[1]),
                              emit=lines.append, iterations=2)
    assert "error: InvalidInput" in lines[0] and "does not match the stored journal" in lines[0]
    assert f"checkpoint {head()[0]}" in lines[1]
    with pytest.raises(ValueError):
        publish_checkpoints_every(every=0, clock=lambda: NOW, sleep=lambda s: None, emit=lines.append)


def test_task_publishes_once(issued):
    result = publish_checkpoint_task.enqueue(now=NOW.isoformat())
    assert result.return_value == {"created": True, "sequence": head()[0], "hash": head()[1], "reason": "",
                                   "signature": ""}
    result = publish_checkpoint_task.enqueue(now=(NOW + timedelta(hours=1)).isoformat())
    assert result.return_value["created"] is False and result.return_value["reason"] == "unchanged"
    assert Checkpoint.objects.count() == 1


def test_cli_every(issued):
    result = runner.invoke(app, ["checkpoint", "--every", "0.01", "--times", "2"])
    assert result.exit_code == 0, out(result)
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert f"checkpoint {head()[0]} {head()[1]}" in lines[0] and "no new entry" in lines[1]
    assert Checkpoint.objects.count() == 1
    assert AuditEvent.objects.get(action="registry.checkpoint").actor_label == "system"
    for args, field in ((["--every", "0"], "every"), (["--every", "5", "--times", "0"], "every"),
                        (["--times", "3"], "times")):
        result = runner.invoke(app, ["checkpoint", *args])
        assert result.exit_code == 1 and f"error: {field}:" in out(result), args
    assert Checkpoint.objects.count() == 1


def test_cli_once(issued):
    result = runner.invoke(app, ["checkpoint"])
    assert result.exit_code == 0 and result.output.strip() == f"checkpoint {head()[0]} {head()[1]}"
    assert AuditEvent.objects.get(action="registry.checkpoint").actor_label == "system"
