"""What a Parquet footer proves about a meter file, so the aggregation query can skip work.

Row-group statistics are exact for the values they describe; when they prove that every
timestamp lies inside one period, that the unit column holds a single unit, or that value
sums cannot overflow 64-bit integers, the streaming query omits the matching filter,
group key or wide integer type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq


@dataclass(frozen=True)
class FileFacts:
    rows: int
    ts_min: datetime | None = None
    ts_max: datetime | None = None
    single_unit: str | None = None
    abs_value_max: float | None = None
    nulls: bool = True
    value_min: float | None = None
    value_max: float | None = None

    def inside(self, start: datetime, end: datetime) -> bool:
        return self.ts_min is not None and self.ts_max is not None and start <= self.ts_min and self.ts_max < end


def parquet_facts(path: Path) -> FileFacts:
    meta = pq.ParquetFile(path).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    idx = {n: names.index(n) for n in ("timestamp", "unit", "value", "device_id", "parameter") if n in names}
    ts_min: datetime | None = None
    ts_max: datetime | None = None
    units: set[str] = set()
    abs_max = 0.0
    v_min: float | None = None
    v_max: float | None = None
    nulls = False
    complete = True
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for name, i in idx.items():
            stats = group.column(i).statistics
            if stats is None or not stats.has_min_max or stats.null_count is None:
                complete = False
                continue
            nulls = nulls or stats.null_count > 0
            if name == "timestamp" and isinstance(stats.min, datetime) and isinstance(stats.max, datetime):
                ts_min = stats.min if ts_min is None else min(ts_min, stats.min)
                ts_max = stats.max if ts_max is None else max(ts_max, stats.max)
            elif name == "unit":
                units.update({str(stats.min), str(stats.max)})
            elif name == "value":
                abs_max = max(abs_max, abs(float(stats.min)), abs(float(stats.max)))
                v_min = float(stats.min) if v_min is None else min(v_min, float(stats.min))
                v_max = float(stats.max) if v_max is None else max(v_max, float(stats.max))
    if not complete:
        return FileFacts(meta.num_rows)
    tz_ok = ts_min is not None and ts_min.tzinfo is not None
    return FileFacts(
        meta.num_rows,
        ts_min if tz_ok else None,
        ts_max if tz_ok else None,
        units.pop() if len(units) == 1 else None,
        abs_max,
        nulls,
        v_min,
        v_max,
    )
