"""Running ``jcm ledger`` in tests: the command, its JSON answer, its error line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jcm.cli import app

runner = CliRunner()


def ledger(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["ledger", *args], env=env)


def ok_json(*args: str) -> dict:
    result = ledger(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def error(result) -> str:
    """The error line (a generated idempotency key may be printed to stderr before it)."""
    return result.stderr.strip().splitlines()[-1]
