"""Parse one merged rule-set mapping into a :class:`RuleSet` (the sections and their fields).

Used by :mod:`jcm.cycle.core.ruleset_loader`, which reads the files, follows ``extends`` and reports
every problem with its file and line. ``parse_merged`` returns the problems as values (``Bad``: reason and key
path); it never raises for bad data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jcm.cycle.core.ruleset_fields import (
    Bad,
    Path_,
    as_list,
    as_mapping,
    boolean,
    confidence_tag,
    date_value,
    decimal_value,
    integer,
    no_unknown_keys,
    opt_boolean,
    opt_date,
    opt_decimal,
    opt_integer,
    opt_text,
    require,
    require_at,
    tagged,
    text,
)
from jcm.cycle.core.rulesets import (
    DEADLINE_KEYS,
    FEATURES,
    PARAMETER_KEYS,
    STEPS,
    Calendar,
    DayCount,
    DayKind,
    FirstDay,
    FormSpec,
    Generation,
    Parameters,
    RuleSet,
    Tagged,
    TranslationRequirement,
)

TOP_KEYS: frozenset[str] = frozenset({
    "id", "partner", "generation", "version", "effective_from", "effective_from_confidence", "title",
    "sources", "extends", "calendar", "deadlines", "features", "forms", "steps", "translations",
    "parameters", "documents", "notes",
})

PARTNER_RE = re.compile(r"^[A-Z]{2}$")
VERSION_RE = re.compile(r"^ver\d{2}\.\d$")
FORM_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# --- sections -------------------------------------------------------------------------------


def _day_count(key: str, raw: Any, path: Path_) -> DayCount:
    entry = as_mapping(raw, path)
    no_unknown_keys(entry, frozenset({"days", "kind", "extendable_to", "confidence", "source", "note"}), path)
    days = opt_integer(require_at(entry, "days", path), (*path, "days"), minimum=1)
    extendable_to = opt_integer(entry.get("extendable_to"), (*path, "extendable_to"), minimum=1)
    if extendable_to is not None and (days is None or extendable_to < days):
        raise Bad(f"must be at least days ({days}), got {extendable_to}", (*path, "extendable_to"))
    kind_raw = entry.get("kind", DayKind.CALENDAR.value)
    if kind_raw not in {k.value for k in DayKind}:
        raise Bad(f"must be calendar or working, got {kind_raw!r}", (*path, "kind"))
    confidence = confidence_tag(require_at(entry, "confidence", path), (*path, "confidence"))
    if confidence == "GAP" and days is not None:
        raise Bad("a GAP value has no days (write days: null)", (*path, "days"))
    if confidence != "GAP" and days is None:
        raise Bad(f"days: null must be tagged GAP, not {confidence}", (*path, "confidence"))
    source = text(entry.get("source", ""), (*path, "source"), allow_empty=True)
    if confidence in ("V", "D") and not source:
        raise Bad(f"a value tagged {confidence} must name its source", (*path, "source"))
    return DayCount(
        key=key,
        days=days,
        kind=DayKind(kind_raw),
        confidence=confidence,
        source=source,
        extendable_to=extendable_to,
        note=text(entry.get("note", ""), (*path, "note"), allow_empty=True),
    )


def _form(code: str, raw: Any, path: Path_) -> FormSpec:
    if not FORM_CODE_RE.match(code):
        raise Bad(f"a form code is letters, digits and underscores, got {code!r}", path)
    entry = as_mapping(raw, path)
    no_unknown_keys(entry, frozenset({"name", "version", "confidence", "source"}), path)
    version = opt_text(entry.get("version"), (*path, "version"))
    if version is not None and not VERSION_RE.match(version):
        raise Bad(f"must look like ver01.0, got {version!r}", (*path, "version"))
    return FormSpec(
        code=code,
        name=text(require_at(entry, "name", path), (*path, "name")),
        version=version,
        confidence=confidence_tag(require_at(entry, "confidence", path), (*path, "confidence")),
        source=text(entry.get("source", ""), (*path, "source"), allow_empty=True),
    )


def _calendar(raw: Any, path: Path_) -> Calendar:
    entry = as_mapping(raw, path)
    no_unknown_keys(entry, frozenset({"timezone", "first_day", "weekend", "holidays"}), path)

    def zone(value: Any, p: Path_) -> str:
        name = text(value, p)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise Bad(f"unknown time zone {name!r}", p) from None
        return name

    def first_day(value: Any, p: Path_) -> FirstDay:
        if value not in {f.value for f in FirstDay}:
            raise Bad(f"must be next or same, got {value!r}", p)
        return FirstDay(value)

    weekend: set[int] = set()
    for i, day in enumerate(as_list(require_at(entry, "weekend", path), (*path, "weekend"))):
        number = integer(day, (*path, "weekend", str(i)), minimum=1)
        if number > 7:
            raise Bad(f"an ISO weekday is 1 (Monday) to 7 (Sunday), got {number}", (*path, "weekend", str(i)))
        weekend.add(number)
    holidays = frozenset(
        date_value(day, (*path, "holidays", str(i)))
        for i, day in enumerate(as_list(entry.get("holidays", []) or [], (*path, "holidays")))
    )
    return Calendar(
        timezone=tagged(require_at(entry, "timezone", path), (*path, "timezone"), zone),
        first_day=tagged(require_at(entry, "first_day", path), (*path, "first_day"), first_day),
        weekend=frozenset(weekend),
        holidays=holidays,
    )


def _moc_route(value: Any, path: Path_) -> str:
    if value not in ("secretariat", "jc"):
        raise Bad(f"must be secretariat or jc, got {value!r}", path)
    return str(value)


_PARAMETER_READERS: dict[str, Callable[[Any, Path_], Any]] = {
    "materiality_threshold": opt_decimal,
    "eligible_operation_start_from": opt_date,
    "crediting_period_latest_end": opt_date,
    "crediting_period_max_years": lambda v, p: opt_integer(v, p, minimum=1),
    "crediting_period_max_renewals": opt_integer,
    "double_registration_site_tolerance_m": decimal_value,
    "submissions_to_both_secretariats": boolean,
    "remote_onsite_assessment": opt_boolean,
    "monitoring_periods_in_sequence": boolean,
    "allocation_requires_both_sides": boolean,
    "moc_change_accepted_by": _moc_route,
    "same_tpe_validation_and_verification": boolean,
}
assert set(_PARAMETER_READERS) == set(PARAMETER_KEYS)


def _collect[T](problems: list[Bad], fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except Bad as bad:
        problems.append(bad)
        return None


def parse_merged(data: dict[str, Any], stem: str, file: str, digest: str) -> tuple[RuleSet | None, list[Bad]]:
    """Build a RuleSet from merged raw data; return it (or None) with every problem found."""
    bad: list[Bad] = []
    for key in data:
        if key not in TOP_KEYS:
            bad.append(Bad(f"unknown key; expected one of {', '.join(sorted(TOP_KEYS))}", (key,)))

    def top_id() -> str:
        value = text(require(data, "id"), ("id",))
        if not ID_RE.match(value):
            raise Bad(f"an id is letters, digits, '.', '_' and '-', got {value!r}", ("id",))
        if value != stem:
            raise Bad(f"must equal the file name without .yaml ({stem!r}), got {value!r}", ("id",))
        return value

    def partner() -> str | None:
        value = data.get("partner")
        if value is None:
            return None
        code = text(value, ("partner",))
        if not PARTNER_RE.match(code) or code == "JP":
            raise Bad(f"must be the partner's ISO-2 code in upper case (not JP), or null, got {code!r}", ("partner",))
        return code

    def generation() -> Generation:
        value = require(data, "generation")
        if value not in {g.value for g in Generation}:
            raise Bad(f"must be legacy or article6, got {value!r}", ("generation",))
        return Generation(value)

    def str_list(key: str) -> tuple[str, ...]:
        return tuple(text(v, (key, str(i))) for i, v in enumerate(as_list(data.get(key, []) or [], (key,))))

    rule_id = _collect(bad, top_id)
    partner_code = _collect(bad, partner)
    gen = _collect(bad, generation)
    version = _collect(bad, lambda: integer(require(data, "version"), ("version",), minimum=1))
    effective_from = _collect(bad, lambda: date_value(require(data, "effective_from"), ("effective_from",)))
    effective_conf = _collect(
        bad, lambda: confidence_tag(require(data, "effective_from_confidence"), ("effective_from_confidence",))
    )
    title = _collect(bad, lambda: text(require(data, "title"), ("title",)))
    sources = _collect(bad, lambda: str_list("sources"))
    notes = _collect(bad, lambda: str_list("notes"))
    extends = _collect(bad, lambda: opt_text(data.get("extends"), ("extends",)))
    calendar = _collect(bad, lambda: _calendar(require(data, "calendar"), ("calendar",)))

    deadlines: dict[str, DayCount] = {}
    raw_deadlines = _collect(bad, lambda: as_mapping(require(data, "deadlines"), ("deadlines",)))
    if raw_deadlines is not None:
        for key, raw in raw_deadlines.items():
            if key not in DEADLINE_KEYS:
                bad.append(Bad(f"unknown deadline; expected one of {', '.join(DEADLINE_KEYS)}", ("deadlines", key)))
                continue
            count = _collect(bad, partial(_day_count, key, raw, ("deadlines", key)))
            if count is not None:
                deadlines[key] = count
        for key in DEADLINE_KEYS:
            if key not in raw_deadlines:
                bad.append(Bad("missing (state days: null, confidence: GAP when unknown)", ("deadlines", key)))

    features: dict[str, Tagged[bool]] = {}
    raw_features = _collect(bad, lambda: as_mapping(require(data, "features"), ("features",)))
    if raw_features is not None:
        for key, raw in raw_features.items():
            if key not in FEATURES:
                bad.append(Bad(f"unknown feature; expected one of {', '.join(FEATURES)}", ("features", key)))
                continue
            flag = _collect(bad, partial(tagged, raw, ("features", key), boolean))
            if flag is not None:
                features[key] = flag
        for key in FEATURES:
            if key not in raw_features:
                bad.append(Bad("missing", ("features", key)))

    forms: dict[str, FormSpec] = {}
    raw_forms = _collect(bad, lambda: as_mapping(require(data, "forms"), ("forms",)))
    if raw_forms is not None:
        for code, raw in raw_forms.items():
            spec = _collect(bad, partial(_form, code, raw, ("forms", code)))
            if spec is not None:
                forms[code] = spec

    steps: dict[str, tuple[str, ...]] = {}
    raw_steps = _collect(bad, lambda: as_mapping(require(data, "steps"), ("steps",)))
    if raw_steps is not None:
        for step, raw in raw_steps.items():
            if step not in STEPS:
                bad.append(Bad(f"unknown step; expected one of {', '.join(STEPS)}", ("steps", step)))
                continue
            codes = _collect(bad, partial(as_list, raw if raw is not None else [], ("steps", step)))
            if codes is None:
                continue
            checked: list[str] = []
            for i, code in enumerate(codes):
                if code not in (raw_forms or {}):
                    bad.append(Bad(f"form {code!r} is not in this rule set's forms", ("steps", step, str(i))))
                else:
                    checked.append(str(code))
            steps[step] = tuple(checked)
        for step in STEPS:
            if step not in raw_steps:
                bad.append(Bad("missing (write [] when the step needs no form)", ("steps", step)))

    translations: list[TranslationRequirement] = []
    raw_translations = _collect(bad, lambda: as_list(data.get("translations", []) or [], ("translations",)))
    for i, raw in enumerate(raw_translations or []):
        path = ("translations", str(i))

        def translation(raw: Any = raw, path: Path_ = path) -> TranslationRequirement:
            entry = as_mapping(raw, path)
            no_unknown_keys(entry, frozenset({"language", "authoritative", "steps", "confidence", "source"}), path)
            language = text(require_at(entry, "language", path), (*path, "language"))
            authoritative = text(entry.get("authoritative", "en"), (*path, "authoritative"))
            for key, value in (("language", language), ("authoritative", authoritative)):
                if not LANGUAGE_RE.match(value):
                    raise Bad(f"must be an ISO 639 code in lower case, got {value!r}", (*path, key))
            step_names = as_list(require_at(entry, "steps", path), (*path, "steps"))
            for j, step in enumerate(step_names):
                if step not in STEPS:
                    raise Bad(f"unknown step {step!r}", (*path, "steps", str(j)))
            return TranslationRequirement(
                language=language,
                authoritative=authoritative,
                steps=frozenset(str(s) for s in step_names),
                confidence=confidence_tag(require_at(entry, "confidence", path), (*path, "confidence")),
                source=text(entry.get("source", ""), (*path, "source"), allow_empty=True),
            )

        requirement = _collect(bad, translation)
        if requirement is not None:
            translations.append(requirement)

    parameter_values: dict[str, Any] = {}
    raw_parameters = _collect(bad, lambda: as_mapping(require(data, "parameters"), ("parameters",)))
    if raw_parameters is not None:
        for key, raw in raw_parameters.items():
            if key not in PARAMETER_KEYS:
                bad.append(Bad(f"unknown parameter; expected one of {', '.join(PARAMETER_KEYS)}", ("parameters", key)))
                continue
            value = _collect(bad, partial(tagged, raw, ("parameters", key), _PARAMETER_READERS[key]))
            if value is not None:
                parameter_values[key] = value
        for key in PARAMETER_KEYS:
            if key not in raw_parameters:
                bad.append(Bad("missing", ("parameters", key)))

    documents: dict[str, str] = {}
    raw_documents = _collect(bad, lambda: as_mapping(data.get("documents", {}) or {}, ("documents",)))
    for key, value in (raw_documents or {}).items():
        version_text = _collect(bad, partial(text, value, ("documents", key)))
        if version_text is not None and not VERSION_RE.match(version_text):
            bad.append(Bad(f"must look like ver01.0, got {version_text!r}", ("documents", key)))
        elif version_text is not None:
            documents[key] = version_text

    if bad:
        return None, bad
    assert rule_id is not None and gen is not None and version is not None and effective_from is not None
    assert effective_conf is not None and title is not None and calendar is not None
    assert sources is not None and notes is not None
    return (
        RuleSet(
            id=rule_id,
            partner=partner_code,
            generation=gen,
            version=version,
            effective_from=effective_from,
            effective_from_confidence=effective_conf,
            title=title,
            sources=sources,
            extends=extends,
            calendar=calendar,
            deadlines=deadlines,
            features=features,
            forms=forms,
            steps=steps,
            translations=tuple(translations),
            parameters=Parameters(**parameter_values),
            documents=documents,
            notes=notes,
            file=file,
            digest=digest,
        ),
        [],
    )
