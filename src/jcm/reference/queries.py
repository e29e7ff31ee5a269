"""Reads of the reference data, as plain dicts shared by the public pages, the API and CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import get_language

from jcm.reference import models as m


def _ja() -> bool:
    return (get_language() or "ja").startswith("ja")


def _name(obj: Any) -> str:
    return str(obj.name_ja if _ja() and obj.name_ja else obj.name_en)


def headline_figures() -> dict[str, int]:
    """The home page's figures: partner countries, pairs, TPEs, approved methodologies, scopes."""
    return {
        "partner_countries": m.Country.objects.exclude(code="JP").filter(partner_order__isnull=False).count(),
        "country_pairs": m.CountryPair.objects.count(),
        # TPEs on record that are not withdrawn or suspended (a blank status means "as published").
        "tpes": m.Tpe.objects.exclude(status__in=[m.TpeStatus.WITHDRAWN, m.TpeStatus.SUSPENDED]).count(),
        "approved_methodologies": m.Methodology.objects.filter(status="approved")
        .values("jcm_id").distinct().count(),
        "sectoral_scopes": m.SectoralScope.objects.count(),
    }


def _country_row(c: m.Country) -> dict[str, Any]:
    pair = getattr(c, "pair", None)
    return {
        "code": c.code,
        "name": _name(c),
        "name_en": c.name_en,
        "name_ja": c.name_ja,
        "partner_order": c.partner_order,
        "signed_on": c.signed_on,
        "signed_on_text": c.signed_on_text,
        "generation": pair.generation if pair else None,
        "confirmed": c.confirmed,
        "confidence": c.confidence,
        "source": c.source,
    }


def list_partner_countries() -> list[dict[str, Any]]:
    countries = m.Country.objects.exclude(code="JP").select_related("pair").order_by(
        F("partner_order").asc(nulls_last=True), "code")
    return [_country_row(c) for c in countries]


def _tpe_row(t: m.Tpe, *, on: date | None = None) -> dict[str, Any]:
    designations = []
    for d in t.designations.all():
        expired = bool(on and d.expires_on and d.expires_on < on)
        designations.append({
            "function": d.function,
            "scopes": sorted(s.number for s in d.scopes.all()),
            "expires_on": d.expires_on,
            "designated_on": d.designated_on,
            "expired": expired,
            "confirmed": d.confirmed,
        })
    return {
        "tpe_id": t.tpe_id,
        "name": t.name,
        "partner_code": t.pair.partner.code,
        "partner_name": _name(t.pair.partner),
        "status": t.status,
        "designated_on": t.designated_on,
        "designations": designations,
        "confirmed": t.confirmed,
        "confidence": t.confidence,
        "source": t.source,
    }


def list_tpes(*, partner_code: str | None = None, on: date | None = None,
              tpe_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The published TPE list (one pair's, or these IDs'), each with the designations the reference gives."""
    qs = m.Tpe.objects.select_related("pair__partner").prefetch_related("designations__scopes")
    if partner_code:
        qs = qs.filter(pair__partner__code=partner_code.upper())
    if tpe_ids is not None:
        qs = qs.filter(tpe_id__in=tpe_ids)
    return [_tpe_row(t, on=on) for t in qs.order_by("tpe_id")]


def _methodology_row(me: m.Methodology) -> dict[str, Any]:
    return {
        "jcm_id": me.jcm_id,
        "version": me.version,
        "title": me.title,
        "partner_code": me.pair.partner.code,
        "partner_name": _name(me.pair.partner),
        "sectoral_scope": me.sectoral_scope.number if me.sectoral_scope else None,
        "sectoral_scope_name": _name(me.sectoral_scope) if me.sectoral_scope else "",
        "approved_on": me.approved_on,
        "status": me.status,
        "confirmed": me.confirmed,
        "confidence": me.confidence,
        "source": me.source,
    }


def list_methodologies(*, partner_code: str | None = None, scope: int | None = None) -> list[dict[str, Any]]:
    qs = m.Methodology.objects.select_related("pair__partner", "sectoral_scope")
    if partner_code:
        qs = qs.filter(pair__partner__code=partner_code.upper())
    if scope:
        qs = qs.filter(sectoral_scope__number=scope)
    return [_methodology_row(x) for x in qs.order_by("jcm_id", "version")]


def list_scopes() -> list[dict[str, Any]]:
    qs = m.SectoralScope.objects.annotate(
        methodology_count=Count("methodologies__jcm_id", distinct=True),
        tpe_count=Count("designations__tpe", distinct=True, filter=Q(designations__tpe__status="designated")),
    ).order_by("number")
    return [
        {
            "number": s.number, "name": _name(s), "name_en": s.name_en, "name_ja": s.name_ja,
            "methodology_count": s.methodology_count, "tpe_count": s.tpe_count,
            "confirmed": s.confirmed, "confidence": s.confidence, "source": s.source,
        }
        for s in qs
    ]


def list_emission_factors(*, partner_code: str | None = None) -> list[dict[str, Any]]:
    qs = m.GridEmissionFactor.objects.select_related("partner")
    if partner_code:
        qs = qs.filter(partner__code=partner_code.upper())
    return [
        {
            "partner_code": ef.partner.code, "partner_name": _name(ef.partner), "grid": ef.grid,
            "kind": ef.kind, "value": ef.value, "unit": ef.unit, "year_or_period": ef.year_or_period,
            "used_by": ef.used_by, "confirmed": ef.confirmed, "confidence": ef.confidence, "source": ef.source,
        }
        for ef in qs
    ]


def country_detail(code: str, *, on: date | None = None) -> dict[str, Any] | None:
    """One partner country with its pair, TPEs, methodologies and grid EFs; None if unknown."""
    country = m.Country.objects.select_related("pair").filter(code=code.upper()).exclude(code="JP").first()
    if country is None:
        return None
    row = _country_row(country)
    pair = getattr(country, "pair", None)
    row["pair"] = None if pair is None else {
        "generation": pair.generation,
        "generation_confirmed": pair.generation_confidence in m.CONFIRMED_TAGS,
        "first_jc_on": pair.first_jc_on,
        "jc_secretariat_email": pair.jc_secretariat_email,
        "rules_note": pair.rules_note,
        "confirmed": pair.confirmed,
        "source": pair.source,
    }
    row["tpes"] = list_tpes(partner_code=country.code, on=on)
    row["methodologies"] = list_methodologies(partner_code=country.code)
    row["emission_factors"] = list_emission_factors(partner_code=country.code)
    return row


def latest_load() -> dict[str, Any] | None:
    load = m.ReferenceLoad.objects.order_by("-loaded_at", "-id").first()
    if load is None:
        return None
    return {"version": load.version, "loaded_at": load.loaded_at, "counts": load.counts}
