"""Rule sets: what a country pair's rules say, version by version.

A rule set is one version of one pair's rules (or a default per generation, ``partner=None``),
in force from ``effective_from``. Every value that the reference marks as unconfirmed is data
here, with its confidence tag and source, never a constant in code. Decisions record the
``RuleSet.id`` they were taken under, so loading a newer version never changes an old decision:
look the old one up with :meth:`RuleSetCatalogue.get`.

The files live in ``data/rulesets/*.yaml``; :mod:`.ruleset_loader` parses them. This module holds
the value types, the vocabulary (deadline keys, steps, features, parameters) and the selection
of the version in force (:func:`rule_set_for`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from jcm.cycle.core.errors import RuleSetNotFound

#: Provenance tags of the reference (jcm-rules.md §0): V stated, D derived, K reported but
#: unconfirmed, GAP not found (so configurable, often ``None``), press from press reports.
CONFIDENCE_TAGS: tuple[str, ...] = ("V", "D", "K", "GAP", "press")
CONFIRMED_TAGS: frozenset[str] = frozenset({"V", "D"})


class Generation(StrEnum):
    LEGACY = "legacy"
    ARTICLE6 = "article6"


class DayKind(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class FirstDay(StrEnum):
    """Which day counts as day 1 of a window opened on day D (local time of the rule set)."""

    NEXT = "next"  # day 1 is D + 1 ("within 7 days of receipt")
    SAME = "same"  # day 1 is D itself


#: Every deadline or window the reference lists (§1.3, §1.7, §2.1-§2.5, §9.2, §10), plus the
#: grace period for superseded methodology versions (§2.1 GAP). Each rule set states all of them;
#: ``days: null`` with confidence GAP where no value is known.
DEADLINE_KEYS: tuple[str, ...] = (
    "methodology_completeness_check",
    "methodology_public_input",
    "methodology_jc_consideration",
    "methodology_previous_version_grace",
    "pin_completeness_check",
    "pin_jc_consideration",
    "pdd_public_input",
    "validation",
    "registration_completeness_check",
    "registration_jc_consideration",
    "issuance_completeness_check",
    "issuance_jc_consideration",
    "post_registration_change_completeness_check",
    "post_registration_change_jc_consideration",
    "moc_change_acceptance",
    "renewal_completeness_check",
    "renewal_jc_consideration",
    "withdrawal_processing",
    "implementation_report_interval",
)

#: The steps that carry documents. A rule set lists, per step, the form codes required. The
#: step names are ``<machine>.<action>`` of :mod:`.transitions` (change requests use their kind).
STEPS: tuple[str, ...] = (
    "methodology.submit",
    "methodology.request_revision",
    "project.submit_pin",
    "project.request_reference_emissions_assessment",
    "project.publish_pdd",
    "project.validate_positive",
    "project.request_registration",
    "project.withdraw_registration_request",
    "project.submit_implementation_report",
    "project.withdraw_project",
    "issuance.submit_for_verification",
    "issuance.verify",
    "issuance.request_issuance",
    "issuance.withdraw_issuance_request",
    "post_registration_change.submit",
    "moc_change.submit",
    "renewal.submit",
)

#: Article 6-generation additions (§0, §2.3), switched on per rule set.
FEATURES: tuple[str, ...] = (
    "pin_no_objection",
    "reference_emissions_assessment",
    "credit_allocation_form",
    "implementation_report",
    "crediting_period_renewal",
    "jc_conflict_of_interest_declaration",
)


@dataclass(frozen=True, slots=True)
class Tagged[T]:
    """A rule value with its confidence tag and the source it comes from."""

    value: T
    confidence: str
    source: str

    @property
    def confirmed(self) -> bool:
        return self.confidence in CONFIRMED_TAGS


@dataclass(frozen=True, slots=True)
class DayCount:
    """A deadline or window length. ``days is None`` means the reference gives no value (GAP)."""

    key: str
    days: int | None
    kind: DayKind
    confidence: str
    source: str
    extendable_to: int | None = None
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return self.confidence in CONFIRMED_TAGS


@dataclass(frozen=True, slots=True)
class FormSpec:
    """A form or document of the pair's package (codes of jcm-rules.md §0.1), version if known."""

    code: str
    name: str
    version: str | None  # "verNN.N"
    confidence: str
    source: str

    def file_name(self, partner_code: str) -> str | None:
        """The published file name ``JCM_<CC>_<code>_verNN.N`` (§0.1), or None if the version is unknown."""
        if self.version is None:
            return None
        return f"JCM_{partner_code}_{self.code}_{self.version}"


@dataclass(frozen=True, slots=True)
class TranslationRequirement:
    """Documents of these steps also need a reference translation into ``language`` (§2.5, §9.4)."""

    language: str
    authoritative: str
    steps: frozenset[str]
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class Calendar:
    """How days are counted: the local time zone, day 1, the weekend and holidays for working days."""

    timezone: Tagged[str]
    first_day: Tagged[FirstDay]
    weekend: frozenset[int]  # ISO weekday numbers, Monday = 1
    holidays: frozenset[datetime.date]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone.value)


