"""The calculation engine: inputs + methodology spec -> RE, PE, ER per period with a trace.

Pure and deterministic: units are processed in sorted order, Decimal arithmetic with a fixed
precision, no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext

from jcm.mrv.core.corrections import apply_corrections
from jcm.mrv.core.errors import Location, MissingParameter, MrvError, OutOfRange, PeriodError
from jcm.mrv.core.periods import check_no_overlap
from jcm.mrv.core.results import CalculationResult, Correction, EligibilityOutcome, PeriodResult, TraceStep
from jcm.mrv.core.spec import Equation, Methodology, Parameter, ParameterKind, render_text, symbol_of
from jcm.mrv.core.units import convert
from jcm.mrv.core.values import InputValue, PeriodInputs, ProjectParameters, Provenance

PRECISION = 50
Key = tuple[str, str | None]


def calculate(
    methodology: Methodology, *, periods: Sequence[PeriodInputs], parameters: ProjectParameters | None = None
) -> CalculationResult:
    """Compute RE, PE and ER for each monitoring period.

    Raises PeriodError (no/overlapping periods), MissingParameter, OutOfRange, UnitError or
    MrvError (value given for an unknown parameter) — always before any result exists.
    """
    params = parameters or ProjectParameters()
    if not periods:
        raise PeriodError("no monitoring period given", Location(field="period"))
    check_no_overlap(pi.period for pi in periods)
    given = _given_parameters(methodology, params)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        results = tuple(_period(methodology, pi, given, params) for pi in sorted(periods, key=lambda pi: pi.period))
    return CalculationResult(
        methodology.jcm_id, methodology.version, methodology.title, results, methodology.unconfirmed()
    )


def _given_parameters(m: Methodology, params: ProjectParameters) -> dict[Key, InputValue]:
    given: dict[Key, InputValue] = {}
    for value in params.values:
        param = m.parameter(value.key)
        where = Location(file=params.source, field=value.key)
        if param is None:
            raise MrvError(f"{m.jcm_id} has no parameter {value.key!r}", where)
        if param.kind is ParameterKind.MONITORED:
            raise MrvError(f"{param.symbol} is monitored; give it as monitoring data, not as a fixed value", where)
        if (
            param.kind is ParameterKind.FIXED_EX_ANTE
            and param.default is not None
            and value.value != param.default.value
        ):
            raise OutOfRange(
                f"{param.symbol} is fixed ex ante by {m.jcm_id} at {param.default.value} "
                f"({param.default.source.text}); the parameters file gives {value.value}",
                where,
            )
        if value.unit_id is not None and not param.per_unit:
            raise MrvError(f"{param.symbol} is project-level; it cannot be given per unit", where)
        key = (param.key, value.unit_id)
        if key in given:
            raise MrvError(f"{param.symbol} is given twice", where)
        unit_value = convert(value.value, value.unit, param.unit, where=where)
        given[key] = InputValue(param.key, unit_value, param.unit, value.provenance, value.source, value.unit_id)
    return given


def _period(m: Methodology, pi: PeriodInputs, given: dict[Key, InputValue], params: ProjectParameters) -> PeriodResult:
    resolved = _resolve(m, pi, given)
    units = tuple(sorted({u for (_, u) in resolved if u is not None}))
    if not units and any(e.per_unit for e in m.equations):
        raise MissingParameter(
            f"no monitored unit (device/day) has data in period {pi.period.label()}", Location(field="period")
        )
    for (_, u), value in resolved.items():
        _check_value(m, value, u)
    values = {k: v.value for k, v in resolved.items()}
    corrections, corrected = apply_corrections(
        m, units, resolved, values, pi, params.calibration, lambda vals: _er(m, units, vals)
    )
    computed = evaluate(m, units, corrected)
    trace = _trace(m, units, resolved, corrections, computed)
    re, pe = computed[(m.re_key, None)], computed[(m.pe_key, None)]
    er_exact = re - pe
    er = int(er_exact.to_integral_value(rounding=ROUND_FLOOR))
    return PeriodResult(
        pi.period,
        re,
        pe,
        er_exact,
        er,
        trace,
        tuple(c for c, _ in corrections),
        _eligibility(m, units, computed),
    )


def _resolve(m: Methodology, pi: PeriodInputs, given: dict[Key, InputValue]) -> dict[Key, InputValue]:
    resolved: dict[Key, InputValue] = {}
    for value in sorted(pi.monitored, key=lambda v: (v.key, v.unit_id or "")):
        param = m.parameter(value.key)
        where = Location(field=value.key)
        if param is None or param.kind is not ParameterKind.MONITORED:
            what = "no parameter" if param is None else "no monitored parameter"
            raise MrvError(f"{m.jcm_id} has {what} {value.key!r} (from {value.source})", where)
        unit_id = value.unit_id if not param.per_unit else (value.unit_id or "1")
        key = (param.key, unit_id if param.per_unit else None)
        if key in resolved:
            raise MrvError(f"{param.symbol} for unit {unit_id} is given twice in period {pi.period.label()}", where)
        converted = convert(value.value, value.unit, param.unit, where=where)
        resolved[key] = InputValue(
            param.key,
            converted,
            param.unit,
            value.provenance,
            value.source,
            key[1],
            value.readings,
            value.max_reading,
        )
    resolved.update({k: v for k, v in given.items() if k not in resolved})
    for param in m.parameters:
        if param.default is not None and (param.key, None) not in resolved:
            provenance = Provenance.DEFAULT
            resolved[(param.key, None)] = InputValue(
                param.key,
                param.default.value,
                param.unit,
                provenance,
                f"default: {param.default.source.text}",
            )
    return resolved


def _check_value(m: Methodology, value: InputValue, unit_id: str | None) -> None:
    param = m.parameter(value.key)
    assert param is not None
    where = Location(field=value.key)
    on = f" of unit {unit_id}" if unit_id else ""
    if not param.valid_range.contains(value.value):
        raise OutOfRange(
            f"{param.symbol}{on} = {value.value} {param.unit} is outside the valid range "
            f"{param.valid_range.describe()} (from {value.source})",
            where,
        )
    if param.choices and value.value not in {c.value for c in param.choices}:
        allowed = ", ".join(f"{c.value} ({c.label})" for c in param.choices)
        raise OutOfRange(f"{param.symbol}{on} = {value.value} is not one of the methodology's values: {allowed}", where)


def _lookup(m: Methodology, values: Mapping[Key, Decimal], name: str, unit_id: str | None) -> Key:
    if unit_id is not None and (name, unit_id) in values:
        return (name, unit_id)
    if (name, None) in values:
        return (name, None)
    param = m.parameter(name)
    on = f" for unit {unit_id}" if unit_id else ""
    if param is None:
        raise MissingParameter(f"{symbol_of(m, name)}{on} was not computed", Location(field=name))
    hint = {
        ParameterKind.MONITORED: "it is monitored: supply meter readings or a Monitoring Report value",
        ParameterKind.PROJECT_SPECIFIC: "it is project-specific: give it in the parameters file",
        ParameterKind.FIXED_EX_ANTE: "it is fixed ex ante but the reference gives no value: "
        "give it in the parameters file",
    }[param.kind]
    raise MissingParameter(f"missing {param.symbol}{on} ({param.description}); {hint}", Location(field=name))


def _env(
    m: Methodology, eq: Equation, unit_id: str | None, values: Mapping[Key, Decimal], units: tuple[str, ...]
) -> tuple[dict[str, Decimal], dict[str, Decimal], list[Key]]:
    summed = set(eq.expression.summed_names())
    env: dict[str, Decimal] = {}
    sums: dict[str, Decimal] = {}
    used: list[Key] = []
    for name in eq.expression.names():
        if name in summed:
            keys = [_lookup(m, values, name, u) for u in units]
            sums[name] = sum((values[k] for k in keys), Decimal(0))
            used += keys
        else:
            k = _lookup(m, values, name, unit_id)
            env[name] = values[k]
            used.append(k)
    return env, sums, used


def evaluate(m: Methodology, units: tuple[str, ...], inputs: Mapping[Key, Decimal]) -> dict[Key, Decimal]:
    """Evaluate every equation in order; returns inputs plus computed values."""
    out = dict(inputs)
    for eq in m.equations:
        for u in units if eq.per_unit else (None,):
            if eq.fallback and (eq.key, u) in out:
                continue
            env, sums, _ = _env(m, eq, u, out, units)
            try:
                out[(eq.key, u)] = tidy(eq.expression.evaluate(env, sums))
            except ArithmeticError as exc:
                on = f" for unit {u}" if u else ""
                raise OutOfRange(
                    f"{eq.symbol}{on} cannot be computed ({type(exc).__name__}) from "
                    f"{ {k: str(v) for k, v in env.items()} }",
                    Location(field=eq.key),
                ) from exc
    return out


def tidy(value: Decimal) -> Decimal:
    """Same value without trailing zeros (135.69750000 -> 135.6975, 100.0 -> 100)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _er(m: Methodology, units: tuple[str, ...], values: Mapping[Key, Decimal]) -> Decimal:
    out = evaluate(m, units, values)
    return out[(m.re_key, None)] - out[(m.pe_key, None)]


