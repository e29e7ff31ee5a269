"""Writes of the MRV capability: run a calculation or check a monitoring spreadsheet, and store it.

Each function reads and validates every input and runs the engine first; only a complete result
is stored, in one transaction together with its audit event. Bad input raises the engine's
``MrvError`` subclass naming the file/row/column, sheet/cell or field, and nothing is stored.
The project cycle calls these for monitoring reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from jcm.audit.services import record_event
from jcm.mrv.core import (
    CalculationResult,
    InputFormatError,
    InputValue,
    Location,
    Methodology,
    MrvError,
    Period,
    PeriodError,
    PeriodInputs,
    Provenance,
    UnknownMethodology,
    calculate,
    check_no_overlap,
    get_methodology,
    parse_offset,
    parse_period,
)
from jcm.mrv.core.spec import ParameterKind
from jcm.mrv.inputs.meters import read_meter_periods
from jcm.mrv.inputs.params_file import load_parameters, parameters_from_data
from jcm.mrv.inputs.workbook_check import check_workbook
from jcm.mrv.models import Calculation

_CHUNK = 1024 * 1024


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks (meter files can be gigabytes)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def value_digest(data: Any) -> str:
    """SHA-256 of a JSON value in canonical form (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_input(role: str, path: Path) -> dict[str, Any]:
    return {"role": role, "name": path.name, "size": path.stat().st_size, "sha256": file_digest(path)}


@contextmanager
def _files_named_by_name(paths: Sequence[Path | None]) -> Iterator[None]:
    """Errors name an input file by its name, never by where the server keeps it."""
    try:
        yield
    except MrvError as exc:
        given = [Path(p) for p in paths if p is not None]
        full = {str(p): p.name for p in given}
        file = exc.location.file
        if file is None or file not in full or isinstance(exc, UnknownMethodology):
            raise
        reason = exc.reason
        for path in given:
            reason = reason.replace(str(path), path.name)
        raise type(exc)(reason, replace(exc.location, file=full[file])) from None


def _parse_periods(texts: Sequence[str], tz: str | None) -> list[Period]:
    if not texts:
        raise PeriodError("no monitoring period given", Location(field="periods"))
    default_tz = parse_offset(tz) if tz else None
    periods = []
    for n, text in enumerate(texts):
        try:
            periods.append(parse_period(str(text), default_tz=default_tz))
        except PeriodError as exc:
            raise PeriodError(exc.reason, Location(field=f"periods[{n}]")) from None
    check_no_overlap(periods)
    return periods


def _number(raw: object, where: Location) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputFormatError(f"expected a number, got {raw!r}", where)
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except InvalidOperation:
        raise InputFormatError(f"{raw!r} is not a number", where) from None
    if not value.is_finite():
        raise InputFormatError(f"{raw!r} is not a finite number", where)
    return value


def _monitored_value(m: Methodology, key: str, raw: object, unit_id: str | None, field: str) -> InputValue:
    where = Location(field=field)
    param = m.parameter(key)
    if param is None:
        raise MrvError(f"{m.jcm_id} has no parameter {key!r}", where)
    if param.kind is not ParameterKind.MONITORED:
        raise MrvError(f"{param.symbol} is not monitored; give it under parameters.values", where)
    unit = param.unit
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "unit"}
        if extra:
            raise InputFormatError(f"unexpected keys {sorted(extra)} (allowed: value, unit)", where)
        unit = str(raw.get("unit", unit))
        raw = raw.get("value")
    return InputValue(param.key, _number(raw, where), unit, Provenance.MEASUREMENT, f"request: {field}", unit_id)


def _monitored_from_data(m: Methodology, data: object, n: int) -> list[InputValue]:
    """``{"EC_PJ": {"IQF-1": 135}}``, ``{"EG": 23134}`` or ``{"EG": {"value": 23134000, "unit": "kWh"}}``."""
    base = f"monitored[{n}]"
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputFormatError("monitored values must be a mapping of parameter to value", Location(field=base))
    values = []
    for key, raw in sorted(data.items()):
        field = f"{base}.{key}"
        if isinstance(raw, dict) and "value" not in raw:
            for unit_id, per_unit in sorted(raw.items()):
                values.append(_monitored_value(m, str(key), per_unit, str(unit_id), f"{field}.{unit_id}"))
        else:
            values.append(_monitored_value(m, str(key), raw, None, field))
    return values


def _totals(result: CalculationResult) -> dict[str, Any]:
    return {
        "re_total": str(sum((p.re for p in result.periods), Decimal(0))),
        "pe_total": str(sum((p.pe for p in result.periods), Decimal(0))),
        "er_total": result.total_er,
        "credits": result.credits,
    }


