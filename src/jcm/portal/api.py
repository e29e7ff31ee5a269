"""/api/v1/reference/countries/{code} and /api/v1/reference/tpes: the reference data with the TPE
designations the JC secretariats recorded on this platform (``jcm.portal.queries``).

Mounted under ``/reference`` next to ``jcm.reference.api`` with the same paths, operation IDs and
schema names as before; the schemas only gain fields (``recorded_designations`` on each TPE)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from jcm.audit.core.clock import system_now
from jcm.portal import queries
from jcm.reference.api import CountryOut, EmissionFactorOut, MethodologyOut, PairOut
from jcm.reference.api import TpeOut as ReferenceTpeOut

router = Router(tags=["reference"])


class RecordedDesignationOut(Schema):
    """A designation recorded by the JC secretariat of the pair on this platform."""

    function: str = Field(description="validation or verification")
    scopes: list[int]
    partner_code: str = Field(description="the partner country of the pair (JP–partner)")
    designated_on: date | None = Field(description="first valid day")
    expires_on: date | None = Field(description="last valid day")
    status: str = Field(description="as recorded: designated, suspended or withdrawn")
    status_since: date | None = Field(description="from when the status applies")
    state: str = Field(description="today: in_force, not_yet, expired, suspended or withdrawn")
    decision: str = Field(description="the JC decision number, if recorded")
    recorded_on: date


class TpeOut(ReferenceTpeOut):
    """A TPE: ``designations`` from the published reference list, ``recorded_designations`` recorded by
    the JC secretariat on this platform."""

    recorded_designations: list[RecordedDesignationOut]


class CountryDetailOut(CountryOut):
    pair: PairOut | None
    tpes: list[TpeOut]
    methodologies: list[MethodologyOut]
    emission_factors: list[EmissionFactorOut]


@router.get("/countries/{code}", response=CountryDetailOut, summary="One partner country and its pair",
            operation_id="jcm_reference_api_country")
def country(request: HttpRequest, code: str) -> dict[str, object]:
    detail = queries.country_detail(code, on=system_now().date())
    if detail is None:
        raise HttpError(404, _("code: no partner country %(code)s") % {"code": code})
    return detail


@router.get("/tpes", response=list[TpeOut], summary="Third-party entities and their designations",
            operation_id="jcm_reference_api_tpes")
def tpes(request: HttpRequest, partner: str | None = None) -> list[dict[str, object]]:
    return queries.list_tpes(partner_code=partner, on=system_now().date())
