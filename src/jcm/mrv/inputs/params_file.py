"""Parameters file (JSON or YAML): project-specific and fixed values, calibration findings, meter options.

methodology: ID_AM003            # optional; checked against the methodology used
values:
  COP_PJ: 1.63                   # one value for every unit
  EF_elec: {value: 0.814, unit: tCO2/MWh, source: "Indonesia 2nd BUR (Jamali 2012)"}
  COP_RE: {R1: 1.32, R2: {value: 1.40, source: "catalogue"}}   # per unit i
calibration:
  - {parameter: EC_PJ, unit: R1, error_pct: 2, reason: "meter calibrated 3 months late"}
meter: {interval_minutes: 1, day_timezone: "+07:00"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from jcm.mrv.core.errors import InputFormatError, Location, MrvError
from jcm.mrv.core.periods import parse_offset
from jcm.mrv.core.spec import Methodology
from jcm.mrv.core.values import CalibrationFinding, InputValue, ProjectParameters, Provenance
from jcm.mrv.inputs.meters import MeterOptions


@dataclass(frozen=True)
class ParametersFile:
    parameters: ProjectParameters
    meter: MeterOptions


def _decimal(raw: object, where: Location) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputFormatError(f"expected a number, got {raw!r}", where)
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except InvalidOperation:
        raise InputFormatError(f"{raw!r} is not a number", where) from None
    if not value.is_finite():
        raise InputFormatError(f"{raw!r} is not a finite number", where)
    return value


def _value(
    m: Methodology, key: str, raw: object, unit_id: str | None, file: str | None, field: str, label: str
) -> InputValue:
    where = Location(file=file, field=field)
    param = m.parameter(key)
    if param is None:
        raise MrvError(f"{m.jcm_id} has no parameter {key!r}", where)
    unit, source = param.unit, f"{label}: {field}"
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "unit", "source"}
        if extra:
            raise InputFormatError(f"unexpected keys {sorted(extra)} (allowed: value, unit, source)", where)
        unit = str(raw.get("unit", unit))
        if "source" in raw:
            source = f"{label}: {field} ({raw['source']})"
        raw = raw.get("value")
    return InputValue(param.key, _decimal(raw, where), unit, Provenance.PROJECT_SPECIFIC, source, unit_id)


def load_parameters(path: Path | str, methodology: Methodology, *, name: str | None = None) -> ParametersFile:
    """Read a JSON or YAML parameters file. Raises InputFormatError/MrvError naming file and field.

    ``name`` is how errors and trace sources name the file (default: the path as given).
    """
    path = Path(path)
    file = name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except FileNotFoundError:
        raise InputFormatError("file not found", Location(file=file)) from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputFormatError(f"not valid JSON/YAML: {exc}", Location(file=file)) from None
    return parameters_from_data(data, methodology, file=file)


def parameters_from_data(
    data: Any, methodology: Methodology, *, file: str | None = None, label: str | None = None
) -> ParametersFile:
    """The same content as a parameters file, already parsed (e.g. a JSON request body).

    ``file`` names the file in error locations (None: errors name only the field); ``label``
    prefixes the source shown in the trace (default: the file name, or "parameters").
    Raises InputFormatError/MrvError naming the field.
    """
    label = label or file or "parameters"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputFormatError("top level must be a mapping", Location(file=file))
    unknown = set(data) - {"methodology", "values", "calibration", "meter"}
    if unknown:
        raise InputFormatError(f"unknown sections {sorted(unknown)}", Location(file=file, field=sorted(unknown)[0]))
    declared = data.get("methodology")
    if declared is not None and str(declared).upper() != methodology.jcm_id:
        raise MrvError(f"file is for {declared}, not {methodology.jcm_id}", Location(file=file, field="methodology"))
    for section, kind, what in (
        ("values", dict, "a mapping"),
        ("calibration", list, "a list"),
        ("meter", dict, "a mapping"),
    ):
        if not isinstance(data.get(section) or kind(), kind):
            raise InputFormatError(f"{section} must be {what}", Location(file=file, field=section))
    values: list[InputValue] = []
    for key, raw in sorted((data.get("values") or {}).items()):
        field = f"values.{key}"
        if isinstance(raw, dict) and "value" not in raw:
            for unit_id, per_unit in sorted(raw.items()):
                values.append(_value(methodology, str(key), per_unit, str(unit_id), file, f"{field}.{unit_id}", label))
        else:
            values.append(_value(methodology, str(key), raw, None, file, field, label))
    findings: list[CalibrationFinding] = []
    for n, item in enumerate(data.get("calibration") or []):
        where = Location(file=file, field=f"calibration[{n}]")
        if not isinstance(item, dict) or "parameter" not in item or "error_pct" not in item:
            raise InputFormatError("each calibration finding needs parameter and error_pct", where)
        findings.append(
            CalibrationFinding(
                str(item["parameter"]),
                _decimal(item["error_pct"], where),
                str(item.get("reason", "calibration finding")),
                None if item.get("unit") is None else str(item["unit"]),
            )
        )
    meter = data.get("meter") or {}
    interval = meter.get("interval_minutes")
    tz = meter.get("day_timezone")
    options = MeterOptions(
        parse_offset(str(tz)) if tz is not None else None,
        timedelta(minutes=float(_decimal(interval, Location(file=file, field="meter.interval_minutes"))))
        if interval is not None
        else None,
    )
    return ParametersFile(ProjectParameters(tuple(values), tuple(findings), label), options)