def _store(
    *,
    kind: str,
    result: CalculationResult,
    periods: list[Period],
    inputs: list[dict[str, Any]],
    submitted: dict[str, Any] | None,
    differences: list[dict[str, Any]],
    action: str,
    actor: Any,
    now: datetime,
    label: str,
    public: bool = False,
) -> Calculation:
    if now.tzinfo is None:
        raise ValueError("'now' must be timezone-aware")
    period_dicts = [p.to_dict() for p in sorted(periods)]
    digest = value_digest(
        {
            "methodology": [result.jcm_id, result.version],
            "periods": period_dicts,
            "inputs": [[i["role"], i["name"], i["sha256"]] for i in inputs],
        }
    )
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        calc = Calculation.objects.create(
            kind=kind,
            jcm_id=result.jcm_id,
            methodology_version=result.version,
            methodology_title=result.title[:300],
            periods=period_dicts,
            inputs=inputs,
            input_digest=digest,
            submitted=submitted,
            result=result.to_dict(),
            differences=differences,
            label=label[:200],
            created_by=user,
            created_at=now,
            public=public,
            **_totals(result),
        )
        record_event(
            action=action,
            target=calc,
            at=now,
            actor=actor,
            after={
                "methodology": f"{result.jcm_id} ver {result.version}",
                "periods": period_dicts,
                "input_digest": digest,
                "er_total": result.total_er,
                "credits": result.credits,
                "differences": len(differences),
                "label": label,
                "public": public,
            },
            label=f"{result.jcm_id} {calc.public_id}",
        )
    return calc


def _compute(
    *,
    jcm_id: str,
    meter_files: Sequence[Path] | None,
    parameters_file: Path | None,
    parameters: Mapping[str, Any] | None,
    periods: Sequence[str],
    monitored: Sequence[Mapping[str, Any] | None] | None,
    tz: str | None,
) -> tuple[Methodology, list[Period], CalculationResult]:
    m = get_methodology(jcm_id)
    parsed = _parse_periods(periods, tz)
    if parameters_file is not None and parameters is not None:
        raise MrvError("give the parameters either as a file or inline, not both", Location(field="parameters"))
    if parameters_file is not None:
        pf = load_parameters(parameters_file, m, name=Path(parameters_file).name)
    else:
        pf = parameters_from_data(dict(parameters or {}), m, label="parameters")
    if monitored is not None and len(monitored) != len(parsed):
        raise InputFormatError(
            f"monitored gives {len(monitored)} period(s) but periods gives {len(parsed)}; give one per period",
            Location(field="monitored"),
        )
    per_period: dict[Period, list[InputValue]] = {p: [] for p in parsed}
    expected: dict[Period, int | None] = dict.fromkeys(parsed)
    for path in meter_files or []:
        for pi in read_meter_periods(path, m, parsed, pf.meter):
            per_period[pi.period].extend(pi.monitored)
            expected[pi.period] = expected[pi.period] or pi.expected_readings
    for n, (period, data) in enumerate(zip(parsed, monitored or [], strict=False)):
        per_period[period].extend(_monitored_from_data(m, data, n))
    result = calculate(
        m,
        periods=[PeriodInputs(p, tuple(per_period[p]), expected[p]) for p in parsed],
        parameters=pf.parameters,
    )
    return m, parsed, result


