"""The ledger benchmark's pgbench script (bench/ledger_bench.py) really transfers: run by pgbench
against the test database it records one transfer per pgbench transaction, journal entries and audit
events included, and the ledger verifies. Keeps `make bench-ledger` honest as the function evolves."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from jcm.audit.models import AuditEvent
from jcm.registry.models import JournalEntry, Transaction
from jcm.registry.queries import verify_ledger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]


def _bench_module():
    spec = importlib.util.spec_from_file_location("ledger_bench", ROOT / "bench" / "ledger_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("pgbench") is None, reason="pgbench is not installed")
def test_pgbench_transfer_script_records_real_transfers(tmp_path):
    bench = _bench_module()
    bench.prepare()
    bench.bench_issuance()
    script = tmp_path / "transfer.pgbench"
    script.write_text(bench.TRANSFER_SCRIPT)
    params = connection.get_connection_params()
    before = JournalEntry.objects.count()
    connection.close()
    result = subprocess.run(
        ["pgbench", "-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
         "-U", params.get("user") or "postgres", "-n", "-M", "prepared", "-c", "2", "-t", "40",
         "-f", str(script), params["dbname"]],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "number of transactions actually processed: 80/80" in result.stdout, result.stdout
    transfers = Transaction.objects.filter(kind="transfer")
    assert transfers.count() == 80
    assert JournalEntry.objects.count() == before + 80
    assert AuditEvent.objects.filter(action="registry.transfer").count() == 80
    assert all(1 <= t.quantity <= 10 and t.entry_id is not None for t in transfers)
    assert verify_ledger() is None
