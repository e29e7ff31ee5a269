"""Ledger benchmark (`make bench-ledger`), on a throwaway PostgreSQL cluster (scripts/pgcluster.sh).

Measures, in one run:

1. issuing 1,000,000 credits into 100 accounts (one service call; goal < 1 s);
2. transfers per second with 8 concurrent clients (random pairs of the 100 accounts, 1-10 credits
   oldest vintage first, each with its own idempotency key, journal entry and audit event), driven
   by pgbench (8 clients, 2 threads, prepared statements) running a script that calls
   ``jcm_registry_transfer`` -- the function ``services.transfer`` runs on PostgreSQL
   (``jcm.registry.fastpath``): the same checks, locks, rows, audit event and hash-chained journal
   entry. The count is the transactions the ledger recorded (rows), not pgbench's own count;
3. pgbench's TPC-B (default script) tps with 8 clients on the same cluster, the same driver and
   options. Steps 2 and 3 alternate BENCH_ROUNDS times (default 3) and the medians are reported, so
   that both are measured under the same background load. Before each run the tables it updates are
   vacuumed (pgbench does that itself for TPC-B's; ``settle``) and a CHECKPOINT is taken, so that
   neither side pays for writing out the dirty pages of the other's run;
2b. for the application layer, the same transfers through ``services.transfer`` from 8 Python client
   processes (each its own connection, all starting together, counted over exactly BENCH_SECONDS),
   BENCH_ROUNDS times after the rounds, with the fast path, and once before them with the fast path off
   (BENCH_COMPARE=0 skips that one). On a two-core machine these 8 Python processes compete with
   the database for the same cores, which a production deployment (application servers apart from
   the database server) does not do, and pgbench's C client hardly does; that is why the ratio is
   taken on the pgbench-driven figure (docs/performance.md);
4. serial lookup latency (``queries.serial_lookup``) with 1,000,000 journal entries
   (goal p95 < 5 ms). The million entries, their transactions and movements are bulk-generated
   in SQL for speed (10,000 issuances x 100 movements); they are not a valid hash chain, which
   the lookup does not read.

The last line is ``transfers_per_s=N pgbench_tps=N ratio=R`` (goal ratio >= 0.5).
Options via environment: BENCH_SECONDS (default 10), BENCH_CLIENTS (default 8), BENCH_ROUNDS
(default 3), BENCH_COMPARE (default 1), BENCH_KEEP=1 keeps the cluster directory (a fresh /tmp/jcm-pg-bench.*, logged at the start).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
NOW = datetime(2026, 4, 1, tzinfo=UTC)
N_ACCOUNTS = 100


def log(msg: str) -> None:
    print(msg, flush=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # As in production: DEBUG off (with DEBUG on, Django logs and keeps every query, which is not what
    # is being measured). The key only has to exist for the settings to load.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcm.site.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def prepare() -> None:
    from django.core.management import call_command

    from jcm.registry import services

    call_command("migrate", interactive=False, verbosity=0)
    services.create_registry(idempotency_key="r-jp", code="JP", party="JP", name="Japan", now=NOW)
    for kind in ("cancellation", "retirement"):
        services.open_account(idempotency_key=f"a-{kind}", registry="JP", number=f"JP-{kind}", kind=kind, now=NOW)
    for i in range(N_ACCOUNTS):
        services.open_account(idempotency_key=f"a-{i}", registry="JP", number=f"JP-E{i:03d}",
                              kind="entity_holding", now=NOW)


def bench_issuance() -> float:
    from jcm.registry import services

    allocation = [(f"JP-E{i:03d}", 100) for i in range(N_ACCOUNTS)]  # 1 % each, in basis points
    services.record_jc_notification(idempotency_key="notice-1", registry="JP", reference="BENCH-N1",
                                    decision="BENCH-D1", project="ID001", vintage=2024, approach="JCM_JP_ID",
                                    quantity=1_000_000, allocation=allocation, now=NOW)
    t0 = time.perf_counter()
    services.issue(idempotency_key="iss-1", registry="JP", notification="BENCH-N1", reference="BENCH-1", now=NOW)
    return time.perf_counter() - t0


def _worker(url: str, wid: int, start: float, deadline: float, python_path: bool,
            out: mp.Queue) -> None:  # type: ignore[type-arg]
    setup_django(url)
    from contextlib import nullcontext

    from django.db import connection

    from jcm.registry import fastpath, services
    from jcm.registry.core.errors import LedgerError

    rnd = random.Random(wid + (1000 if python_path else 0))
    ok = failed = 0
    n = 0
    connection.ensure_connection()
    time.sleep(max(0.0, start - time.time()))  # every client starts at the same moment
    with fastpath.disabled() if python_path else nullcontext():
        while time.time() < deadline:
            src, dst = rnd.sample(range(N_ACCOUNTS), 2)
            n += 1
            try:
                services.transfer(idempotency_key=f"t-{int(python_path)}-{wid}-{n}", from_account=f"JP-E{src:03d}",
                                  to_account=f"JP-E{dst:03d}", quantity=rnd.randint(1, 10), now=NOW)
                ok += 1
            except LedgerError:
                failed += 1
    out.put((ok, failed))


def bench_transfers(url: str, *, python_path: bool = False, round_: int = 0) -> tuple[float, int, int]:
    """Transfers/s over exactly SECONDS, CLIENTS processes each with its own connection."""
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    start = time.time() + 2.0  # let the processes start and set up Django; then all begin together
    deadline = start + SECONDS
    procs = [ctx.Process(target=_worker, args=(url, i + 100 * round_, start, deadline, python_path, q))
             for i in range(CLIENTS)]
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    return ok / SECONDS, ok, failed


def _pg_conn(url: str) -> list[str]:
    u = urlparse(url)
    return ["-h", u.hostname or "127.0.0.1", "-p", str(u.port), "-U", u.username or "postgres"]


def pgbench_init(url: str) -> None:
    conn = _pg_conn(url)
    subprocess.run(["psql", *conn, "-q", "-c", "CREATE DATABASE pgbench"], check=True, capture_output=True)
    subprocess.run(["pgbench", *conn, "-i", "-q", "-s", "10", "pgbench"], check=True, capture_output=True)


def pgbench(url: str, *args: str, database: str = "pgbench") -> tuple[float, int]:
    """pgbench with CLIENTS clients, 2 threads, for SECONDS: (tps, transactions processed)."""
    res = subprocess.run(["pgbench", *_pg_conn(url), "-c", str(CLIENTS), "-j", "2", "-T", str(int(SECONDS)),
                          *args, database], check=True, capture_output=True, text=True)
    m = re.search(r"tps = ([0-9.]+)", res.stdout)
    n = re.search(r"number of transactions actually processed: ([0-9]+)", res.stdout)
    if not m or not n or "error" in res.stdout + res.stderr:
        raise RuntimeError(res.stdout + res.stderr)
    return float(m.group(1)), int(n.group(1))


# One transfer per pgbench transaction: random source and destination (distinct) among the 100 entity
# accounts, 1-10 credits oldest vintage first, a fresh idempotency key (client id + a random 63-bit
# number) and a request hash of the same size as the service's; the arguments are those
# ``fastpath.transfer`` passes (actor: system).
TRANSFER_SCRIPT = r"""
\set src random(0, 99)
\set step random(1, 99)
\set qty random(1, 10)
\set nonce random(1, 9000000000000000000)
SELECT jcm_registry_transfer('system', 'bench-' || :client_id || '-' || :nonce,
    encode(sha256(convert_to('bench-' || :client_id || '-' || :nonce, 'UTF8')), 'hex'),
    'JP-E' || lpad((:src)::int::text, 3, '0'), 'JP-E' || lpad((((:src)::int + (:step)::int) % 100)::text, 3, '0'),
    NULL, NULL, :qty, '2026-04-01T00:00:00+00:00', '2026-04-01T00:00:00+00:00', '2026-04-01', NULL, 'system', '',
    'transfer #', true);
