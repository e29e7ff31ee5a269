"""Conservative data correction (JCM Guidelines for Developing PDD and MR §5.2, reference [K]).

A calibration finding moves the measured value by the instrument's error; a gap in meter
readings of a summed quantity is filled. In both cases the engine tries both candidate
directions and keeps the one that gives the lower RE − PE, so a correction never raises ER.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from jcm.mrv.core.errors import Location, MrvError
from jcm.mrv.core.results import Correction
from jcm.mrv.core.spec import Aggregation, Direction, Methodology
from jcm.mrv.core.values import CalibrationFinding, InputValue, PeriodInputs, Provenance

Key = tuple[str, str | None]
ErFunction = Callable[[Mapping[Key, Decimal]], Decimal]


def _pick(
    m: Methodology, key: Key, values: dict[Key, Decimal], candidates: Sequence[Decimal], er_of: ErFunction
) -> tuple[Decimal, Decimal, Decimal]:
    """Return (chosen value, ER before, ER after); ties go to the declared direction."""
    before = er_of(values)
    best: tuple[Decimal, Decimal] | None = None
    for candidate in candidates:
        trial = dict(values)
        trial[key] = candidate
        er = er_of(trial)
        if best is None or er < best[1]:
            best = (candidate, er)
    assert best is not None
    return best[0], before, best[1]


def _ordered(m: Methodology, key: str, low: Decimal, high: Decimal) -> list[Decimal]:
    param = m.parameter(key)
    up = param is not None and param.lowers_er is Direction.UP
    return [high, low] if up else [low, high]


def apply_corrections(
    m: Methodology,
    units: tuple[str, ...],
    resolved: Mapping[Key, InputValue],
    values: Mapping[Key, Decimal],
    pi: PeriodInputs,
    findings: Sequence[CalibrationFinding],
    er_of: ErFunction,
) -> tuple[list[tuple[Correction, Key]], dict[Key, Decimal]]:
    """Apply calibration findings, then gap fills; returns the corrections and corrected values."""
    current = dict(values)
    done: list[tuple[Correction, Key]] = []
    for finding in sorted(findings, key=lambda f: (f.key, f.unit_id or "")):
        param = m.parameter(finding.key)
        where = Location(field="calibration")
        if param is None:
            raise MrvError(f"calibration finding for unknown parameter {finding.key!r}", where)
        targets = [
            k
            for k in sorted(resolved, key=lambda k: (k[0], k[1] or ""))
            if k[0] == param.key
            and finding.unit_id in (None, k[1])
            and resolved[k].provenance is Provenance.MEASUREMENT
        ]
        if not targets:
            on = f" of unit {finding.unit_id}" if finding.unit_id else ""
            raise MrvError(
                f"calibration finding for {param.symbol}{on}: no measured value in period {pi.period.label()}",
                where,
            )
        if finding.error_pct < 0 or finding.error_pct >= 100:
            raise MrvError(f"calibration error {finding.error_pct} % must be in [0, 100)", where)
        share = finding.error_pct / 100
        for key in targets:
            v = current[key]
            chosen, er0, er1 = _pick(m, key, current, _ordered(m, key[0], v * (1 - share), v * (1 + share)), er_of)
            sign = "−" if chosen < v else "+"
            reason = (
                f"calibration: {param.symbol} {sign} {finding.error_pct} % (direction that lowers ER; {finding.reason})"
            )
            done.append((Correction(_ref(key), "calibration", v, chosen, reason, er1 - er0), key))
            current[key] = chosen
    expected = pi.expected_readings
    if expected is not None:
        for key in sorted(resolved, key=lambda k: (k[0], k[1] or "")):
            value = resolved[key]
            param = m.parameter(key[0])
            if value.readings is None or param is None or value.provenance is not Provenance.MEASUREMENT:
                continue
            if value.readings > expected:
                raise MrvError(
                    f"{param.symbol} of unit {key[1]} has {value.readings} readings in period "
                    f"{pi.period.label()} but at most {expected} are possible (duplicates?)",
                    Location(field=param.key),
                )
            missing = expected - value.readings
            if missing == 0 or param.aggregation is not Aggregation.SUM:
                continue
            v = current[key]
            high = v + missing * (value.max_reading or Decimal(0))
            chosen, er0, er1 = _pick(m, key, current, _ordered(m, key[0], v, high), er_of)
            how = "counted as zero" if chosen == v else "filled with the period's largest reading"
            reason = f"gap: {missing} of {expected} readings missing, {how} (direction that lowers ER)"
            done.append((Correction(_ref(key), "gap", v, chosen, reason, er1 - er0), key))
            current[key] = chosen
    return done, current


def _ref(key: Key) -> str:
    return key[0] if key[1] is None else f"{key[0]}[{key[1]}]"
