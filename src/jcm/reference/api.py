"""/api/v1/reference: the reference data as JSON and CSV.

``/reference/countries/{code}`` and ``/reference/tpes`` are served by ``jcm.portal.api`` (same paths,
schemas extended with the designations the cycle recorded); their base schemas are here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jcm.reference import exports, queries

router = Router(tags=["reference"])


class CountryOut(Schema):
    code: str
    name_en: str
    name_ja: str
    partner_order: int | None
    signed_on: date | None
    signed_on_text: str
    generation: str | None
    confirmed: bool
    confidence: str
    source: str


class DesignationOut(Schema):
    function: str
    scopes: list[int]
    expires_on: date | None
    designated_on: date | None
    expired: bool
    confirmed: bool


class TpeOut(Schema):
    tpe_id: str
    name: str
    partner_code: str
    status: str
    designated_on: date | None
    designations: list[DesignationOut]
    confirmed: bool
    confidence: str
    source: str


class MethodologyOut(Schema):
    jcm_id: str
    version: str
    title: str
    partner_code: str
    sectoral_scope: int | None
    approved_on: date | None
    status: str
    confirmed: bool
    confidence: str
    source: str


class ScopeOut(Schema):
    number: int
    name_en: str
    name_ja: str
    methodology_count: int
    tpe_count: int
    confirmed: bool


class EmissionFactorOut(Schema):
    partner_code: str
    grid: str
    kind: str
    value: Decimal
    unit: str
    year_or_period: str
    used_by: str
    confirmed: bool
    confidence: str
    source: str


class PairOut(Schema):
    generation: str
    generation_confirmed: bool
    first_jc_on: date | None
    jc_secretariat_email: str
    rules_note: str
    confirmed: bool
    source: str


class HeadlineOut(Schema):
    partner_countries: int
    country_pairs: int
    tpes: int
    approved_methodologies: int
    sectoral_scopes: int


@router.get("/summary", response=HeadlineOut, summary="Headline figures")
def summary(request: HttpRequest) -> dict[str, int]:
    return queries.headline_figures()


@router.get("/countries", response=list[CountryOut], summary="Partner countries")
def countries(request: HttpRequest) -> list[dict[str, object]]:
    return queries.list_partner_countries()


@router.get("/methodologies", response=list[MethodologyOut], summary="Methodology catalogue")
def methodologies(request: HttpRequest, partner: str | None = None, scope: int | None = None) -> list[dict[str, object]]:
    if scope is not None and not 1 <= scope <= 15:
        raise HttpError(422, _("scope: must be a sectoral scope number from 1 to 15"))
    return queries.list_methodologies(partner_code=partner, scope=scope)


@router.get("/sectoral-scopes", response=list[ScopeOut], summary="The 15 JCM sectoral scopes")
def scopes(request: HttpRequest) -> list[dict[str, object]]:
    return queries.list_scopes()


@router.get("/grid-emission-factors", response=list[EmissionFactorOut], summary="Grid emission factors")
def emission_factors(request: HttpRequest, partner: str | None = None) -> list[dict[str, object]]:
    return queries.list_emission_factors(partner_code=partner)


@router.get("/export/{name}.csv", summary="CSV export (countries, tpes, methodologies, sectoral-scopes, "
            "grid-emission-factors)")
def export_csv(request: HttpRequest, name: str) -> HttpResponse:
    text = exports.export(name)
    if text is None:
        raise HttpError(404, _("name: no export called %(name)s; choose one of %(choices)s")
                        % {"name": name, "choices": ", ".join(exports.EXPORTS)})
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jcm-{name}.csv"'
    return response
