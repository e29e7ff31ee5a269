"""Long-format meter time series (CSV or Parquet) -> monitored values per period and unit.

One reading per row: ``device_id, timestamp, parameter, value, unit``. Timestamps carry a UTC
offset (ISO 8601, e.g. ``2024-01-01T00:00:00+07:00`` or ``...Z``; Parquet: a timezone-aware
timestamp column). All periods are aggregated in ONE polars streaming query; values are summed
as exact integers of micro-units (6 decimal places of the reading's unit), so results do not
depend on chunk order, and units are converted exactly (Decimal) on the aggregates.

Every reading is checked against its parameter's valid range (:func:`reading_range`) through the
per-group minimum and maximum the same query aggregates; only when a group breaks the range does a
second lazy scan find the first offending row, for the error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from jcm.mrv.core.errors import InputFormatError, Location, MrvError, OutOfRange
from jcm.mrv.core.periods import Period, check_no_overlap
from jcm.mrv.core.spec import Aggregation, Grain, Methodology, Parameter, ParameterKind, ValidRange
from jcm.mrv.core.units import conversion
from jcm.mrv.core.values import InputValue, PeriodInputs, Provenance
from jcm.mrv.inputs.meter_stats import FileFacts, parquet_facts

COLUMNS = ("device_id", "timestamp", "parameter", "value", "unit")
SCALE = 1_000_000
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%z"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class MeterOptions:
    day_timezone: tzinfo | None = None  # for day-grain methodologies; default: the first period's offset
    interval: timedelta | None = None  # reading interval; enables conservative gap correction


def _scan(path: Path) -> tuple[pl.LazyFrame, FileFacts | None]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputFormatError("file not found", Location(file=str(path)))
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False), None
    if suffix in {".parquet", ".pq"}:
        return pl.scan_parquet(path), parquet_facts(path)
    raise InputFormatError(f"unsupported meter file type {suffix!r} (use .csv or .parquet)", Location(file=str(path)))


def _timestamp_expr(lf: pl.LazyFrame, path: Path) -> tuple[pl.Expr, pl.Expr]:
    """(parsed UTC timestamp, row-is-invalid flag)."""
    dtype = lf.collect_schema()["timestamp"]
    col = pl.col("timestamp")
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            raise InputFormatError(
                "timestamps have no UTC offset (timezone-naive timestamp type); store them as "
                "timezone-aware timestamps",
                Location(file=str(path), row=1, column="timestamp"),
            )
        return col.dt.convert_time_zone("UTC"), col.is_null()
    if dtype != pl.String:
        raise InputFormatError(
            f"timestamp column has type {dtype}; expected ISO 8601 text with offset",
            Location(file=str(path), column="timestamp"),
        )
    text = col.str.strip_chars().str.replace(" ", "T").str.replace(r"Z$", "+00:00")
    parsed = text.str.to_datetime(format=_TS_FORMAT, time_zone="UTC", strict=False)
    return parsed, parsed.is_null()


def _value_expr(lf: pl.LazyFrame) -> pl.Expr:
    dtype = lf.collect_schema()["value"]
    col = pl.col("value")
    return col.str.strip_chars().cast(pl.Float64, strict=False) if dtype == pl.String else col.cast(pl.Float64)


def _first_bad_row(lf: pl.LazyFrame, condition: pl.Expr) -> tuple[int, dict[str, object]]:
    hit = lf.with_row_index("_row", offset=1).filter(condition).head(1).collect(engine="streaming")
    if hit.height == 0:
        return 0, {}
    row = hit.row(0, named=True)
    return int(row.pop("_row")), row


def _fail(
    path: Path, lf: pl.LazyFrame, condition: pl.Expr, column: str, reason: str, error: type[MrvError] = InputFormatError
) -> MrvError:
    row, values = _first_bad_row(lf, condition)
    shown = values.get(column)
    csv_line = f" (line {row + 1})" if path.suffix.lower() == ".csv" and row else ""
    return error(f"{reason}: {shown!r}{csv_line}", Location(file=str(path), row=row or None, column=column))


def reading_range(param: Parameter) -> ValidRange:
    """The range every single reading of ``param`` must fall in (in the parameter's unit).

    Averaged, minimum and maximum parameters: the parameter's valid range. Summed parameters: a reading
    is the quantity of one interval, so it may be zero even where the period total must be positive (the
    lower bound is closed), and its upper bound applies only when readings cannot be negative (then no
    reading can exceed the total the range bounds)."""
    r = param.valid_range
    if param.aggregation is not Aggregation.SUM:
        return r
    high = r.high if r.low is not None and r.low >= 0 else None
    return ValidRange(r.low, high)


def _checks_readings(r: ValidRange) -> bool:
    return r.low is not None or r.high is not None


def _outside(r: ValidRange, low: Decimal, high: Decimal) -> bool:
    return not (r.contains(low) and r.contains(high))


def _footer_proves_in_range(facts: FileFacts | None, monitored: Mapping[str, Parameter]) -> bool:
    """Parquet statistics (one unit, value min/max) prove every reading of every parameter is in range."""
    if facts is None or not facts.single_unit or facts.value_min is None or facts.value_max is None:
        return False
    for param in monitored.values():
        r = reading_range(param)
        if not _checks_readings(r):
            continue
        try:
            factor, offset = conversion(facts.single_unit, param.unit, where=Location(), for_sum=False)
        except MrvError:
            return False
        lo = Decimal(repr(facts.value_min)) * factor + offset
        hi = Decimal(repr(facts.value_max)) * factor + offset
        if _outside(r, lo, hi):
            return False
    return True


def read_meter_periods(
    path: Path | str, methodology: Methodology, periods: Sequence[Period], options: MeterOptions | None = None
) -> list[PeriodInputs]:
    """Aggregate a meter file into one PeriodInputs per period (sorted by start).

    Raises InputFormatError / UnitError / MrvError naming file, row and column: missing column,
    timestamp without offset, unparsable value, unknown parameter, unknown/incompatible unit.
    """
    path = Path(path)
    opts = options or MeterOptions()
    ordered = check_no_overlap(periods)
    lf, facts = _scan(path)
    schema = lf.collect_schema()
    for name in COLUMNS:
        if name not in schema:
            raise InputFormatError(
                f"missing column {name!r} (expected {', '.join(COLUMNS)})", Location(file=str(path), column=name)
            )
    ts, ts_bad = _timestamp_expr(lf, path)
    value = _value_expr(lf)
    monitored = {p.key: p for p in methodology.parameters if p.kind is ParameterKind.MONITORED}
    monitored.update({p.symbol: p for p in monitored.values()})
    single = len(ordered) == 1 and facts is not None and facts.inside(ordered[0].start, ordered[0].end)
    period_idx: pl.Expr = pl.lit(0, pl.Int32)
    if not single:
        chain: Any = pl.when(ts_bad).then(pl.lit(-1, pl.Int32))
        for n, p in enumerate(ordered):
            chain = chain.when((ts >= p.start) & (ts < p.end)).then(pl.lit(n, pl.Int32))
        period_idx = chain.otherwise(pl.lit(-2, pl.Int32))
    if methodology.grain is Grain.DAY:
        tz = opts.day_timezone or ordered[0].start.tzinfo
        offset = tz.utcoffset(None) if tz is not None else None
        shift = int(offset.total_seconds()) if offset is not None else 0
        unit_key = (ts + pl.duration(seconds=shift)).dt.date().cast(pl.String).alias("unit_id")
    elif schema["device_id"] == pl.String:
        unit_key = pl.col("device_id").alias("unit_id")
    else:
        unit_key = pl.col("device_id").cast(pl.String).alias("unit_id")
    small = (
        facts is not None
        and facts.abs_value_max is not None
        and facts.abs_value_max * max(facts.rows, 1) * SCALE < 2**62
    )
    scaled = (value * SCALE).round().cast(pl.Int64 if small else pl.Int128)
    need_extremes = any(p.aggregation is not Aggregation.SUM for p in monitored.values()) or opts.interval
    check_range = any(_checks_readings(reading_range(p)) for p in monitored.values()) and not (
        _footer_proves_in_range(facts, monitored)
    )
    aggs = [scaled.sum().alias("sum"), pl.len().alias("n")]
    if facts is None or facts.nulls:
        aggs.append(value.is_null().sum().alias("bad_values"))
    if need_extremes:
        aggs += [value.min().alias("min"), value.max().alias("max")]
    elif check_range:  # the extremes for the range check only (they do not enter the values)
        aggs += [value.min().alias("range_min"), value.max().alias("range_max")]
    # Group only by real columns: constant keys (one period, one unit) are added after the query.
    keys = [unit_key, pl.col("parameter")]
    if not single:
        keys.insert(0, period_idx.alias("period"))
    if not (facts and facts.single_unit):
        keys.append(pl.col("unit"))
    table = lf.group_by(keys).agg(aggs).collect(engine="streaming")
    if single:
        table = table.with_columns(pl.lit(0, pl.Int32).alias("period"))
    if facts and facts.single_unit:
        table = table.with_columns(pl.lit(facts.single_unit).alias("unit"))
    if (table["period"] == -1).any():
        raise _fail(
            path,
            lf,
            ts_bad,
            "timestamp",
            "timestamp is not ISO 8601 with a UTC offset (e.g. 2024-01-01T00:00:00+07:00)",
        )
    table = table.filter(pl.col("period") >= 0)
    if "bad_values" in table.columns and table["bad_values"].sum() > 0:
        raise _fail(path, lf, value.is_null(), "value", "value is missing or not a number")
    if table["unit_id"].null_count() > 0:
        raise _fail(path, lf, pl.col("device_id").is_null(), "device_id", "device_id is empty")
    for name in table["parameter"].unique().sort().to_list():
        if name not in monitored:
            known = ", ".join(sorted({p.key for p in monitored.values()}))
            raise _fail(
                path,
                lf,
                pl.col("parameter") == name,
                "parameter",
                f"{methodology.jcm_id} monitors no parameter by this name (monitored: {known})",
            )
    in_periods = pl.lit(True) if single else period_idx >= 0
    return _to_inputs(path, lf, table, methodology, ordered, monitored, opts, in_periods if check_range else None)


def _check_range(
    path: Path,
    lf: pl.LazyFrame,
    row: Mapping[str, Any],
    param: Parameter,
    factor: Decimal,
    offset: Decimal,
    in_periods: pl.Expr,
    value: pl.Expr,
) -> None:
    """Raise OutOfRange naming file, row and column when a reading of this group is outside the range."""
    r = reading_range(param)
    low_raw = row.get("min", row.get("range_min"))
    high_raw = row.get("max", row.get("range_max"))
    if not _checks_readings(r) or low_raw is None or high_raw is None:
        return
    low = Decimal(repr(low_raw)) * factor + offset
    high = Decimal(repr(high_raw)) * factor + offset
    if not _outside(r, low, high):
        return
    # Bounds back in the reading's unit (factor > 0), then the first offending row by a second lazy scan.
    bad = pl.lit(False)
    if r.low is not None:
        low_u = float((r.low - offset) / factor)
        bad = bad | ((value <= low_u) if r.low_open else (value < low_u))
    if r.high is not None:
        bad = bad | (value > float((r.high - offset) / factor))
    group = (pl.col("parameter") == row["parameter"]) & in_periods
    if row.get("unit") is not None:
        group = group & (pl.col("unit") == row["unit"])
    raise _fail(
        path,
        lf,
        group & bad,
        "value",
        f"a reading of {param.symbol} ({row['unit']}) is outside the valid range {r.describe()} {param.unit}",
        OutOfRange,
    )


def _to_inputs(
    path: Path,
    lf: pl.LazyFrame,
    table: pl.DataFrame,
    methodology: Methodology,
    ordered: tuple[Period, ...],
    monitored: Mapping[str, Parameter],
    opts: MeterOptions,
    in_periods: pl.Expr | None = None,
) -> list[PeriodInputs]:
    merged: dict[tuple[int, str, str], dict[str, Decimal | int | None]] = {}
    for row in table.sort(["period", "unit_id", "parameter", "unit"]).iter_rows(named=True):
        param = methodology.parameter(row["parameter"])
        assert param is not None
        is_sum = param.aggregation is Aggregation.SUM
        try:
            factor, offset = conversion(
                row["unit"] or "", param.unit, where=Location(file=str(path), column="unit"), for_sum=is_sum
            )
        except MrvError as exc:
            raise _fail(
                path,
                lf,
                (pl.col("parameter") == row["parameter"]) & (pl.col("unit") == row["unit"]),
                "unit",
                f"{exc.reason} for parameter {param.symbol}",
            ) from exc
        if in_periods is not None:
            _check_range(path, lf, row, param, factor, offset, in_periods, _value_expr(lf))
        n = int(row["n"])
        total = Decimal(int(row["sum"])) / SCALE * factor + offset * n
        key = (int(row["period"]), str(row["unit_id"]), param.key)
        acc = merged.setdefault(key, {"sum": Decimal(0), "n": 0, "min": None, "max": None})
        acc["sum"] = Decimal(acc["sum"] or 0) + total
        acc["n"] = int(acc["n"] or 0) + n
        for ext in ("min", "max"):
            if row.get(ext) is not None:
                converted = Decimal(repr(row[ext])) * factor + offset
                old = acc[ext]
                better = old is None or (converted < Decimal(old) if ext == "min" else converted > Decimal(old))
                acc[ext] = converted if better else old
    per_period: dict[int, list[InputValue]] = {n: [] for n in range(len(ordered))}
    for (pidx, unit_id, pkey), acc in sorted(merged.items()):
        param = methodology.parameter(pkey)
        assert param is not None
        n = int(acc["n"] or 0)
        total = Decimal(acc["sum"] or 0)
        agg = param.aggregation
        value = {
            Aggregation.SUM: total,
            Aggregation.MEAN: total / n if n else total,
            Aggregation.MIN: acc["min"],
            Aggregation.MAX: acc["max"],
        }[agg]
        if value is None:  # min/max without extremes: only one reading per group was summed
            value = total / n
        source = f"{path.name}: {n} readings of {param.key}, {agg.value} per period"
        per_period[pidx].append(
            InputValue(
                param.key,
                Decimal(value),
                param.unit,
                Provenance.MEASUREMENT,
                source,
                unit_id if param.per_unit else None,
                n,
                Decimal(acc["max"]) if acc["max"] is not None else None,
            )
        )
    expected = None
    result = []
    for pidx, period in enumerate(ordered):
        if opts.interval is not None and methodology.grain is Grain.DEVICE:
            count, rest = divmod(period.duration, opts.interval)
            if rest:
                raise MrvError(
                    f"period {period.label()} is not a whole number of {opts.interval} intervals",
                    Location(field="interval"),
                )
            expected = int(count)
        values = per_period[pidx]
        result.append(PeriodInputs(period, tuple(_merge_project_level(values, path)), expected))
    return result


def _merge_project_level(values: list[InputValue], path: Path) -> list[InputValue]:
    """Project-level monitored parameters (unit_id None) read from several devices are summed."""
    out: dict[tuple[str, str | None], InputValue] = {}
    for v in values:
        k = (v.key, v.unit_id)
        if k in out:
            prev = out[k]
            out[k] = InputValue(
                v.key,
                prev.value + v.value,
                v.unit,
                v.provenance,
                prev.source,
                v.unit_id,
                (prev.readings or 0) + (v.readings or 0),
                None,
            )
        else:
            out[k] = v
    return list(out.values())
