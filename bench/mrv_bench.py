"""MRV engine benchmark: a year of 1-minute PV readings for 200 devices through the engine.

    uv run python bench/mrv_bench.py [--rows N] [--out DIR]

Generates (once, cached under bench/out/) a long-format Parquet meter file, computes MN_AM003
(solar PV, EF 0.797 tCO2/MWh) over it with the engine, and times a bare polars lazy scan +
group-by sum of the same file. Each side runs three times, alternating; the fastest run of each counts.
Last line: rows=N engine_s=S polars_s=S ratio=R peak_rss_mb=M  (ratio = polars_s / engine_s).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from jcm.mrv.core import InputValue, Period, ProjectParameters, Provenance, calculate, get_methodology
from jcm.mrv.inputs.meters import read_meter_periods

DEVICES = 200
YEAR_MINUTES = 525_600
START = datetime(2023, 1, 1, tzinfo=UTC)


def generate(path: Path, minutes: int) -> None:
    """Write DEVICES × minutes readings, a few devices at a time, so memory stays low."""
    tmp = path.with_suffix(".partial")
    writer: pq.ParquetWriter | None = None
    per_chunk = max(1, 5_000_000 // minutes)
    minute = pl.int_range(0, minutes, eager=True, dtype=pl.Int64)
    stamps = pl.datetime_range(START, START + timedelta(minutes=minutes - 1), "1m", eager=True, time_zone="UTC")
    hour_local = ((minute + 7 * 60) % 1440).cast(pl.Float64) / 60  # site at UTC+07:00
    sun = ((hour_local - 6) * 3.141592653589793 / 12).sin().clip(lower_bound=0)
    for first in range(0, DEVICES, per_chunk):
        frames = []
        for d in range(first, min(DEVICES, first + per_chunk)):
            capacity_kw = 50 + (d % 7) * 10
            noise = 0.9 + 0.1 * ((minute * 7919 + d * 104729) % 1000).cast(pl.Float64) / 1000
            frames.append(pl.DataFrame({
                "device_id": pl.Series([f"inv-{d:03d}"] * minutes, dtype=pl.String),
                "timestamp": stamps,
                "parameter": pl.Series(["EG"] * minutes, dtype=pl.String),
                "value": (sun * capacity_kw / 60 * noise).round(3),
                "unit": pl.Series(["kWh"] * minutes, dtype=pl.String),
            }))
        table = pl.concat(frames).to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=1_000_000)
        del frames, table
        print(f"  generated devices {first}..{min(DEVICES, first + per_chunk) - 1}", file=sys.stderr)
    assert writer is not None
    writer.close()
    tmp.rename(path)


def run_engine(path: Path, period: Period) -> int:
    methodology = get_methodology("MN_AM003")
    inputs = read_meter_periods(path, methodology, [period])
    params = ProjectParameters((InputValue("EF_RE", Decimal("0.797"), "tCO2/MWh", Provenance.PROJECT_SPECIFIC,
                                           "bench"),), source="bench")
    return calculate(methodology, periods=inputs, parameters=params).total_er


def run_polars(path: Path) -> float:
    table = pl.scan_parquet(path).group_by("device_id", "parameter").agg(pl.col("value").sum()) \
        .collect(engine="streaming")
    return float(table["value"].sum())


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=DEVICES * YEAR_MINUTES, help="about this many rows")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    minutes = max(1, args.rows // DEVICES)
    rows = minutes * DEVICES
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"pv_meters_{rows}.parquet"
    if not path.exists():
        print(f"generating {rows:,} rows into {path}", file=sys.stderr)
        generate(path, minutes)
    period = Period(START, START + timedelta(minutes=minutes))
    engine_times, polars_times = [], []
    er = 0
    total_kwh = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        total_kwh = run_polars(path)
        polars_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        er = run_engine(path, period)
        engine_times.append(time.perf_counter() - t0)
    expected = int(total_kwh / 1000 * 0.797)
    print(f"MN_AM003 ER = {er} tCO2 (bare polars float sum gives ≈ {expected})", file=sys.stderr)
    engine_s, polars_s = min(engine_times), min(polars_times)
    print(f"rows={rows} engine_s={engine_s:.3f} polars_s={polars_s:.3f} ratio={polars_s / engine_s:.3f} "
          f"peak_rss_mb={peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
