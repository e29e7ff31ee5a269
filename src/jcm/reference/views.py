"""Public pages of the reference data (no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jcm.reference import queries


def countries(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/countries.html", {"countries": queries.list_partner_countries()})


def country(request: HttpRequest, code: str) -> HttpResponse:
    detail = queries.country_detail(code, on=timezone.localdate())
    if detail is None:
        raise Http404(code)
    return render(request, "reference/country.html", {"c": detail})


def tpes(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/tpes.html", {"tpes": queries.list_tpes(on=timezone.localdate())})


def scopes(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/scopes.html", {"scopes": queries.list_scopes()})


def methodologies(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/methodologies.html", {"methodologies": queries.list_methodologies()})
