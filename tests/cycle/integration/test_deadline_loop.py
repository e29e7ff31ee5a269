"""`jcm cycle deadlines --every SECONDS`: the clock runs on its own, once per interval, one line per run,
and a second run at a later instant does nothing the first one did (tested with an injected clock and
sleeper and a bounded number of runs)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from jcm.cycle import tasks
from jcm.cycle.models import TransitionRecord, Window
from jcm.cycle.tasks import run_deadlines_every

from .test_clock_and_access import _published

pytestmark = pytest.mark.django_db


def test_the_loop_runs_every_interval_and_is_idempotent(world):
    w = world
    p = _published(w)
    window = Window.objects.get(project=p, key="pdd_public_input", closed_at__isnull=True)
    instants = iter([w.at(10), window.closes_at, window.closes_at + (window.closes_at - w.at(10))])
    slept: list[float] = []
    lines: list[str] = []
    runs = run_deadlines_every(every=300, clock=lambda: next(instants), sleep=slept.append, emit=lines.append,
                               iterations=3)
    assert runs == 3 and slept == [300, 300] and len(lines) == 3
    assert [line.split(" closed ")[1].split(" ")[0] for line in lines] == ["0", "1", "0"]
    assert lines[1].startswith(window.closes_at.isoformat())
    window.refresh_from_db()
    assert window.closed_at == window.closes_at
    assert TransitionRecord.objects.filter(project=p, action="close_pdd_public_input").count() == 1


def test_a_failed_run_is_reported_and_the_loop_goes_on(world, monkeypatch):
    calls = {"n": 0}
    real = tasks.run_deadlines

    def flaky(*, now):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database unavailable")
        return real(now=now)

    monkeypatch.setattr(tasks, "run_deadlines", flaky)
    lines: list[str] = []
    assert run_deadlines_every(every=1, clock=lambda: world.now, sleep=lambda s: None, emit=lines.append,
                               iterations=2) == 2
    assert "error: RuntimeError: database unavailable" in lines[0] and " closed 0 " in lines[1]
    with pytest.raises(ValueError):
        run_deadlines_every(every=0, clock=lambda: world.now, sleep=lambda s: None, emit=lines.append)


def test_the_command_loops_until_interrupted_or_times(world, monkeypatch):
    from jcm.cli import app

    runner = CliRunner()
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)
    out = runner.invoke(app, ["cycle", "deadlines", "--every", "60", "--times", "3"])
    assert out.exit_code == 0, out.output
    assert len([line for line in out.stdout.splitlines() if " closed " in line]) == 3 and slept == [60, 60]

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", interrupt)
    out = runner.invoke(app, ["cycle", "deadlines", "--every", "60"])
    assert out.exit_code == 0 and out.stdout.splitlines()[-1] == "stopped"
    assert len([line for line in out.stdout.splitlines() if " closed " in line]) == 1
    out = runner.invoke(app, ["cycle", "deadlines", "--every", "60", "--at", "2026-01-01T00:00+00:00"])
    assert out.exit_code == 1
    out = runner.invoke(app, ["cycle", "deadlines", "--every", "0"])
    assert out.exit_code == 1


def test_a_step_the_clock_took_is_shown_as_the_system_in_japanese(world, client):
    from jcm.cycle.tasks import run_deadlines

    p = _published(world)
    window = Window.objects.get(project=p, key="pdd_public_input", closed_at__isnull=True)
    run_deadlines(now=window.closes_at)
    page = client.get(f"/ja/cycle/projects/{p.reference}/", follow=True)
    assert page.status_code == 200
    assert "システム" in page.text and not re.search(r">\s*system\s*<", page.text)
