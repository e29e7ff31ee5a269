"""Plain value types for the JCM reference data (one dataclass per CSV file).

Field names and order match the CSV columns exactly. Empty optional cells become ``None``
(dates, integers) or ``""`` (free text and optional codes).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

#: Provenance tags used by the reference documents.
CONFIDENCE_TAGS: tuple[str, ...] = ("V", "D", "K", "GAP", "press")
#: Tags that count as confirmed: stated in the cited source (V) or derived from it by arithmetic (D).
CONFIRMED_TAGS: frozenset[str] = frozenset({"V", "D"})
#: Japan's own row in countries.csv; every other country is a partner.
JAPAN_CODE = "JP"

GENERATIONS: tuple[str, ...] = ("legacy", "article6")
TPE_STATUSES: tuple[str, ...] = ("designated", "suspended", "withdrawn")
TPE_FUNCTIONS: tuple[str, ...] = ("validation", "verification")
METHODOLOGY_STATUSES: tuple[str, ...] = ("approved", "inactive", "superseded", "withdrawn")
EMISSION_FACTOR_KINDS: tuple[str, ...] = (
    "OM",  # operating margin (CDM TOOL07)
    "BM",  # build margin
    "CM",  # combined margin, weights not stated
    "CM_wind_solar",  # combined margin for wind/solar (w_OM 0.75, w_BM 0.25)
    "CM_other",  # combined margin for other project types
    "grid",  # a published grid factor of unstated method
    "captive",  # captive (on-site) generation factor
    "JCM_case1",  # JCM conservative EF, case 1 (grid directly / internal grid without captive)
    "JCM_case2",  # JCM conservative EF, case 2 (internal grid also fed by captive/isolated supply)
    "estimate",  # value assumed in a study or application, not an official factor
)


class _Sourced:
    """Records that carry a ``confidence`` tag: confirmed when it is V or D."""

    __slots__ = ()
    confidence: str

    @property
    def confirmed(self) -> bool:
        return _is_confirmed(self.confidence)


def _is_confirmed(confidence: str) -> bool:
    return confidence in CONFIRMED_TAGS


@dataclass(frozen=True, slots=True)
class Country(_Sourced):
    code: str
    name_en: str
    name_ja: str
    partner_order: int | None
    signed_on: datetime.date | None
    signed_on_text: str
    confidence: str
    source: str


    @property
    def is_japan(self) -> bool:
        return self.code == JAPAN_CODE


@dataclass(frozen=True, slots=True)
class CountryPair(_Sourced):
    partner_code: str
    generation: str
    generation_confidence: str
    first_jc_on: datetime.date | None
    jc_secretariat_email: str
    rules_note: str
    confidence: str
    source: str


    @property
    def generation_confirmed(self) -> bool:
        return _is_confirmed(self.generation_confidence)


@dataclass(frozen=True, slots=True)
class SectoralScope(_Sourced):
    number: int
    name_en: str
    name_ja: str
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class Tpe(_Sourced):
    tpe_id: str
    partner_code: str
    name: str
    status: str
    designated_on: datetime.date | None
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class TpeDesignation(_Sourced):
    tpe_id: str
    function: str
    scopes: tuple[int, ...]
    expires_on: datetime.date | None
    designated_on: datetime.date | None
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class Methodology(_Sourced):
    jcm_id: str
    partner_code: str
    title: str
    version: str
    sectoral_scope: int | None
    approved_on: datetime.date | None
    status: str
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class GridEmissionFactor(_Sourced):
    partner_code: str
    grid: str
    kind: str
    value: Decimal
    unit: str
    year_or_period: str
    used_by: tuple[str, ...]
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class ReferenceDataset:
    """Everything in data/reference, validated. ``version`` identifies the exact file contents."""

    countries: tuple[Country, ...]
    country_pairs: tuple[CountryPair, ...]
    sectoral_scopes: tuple[SectoralScope, ...]
    tpes: tuple[Tpe, ...]
    tpe_designations: tuple[TpeDesignation, ...]
    methodologies: tuple[Methodology, ...]
    grid_emission_factors: tuple[GridEmissionFactor, ...]
    version: str

    def country(self, code: str) -> Country:
        """The country with this ISO code; raises KeyError if there is none."""
        for country in self.countries:
            if country.code == code:
                return country
        raise KeyError(code)

    def pair(self, partner_code: str) -> CountryPair:
        """The country pair of Japan and this partner; raises KeyError if there is none."""
        for pair in self.country_pairs:
            if pair.partner_code == partner_code:
                return pair
        raise KeyError(partner_code)