def run_calculation(
    *,
    jcm_id: str,
    meter_files: Sequence[Path] | None,
    parameters_file: Path | None,
    parameters: Mapping[str, Any] | None,
    periods: Sequence[str],
    actor: Any,
    now: datetime,
    label: str = "",
    monitored: Sequence[Mapping[str, Any] | None] | None = None,
    tz: str | None = None,
    public: bool = False,
) -> Calculation:
    """Compute RE, PE and ER for ``periods`` and store the result with its trace.

    Monitored values come from ``meter_files`` (long-format CSV/Parquet, see docs/mrv.md) and/or
    ``monitored`` (one mapping per period, in the order of ``periods``, shaped like the
    ``values`` section of a parameters file). Project-specific values, calibration findings and
    meter options come from ``parameters_file`` (JSON/YAML) or ``parameters`` (the same content,
    already parsed) — not both. ``periods`` are ``START/END`` texts; ``tz`` (e.g. ``+07:00``)
    is the offset for date-only ends. ``actor`` is the user (None: the system); ``now`` is the
    injected clock; ``public`` publishes it at once (otherwise only insiders read it, see
    ``queries.may_see_details``). One transaction, one audit event ``mrv.calculate``.

    Raises (all ``MrvError``, before anything is stored):
        UnknownMethodology: no shipped methodology ``jcm_id``.
        PeriodError: no period, a malformed/offset-less/empty period, overlapping periods.
        InputFormatError: malformed meter/parameters file or inline value (file, row, column / field).
        UnitError: unknown or unconvertible unit.
        MissingParameter: a value an equation needs is missing.
        OutOfRange: a value outside the parameter's valid range or allowed choices.
        MrvError: any other bad input (unknown parameter, values given twice, both parameter sources).
    Raises ValueError for a timezone-naive ``now``.
    """
    with _files_named_by_name([*(meter_files or []), parameters_file]):
        _, parsed, result = _compute(
            jcm_id=jcm_id,
            meter_files=meter_files,
            parameters_file=parameters_file,
            parameters=parameters,
            periods=periods,
            monitored=monitored,
            tz=tz,
        )
    inputs = [_file_input("meter", Path(p)) for p in meter_files or []]
    submitted: dict[str, Any] | None = None
    if parameters_file is not None:
        inputs.append(_file_input("parameters", Path(parameters_file)))
    elif parameters:
        inputs.append({"role": "parameters", "name": "parameters", "sha256": value_digest(parameters)})
        submitted = {"parameters": dict(parameters)}
    if monitored is not None:
        inputs.append({"role": "monitored", "name": "monitored", "sha256": value_digest(list(monitored))})
        submitted = {**(submitted or {}), "monitored": list(monitored)}
    return _store(
        kind=Calculation.Kind.CALCULATION,
        result=result,
        periods=parsed,
        inputs=inputs,
        submitted=submitted,
        differences=[],
        action="mrv.calculate",
        actor=actor,
        now=now,
        label=label,
        public=public,
    )


def run_workbook_check(
    *, workbook: Path, actor: Any, now: datetime, label: str = "", public: bool = False
) -> Calculation:
    """Recompute a filled monitoring spreadsheet (``jcm mrv template`` layout) and store the
    engine's result together with every cell where the workbook differs (formula changed, no
    cached value, value differs). One transaction, one audit event ``mrv.check_workbook``.

    Raises (before anything is stored) InputFormatError naming sheet and cell for a malformed
    workbook, UnknownMethodology for an unknown methodology ID in the workbook, and the engine's
    MissingParameter / OutOfRange / UnitError / PeriodError for bad values. ValueError for a
    naive ``now``.
    """
    with _files_named_by_name([workbook]):
        report = check_workbook(workbook)
    return _store(
        kind=Calculation.Kind.WORKBOOK_CHECK,
        result=report.result,
        periods=[p.period for p in report.result.periods],
        inputs=[_file_input("workbook", Path(workbook))],
        submitted=None,
        differences=[d.to_dict() for d in report.differences],
        action="mrv.check_workbook",
        actor=actor,
        now=now,
        label=label,
        public=public,
    )


class NotAllowed(Exception):
    """The actor may not do this to the calculation (``field``, ``reason``)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def set_calculation_public(*, calculation: Calculation | str, public: bool, actor: Any, now: datetime) -> Calculation:
    """Publish (``public=True``) or withdraw a stored calculation; only the person who ran it may.

    One transaction, one audit event ``mrv.calculation.publish`` / ``mrv.calculation.unpublish``
    (none when nothing changes). Raises NotAllowed when ``actor`` is not its creator."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        key = calculation.pk if isinstance(calculation, Calculation) else None
        qs = Calculation.objects.select_for_update()
        calc = qs.get(pk=key) if key is not None else qs.get(public_id=calculation)
        if actor is None or calc.created_by_id is None or getattr(actor, "pk", None) != calc.created_by_id:
            raise NotAllowed("calculation", _("only the person who ran a calculation may publish or withdraw it"))
        if calc.public != public:
            calc.public = public
            calc.save(update_fields=["public"])
            record_event(
                action="mrv.calculation.publish" if public else "mrv.calculation.unpublish",
                target=calc,
                at=now,
                actor=actor,
                after={"public": public},
                label=f"{calc.jcm_id} {calc.public_id}",
            )
    return calc


def publish_for_verification(*, calculation: Calculation | int) -> None:
    """Publish a calculation because the monitoring report it backs has been verified (called by the
    project cycle inside its own transaction, whose audit event records the verification)."""
    Calculation.objects.filter(pk=calculation.pk if isinstance(calculation, Calculation) else calculation).update(
        public=True
    )
