"""Reads of the MRV capability as plain dicts (pages, PDF and API share them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from jcm.mrv.core import MrvError, get_methodology, list_methodologies
from jcm.mrv.core.spec import Methodology, ValidRange
from jcm.mrv.models import Calculation

DISPLAY_PLACES = 6


def _range_text(r: ValidRange) -> str:
    if r.low is None and r.high is None:
        return ""
    return r.describe()


def _catalogue_entry(m: Methodology) -> dict[str, Any]:
    return {
        "jcm_id": m.jcm_id,
        "version": m.version,
        "title": m.title,
        "country_pair": list(m.country_pair),
        "partner_country": m.partner_country,
        "sectoral_scope": m.sectoral_scope,
        "family": m.family,
        "status": m.status,
        "approved_on": m.approved_on.isoformat() if m.approved_on else None,
        "unconfirmed_count": len(m.unconfirmed()),
        "parameters": [
            {
                "key": p.key,
                "symbol": p.symbol,
                "kind": p.kind.value,
                "unit": p.unit,
                "confirmed": p.confirmed,
                "default": None
                if p.default is None
                else {"value": str(p.default.value), "confirmed": p.default.source.confidence.confirmed},
            }
            for p in m.parameters
        ],
    }


def methodology_catalogue() -> list[dict[str, Any]]:
    """Every shipped methodology, with confirmed flags per parameter and per default value."""
    return [_catalogue_entry(m) for m in list_methodologies()]


def methodology_spec(jcm_id: str) -> dict[str, Any] | None:
    """The spec exactly as ``jcm mrv describe ID --json`` prints it; None for an unknown ID."""
    try:
        return get_methodology(jcm_id).to_dict()
    except MrvError:
        return None


def methodology_detail(jcm_id: str) -> dict[str, Any] | None:
    """The spec plus what a page needs (valid ranges as text, counts); None for an unknown ID."""
    try:
        m = get_methodology(jcm_id)
    except MrvError:
        return None
    spec = m.to_dict()
    for param, out in zip(m.parameters, spec["parameters"], strict=True):
        out["valid_range_text"] = _range_text(param.valid_range)
    spec["partner_country"] = m.partner_country
    spec["rounding"]["text"] = m.rounding.text
    spec["unconfirmed_count"] = len(spec["unconfirmed"])
    return spec


def display(value: str | None) -> str:
    """A Decimal string shortened for reading (at most 6 decimal places); the exact value stays in the data."""
    if value is None:
        return ""
    try:
        d = Decimal(value)
    except InvalidOperation:
        return value
    exp = d.as_tuple().exponent
    if isinstance(exp, int) and exp < -DISPLAY_PLACES:
        d = d.quantize(Decimal(1).scaleb(-DISPLAY_PLACES)).normalize()
    return f"{d:,f}"


def _period_view(p: dict[str, Any]) -> dict[str, Any]:
    trace = [{**s, "display": display(s["value"]), "exact": s["value"]} for s in p["trace"]]
    return {
        **p,
        "re_display": display(p["re"]),
        "pe_display": display(p["pe"]),
        "er_exact_display": display(p["er_exact"]),
        "trace": trace,
        "unconfirmed_steps": [s for s in trace if not s["confirmed"]],
        "corrections": [
            {
                **c,
                "before_display": display(c["before"]),
                "after_display": display(c["after"]),
                "er_effect_display": display(c["er_effect"]),
            }
            for c in p["corrections"]
        ],
    }


def calculation_report(public_id: UUID | str) -> dict[str, Any] | None:
    """One stored calculation with its result and trace; None when there is none."""
    try:
        key = public_id if isinstance(public_id, UUID) else UUID(str(public_id))
    except ValueError:
        return None
    calc = Calculation.objects.select_related("created_by").filter(public_id=key).first()
    if calc is None:
        return None
    result = calc.result
    return {
        "id": str(calc.public_id),
        "kind": calc.kind,
        "jcm_id": calc.jcm_id,
        "methodology_version": calc.methodology_version,
        "methodology_title": calc.methodology_title,
        "periods": calc.periods,
        "inputs": calc.inputs,
        "input_digest": calc.input_digest,
        "submitted": calc.submitted,
        "re_total": calc.re_total,
        "pe_total": calc.pe_total,
        "re_total_display": display(calc.re_total),
        "pe_total_display": display(calc.pe_total),
        "er_total": calc.er_total,
        "credits": calc.credits,
        "label": calc.label,
        "created_by": calc.created_by.get_username() if calc.created_by else None,
        "created_at": calc.created_at,
        "differences": calc.differences,
        "matches": not calc.differences,
        "unconfirmed": result.get("unconfirmed", []),
        "result": result,
        "period_results": [_period_view(p) for p in result.get("periods", [])],
    }