@dataclass(frozen=True, slots=True)
class Parameters:
    """Scalar rules of a rule set. Unknown values (GAP) are ``None`` unless a default is safe."""

    materiality_threshold: Tagged[Decimal | None]
    eligible_operation_start_from: Tagged[datetime.date | None]
    crediting_period_latest_end: Tagged[datetime.date | None]
    crediting_period_max_years: Tagged[int | None]
    crediting_period_max_renewals: Tagged[int | None]
    double_registration_site_tolerance_m: Tagged[Decimal]
    submissions_to_both_secretariats: Tagged[bool]
    remote_onsite_assessment: Tagged[bool | None]
    monitoring_periods_in_sequence: Tagged[bool]
    allocation_requires_both_sides: Tagged[bool]
    moc_change_accepted_by: Tagged[str]  # "secretariat" or "jc"
    same_tpe_validation_and_verification: Tagged[bool]


#: Parameter names (the fields of :class:`Parameters`), in file order.
PARAMETER_KEYS: tuple[str, ...] = tuple(Parameters.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One version of one pair's rules (``partner is None``: the default of its generation)."""

    id: str
    partner: str | None
    generation: Generation
    version: int
    effective_from: datetime.date
    effective_from_confidence: str
    title: str
    sources: tuple[str, ...]
    extends: str | None
    calendar: Calendar
    deadlines: Mapping[str, DayCount]
    features: Mapping[str, Tagged[bool]]
    forms: Mapping[str, FormSpec]
    steps: Mapping[str, tuple[str, ...]]
    translations: tuple[TranslationRequirement, ...]
    parameters: Parameters
    documents: Mapping[str, str]  # rule documents in force, e.g. {"PCP": "ver06.0"}
    notes: tuple[str, ...]
    file: str
    digest: str  # sha256 of the resolved content: store it with decisions to detect in-place edits

    def deadline(self, key: str) -> DayCount:
        """The day count for ``key`` (one of :data:`DEADLINE_KEYS`); KeyError for an unknown key."""
        return self.deadlines[key]

    def has(self, feature: str) -> bool:
        """Whether this rule set provides an Article 6-generation feature (one of :data:`FEATURES`)."""
        return self.features[feature].value

    def forms_for(self, step: str) -> tuple[FormSpec, ...]:
        """The forms required at ``step`` (one of :data:`STEPS`)."""
        return tuple(self.forms[code] for code in self.steps.get(step, ()))

    def translations_for(self, step: str) -> tuple[TranslationRequirement, ...]:
        """The translation requirements that apply to the documents of ``step``."""
        return tuple(t for t in self.translations if step in t.steps)


@dataclass(frozen=True, slots=True)
class RuleSetCatalogue:
    """Every loaded rule set. Look up a decision's rule set by id; pick the one in force by date."""

    rule_sets: tuple[RuleSet, ...]

    def get(self, rule_set_id: str) -> RuleSet:
        """The rule set with this id (the one a past decision was taken under)."""
        for rule_set in self.rule_sets:
            if rule_set.id == rule_set_id:
                return rule_set
        raise RuleSetNotFound(f"no rule set has the id {rule_set_id!r}")

    def versions(self, partner: str | None, generation: Generation | None = None) -> tuple[RuleSet, ...]:
        """The versions for a pair (or, with ``partner=None``, the defaults of ``generation``), oldest first."""
        found = [
            r
            for r in self.rule_sets
            if r.partner == partner and (partner is not None or generation is None or r.generation == generation)
        ]
        return tuple(sorted(found, key=lambda r: (r.effective_from, r.version)))


def _in_force(candidates: Iterable[RuleSet], on_date: datetime.date) -> RuleSet | None:
    in_force = [r for r in candidates if r.effective_from <= on_date]
    if not in_force:
        return None
    return max(in_force, key=lambda r: (r.effective_from, r.version))


def rule_set_for(
    catalogue: RuleSetCatalogue,
    partner_code: str,
    on_date: datetime.date,
    *,
    generation: Generation | str | None = None,
) -> RuleSet:
    """The rule set in force for Japan–``partner_code`` on ``on_date``.

    The pair's own latest version with ``effective_from <= on_date`` wins. When the pair has none
    in force, the default rule set of ``generation`` (the pair's generation from the reference
    data) in force on that date is used. Raises :class:`RuleSetNotFound` naming the pair and date
    when neither exists.
    """
    own = _in_force(catalogue.versions(partner_code), on_date)
    if own is not None:
        return own
    if generation is None:
        raise RuleSetNotFound(
            f"no rule set of the pair JP-{partner_code} is in force on {on_date.isoformat()}, "
            "and no generation was given to fall back to a default rule set"
        )
    gen = Generation(generation)
    default = _in_force(catalogue.versions(None, gen), on_date)
    if default is None:
        raise RuleSetNotFound(
            f"no rule set of the pair JP-{partner_code} and no default {gen.value} rule set "
            f"is in force on {on_date.isoformat()}"
        )
    return default