"""


# The tables a transfer writes, vacuumed before each transfers run as pgbench prepares its own before
# each TPC-B run (it vacuums branches and tellers and empties its history table): no autovacuum of
# a table the run before filled starts in the middle of the measurement.
UPDATED_BY_TRANSFERS = (
    "registry_block, registry_account, registry_journalhead, registry_idempotencykey, registry_transaction, "
    "registry_movement, registry_journalentry, audit_auditevent"
)


def settle(url: str, *, vacuum: str = "", database: str = "pgbench") -> None:
    """Before a measured run: VACUUM ``vacuum`` (what pgbench does for TPC-B's own tables), then a
    CHECKPOINT, so that neither side of the ratio pays for the dirty pages of the run before it."""
    conn = _pg_conn(url)
    if vacuum:
        subprocess.run(["psql", *conn, "-q", "-c", f"VACUUM (ANALYZE) {vacuum}", database], check=True,
                       capture_output=True)
    subprocess.run(["psql", *conn, "-q", "-c", "CHECKPOINT", database], check=True, capture_output=True)


def transfers_by_pgbench(url: str, script: Path) -> tuple[float, int]:
    """Transfers/s recorded by the ledger while pgbench runs TRANSFER_SCRIPT; (rate, transfers)."""
    from django.db import connection

    from jcm.registry.models import Transaction

    before = Transaction.objects.filter(kind="transfer").count()
    connection.close()
    settle(url, vacuum=UPDATED_BY_TRANSFERS, database=urlparse(url).path.lstrip("/"))
    tps, processed = pgbench(url, "-n", "-M", "prepared", "-f", str(script), database=urlparse(url).path.lstrip("/"))
    recorded = Transaction.objects.filter(kind="transfer").count() - before
    if recorded != processed:
        raise RuntimeError(f"pgbench processed {processed} transfers but the ledger recorded {recorded}")
    return recorded / processed * tps, recorded


SYNTHETIC = """
INSERT INTO registry_issuance (reference, registry_id, approach, first_transferring_party, project,
    monitoring_period, vintage, quantity, serial_start, serial_end, decision, allocation, issued_at)
SELECT 'SYN-' || g, (SELECT id FROM registry_registry WHERE code = 'JP'), 'JCM_JP_ID', 'JP', 'ID001', '',
       2015 + g % 10, 1000, base + (g - 1) * 1000, base + g * 1000 - 1, '', '{}'::jsonb, now()
FROM generate_series(1, 10000) g, (SELECT max(serial_end) + 1 AS base FROM registry_issuance) b;

INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status, authorised,
    purposes, authorisation_id, authorisation_date, first_transfer_trigger, first_transferred, first_transfer_date,
    adjustments)
