"""The ledger benchmark puts each run's cluster in its own fresh directory under /tmp."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_each_benchmark_run_gets_its_own_cluster_directory():
    spec = importlib.util.spec_from_file_location("ledger_bench", ROOT / "bench" / "ledger_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    a, b = bench.cluster_dir(), bench.cluster_dir()
    try:
        assert a != b and a.parent == b.parent == Path("/tmp")
        assert a.name.startswith("jcm-pg-bench.") and a.is_dir() and not any(a.iterdir())
    finally:
        a.rmdir()
        b.rmdir()