def _ref(key: Key) -> str:
    return key[0] if key[1] is None else f"{key[0]}[{key[1]}]"


def _trace(
    m: Methodology,
    units: tuple[str, ...],
    resolved: Mapping[Key, InputValue],
    corrections: Sequence[tuple[Correction, Key]],
    computed: Mapping[Key, Decimal],
) -> tuple[TraceStep, ...]:
    steps: list[TraceStep] = []
    order = {p.key: n for n, p in enumerate(m.parameters)}
    for key in sorted(resolved, key=lambda k: (order.get(k[0], 999), k[1] or "")):
        value = resolved[key]
        param = m.parameter(key[0])
        assert param is not None
        steps.append(
            TraceStep(
                _ref(key),
                param.symbol,
                value.value,
                param.unit,
                value.provenance,
                key[1],
                source=value.source,
                confirmed=param.confirmed,
            )
        )
    current = {k: _ref(k) for k in resolved}
    for correction, key in corrections:
        ref = f"{_ref(key)}#{len(steps)}"
        param = m.parameter(key[0])
        assert param is not None
        steps.append(
            TraceStep(
                ref,
                param.symbol,
                correction.after,
                param.unit,
                Provenance.CORRECTED,
                key[1],
                equation=correction.reason,
                inputs=(current[key],),
                confirmed=param.confirmed,
            )
        )
        current[key] = ref
    for eq in m.equations:
        for u in units if eq.per_unit else (None,):
            key = (eq.key, u)
            if eq.fallback and key in resolved:
                continue
            _, _, used = _env(m, eq, u, computed, units)
            ref = _ref(key)
            steps.append(
                TraceStep(
                    ref,
                    eq.symbol,
                    computed[key],
                    eq.unit,
                    Provenance.COMPUTED,
                    u,
                    equation=f"{eq.symbol} = {render_text(m, eq)}",
                    inputs=tuple(current.get(k, _ref(k)) for k in used),
                    confirmed=eq.confidence.confirmed,
                )
            )
            current[key] = ref
    return tuple(steps)


def _eligibility(
    m: Methodology, units: tuple[str, ...], values: Mapping[Key, Decimal]
) -> tuple[EligibilityOutcome, ...]:
    outcomes: list[EligibilityOutcome] = []
    for criterion in m.eligibility:
        if criterion.check is None:
            continue
        for u in units or (None,):
            env = {k: v for (k, uid), v in values.items() if uid is None}
            env.update({k: v for (k, uid), v in values.items() if uid == u})
            try:
                passed = bool(criterion.check(env))
            except KeyError:
                continue
            outcomes.append(EligibilityOutcome(criterion.number, u, passed, criterion.check_text))
    return tuple(outcomes)


def parameter_for(m: Methodology, key: str) -> Parameter:
    param = m.parameter(key)
    if param is None:
        raise MrvError(f"{m.jcm_id} has no parameter {key!r}", Location(field=key))
    return param