SELECT i.serial_start + k * 100, i.serial_start + k * 100 + 99, i.id, i.registry_id, i.vintage,
       (SELECT min(id) FROM registry_account WHERE kind = 'entity_holding') + (k + i.id) % 100, 'held', false,
       '[]'::jsonb, '', '', 'international_transfer', false, '', '[]'::jsonb
FROM registry_issuance i, generate_series(0, 9) k WHERE i.reference LIKE 'SYN-%';

INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash)
SELECT h.sequence + g, 'transfer', '2026-04-01T00:00:00+00:00', '{}'::jsonb, repeat('0', 64),
       md5(g::text) || md5((-g)::text)
FROM generate_series(1, 1000000) g, (SELECT max(sequence) AS sequence FROM registry_journalentry) h;

INSERT INTO registry_transaction (entry_id, kind, registry_id, from_account_id, to_account_id, to_registry_id,
    quantity, ranges, occurred_at, initiator_id)
SELECT e.id, 'transfer', (SELECT id FROM registry_registry WHERE code = 'JP'),
       (SELECT min(id) FROM registry_account WHERE kind = 'entity_holding') + e.id % 100,
       (SELECT min(id) FROM registry_account WHERE kind = 'entity_holding') + (e.id + 1) % 100,
       NULL, 10, '[]'::jsonb, now(), NULL
FROM registry_journalentry e WHERE e.payload = '{}'::jsonb;

INSERT INTO registry_movement (transaction_id, issuance_id, start, "end")
SELECT t.id, i.id, i.serial_start + s.off, i.serial_start + s.off + 9
FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM registry_transaction WHERE ranges = '[]'::jsonb) t
JOIN (SELECT id, serial_start, row_number() OVER (ORDER BY id) AS n FROM registry_issuance
      WHERE reference LIKE 'SYN-%') i ON i.n = (t.rn - 1) / 100 + 1
