"""Public pages of the reference data (no login).

The per-pair page and the TPE list are in ``jcm.portal.views``: they also show what the cycle recorded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jcm.reference import queries


def countries(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/countries.html", {"countries": queries.list_partner_countries()})


def scopes(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/scopes.html", {"scopes": queries.list_scopes()})


def methodologies(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/methodologies.html", {"methodologies": queries.list_methodologies()})