CROSS JOIN LATERAL (SELECT ((t.rn * 7919) % 99) * 10 AS off) s;
ANALYZE;
"""


def bench_lookup() -> tuple[float, float, int]:
    from django.db import connection

    from jcm.registry.models import Issuance, JournalEntry
    from jcm.registry.queries import serial_lookup

    with connection.cursor() as cur:
        cur.execute(SYNTHETIC)
    entries = JournalEntry.objects.count()
    lo = Issuance.objects.filter(reference__startswith="SYN-").order_by("serial_start").first().serial_start
    hi = Issuance.objects.order_by("-serial_end").first().serial_end
    rnd = random.Random(7)
    for _ in range(50):  # warm up
        serial_lookup(rnd.randint(lo, hi))
    times = []
    for _ in range(2000):
        s = rnd.randint(lo, hi)
        t0 = time.perf_counter()
        found = serial_lookup(s)
        times.append(time.perf_counter() - t0)
        assert found is not None
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000, entries


def cluster_dir() -> Path:
    """A fresh directory for this run's cluster (as `make test-postgres` does): concurrent runs never
    share, hence never stop or wipe, each other's cluster."""
    return Path(tempfile.mkdtemp(prefix="jcm-pg-bench.", dir="/tmp"))


def main() -> None:
    cluster = cluster_dir()
    log(f"cluster in {cluster}")
    url = subprocess.run([str(ROOT / "scripts" / "pgcluster.sh"), "start", str(cluster)], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        setup_django(url)
        prepare()
        secs = bench_issuance()
        log(f"issuance: 1,000,000 credits into {N_ACCOUNTS} accounts in {secs * 1000:.1f} ms (goal < 1000 ms)")
        if os.environ.get("BENCH_COMPARE", "1") == "1":
            slow, ok, failed = bench_transfers(url, python_path=True)
            log(f"transfers, Python path (fast path off, for comparison): {ok} committed, {failed} refused, "
                f"{CLIENTS} clients x {SECONDS:.0f} s -> {slow:.0f}/s")
        # Transfers and pgbench alternate, ROUNDS times each, so that both see the same machine (a shared
        # two-core box is noisy); the figures are the medians of the rounds.
        pgbench_init(url)
        script = cluster / "transfer.pgbench"
        script.write_text(TRANSFER_SCRIPT)
        rates, pgs, services_rates = [], [], []
        for n in range(1, ROUNDS + 1):
            tps, ok = transfers_by_pgbench(url, script)
            rates.append(tps)
            log(f"round {n}: transfers (pgbench calling the transfer function): {ok} recorded, {CLIENTS} clients "
                f"x {SECONDS:.0f} s -> {tps:.0f}/s")
            settle(url)  # pgbench vacuums its own tables
            pgs.append(pgbench(url)[0])
            log(f"round {n}: pgbench TPC-B: {CLIENTS} clients x {SECONDS:.0f} s -> {pgs[-1]:.0f} tps")
        # The application layer, after the rounds (its transfers fragment the ledger further, so it does
        # not run between them): the same transfers through services.transfer, with the fast path.
        for n in range(1, ROUNDS + 1):
            stps, ok, failed = bench_transfers(url, round_=n)
            services_rates.append(stps)
            log(f"transfers through services.transfer ({CLIENTS} Python processes on the same cores), run {n}: "
                f"{ok} committed, {failed} refused -> {stps:.0f}/s")
        from jcm.registry.queries import verify_ledger

        t0 = time.perf_counter()
        violation = verify_ledger()
        log(f"verify after transfers: {violation or 'OK'} ({time.perf_counter() - t0:.2f} s)")
        if violation:
            raise SystemExit(f"ledger invalid: {violation}")
        median, p95, entries = bench_lookup()
        log(f"serial lookup with {entries:,} journal entries: median {median:.2f} ms, p95 {p95:.2f} ms (goal < 5 ms)")
        tps, pg = statistics.median(rates), statistics.median(pgs)
        log(f"medians of {ROUNDS} rounds: transfers {tps:.0f}/s, pgbench {pg:.0f} tps; through the Python "
            f"services {statistics.median(services_rates):.0f}/s (ratio {statistics.median(services_rates) / pg:.2f})")
        print(f"transfers_per_s={tps:.0f} pgbench_tps={pg:.0f} ratio={tps / pg:.2f}", flush=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            subprocess.run([str(ROOT / "scripts" / "pgcluster.sh"), "stop", str(cluster)], check=False)


if __name__ == "__main__":
    main()
