"""Reads of the MRV capability as plain dicts (pages, PDF and API share them)."""

from __future__ import annotations

from collections.abc import Callable
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


# Further relations that let a signed-in user read a stored calculation, added by higher layers at start-up
# (the project cycle adds "the TPE assigned to verify the monitoring report that uses it"): f(user, calc).
VIEW_RULES: list[Callable[[Any, Calculation], bool]] = []


def _organisations(user: Any) -> set[int]:
    from jcm.accounts.queries import organisations_of

    return set(organisations_of(user))


def _pair_of(calc: Calculation) -> str | None:
    try:
        return get_methodology(calc.jcm_id).partner_country
    except MrvError:
        return None


def may_see_details(user: Any, calc: Calculation) -> bool:
    """Whether ``user`` reads ``calc`` as an insider (public or not): its creator, a person of one of the
    creator's organisations, the JC (members, secretariat) of the methodology's pair, a platform
    administrator, or a relation a higher layer registered in :data:`VIEW_RULES`."""
    from jcm.accounts.core.roles import Role
    from jcm.accounts.queries import has_role

    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or has_role(user, Role.PLATFORM_ADMIN):
        return True
    if calc.created_by_id is not None:
        if calc.created_by_id == user.pk:
            return True
        if _organisations(user) & _organisations(calc.created_by):
            return True
    pair = _pair_of(calc)
    if pair is not None and (has_role(user, Role.JC_MEMBER, pair) or has_role(user, Role.JC_SECRETARIAT, pair)):
        return True
    return any(rule(user, calc) for rule in VIEW_RULES)


def may_view(user: Any, calc: Calculation) -> bool:
    """A published calculation is readable by anyone; otherwise see :func:`may_see_details`."""
    return calc.public or may_see_details(user, calc)


def find_calculation(public_id: UUID | str) -> Calculation | None:
    try:
        key = public_id if isinstance(public_id, UUID) else UUID(str(public_id))
    except ValueError:
        return None
    return Calculation.objects.select_related("created_by").filter(public_id=key).first()


def run_by_organisation(calc: Calculation) -> str:
    """The names of the organisations of the person who ran it (shown instead of the person), or ""."""
    from jcm.accounts.models import Organisation

    if calc.created_by_id is None:
        return ""
    ids = _organisations(calc.created_by)
    return ", ".join(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True))


def calculation_report(public_id: UUID | str, *, user: Any) -> dict[str, Any] | None:
    """One stored calculation with its result and trace, as ``user`` may read it; None when there is none
    or when ``user`` may not read it (not published, and not an insider: :func:`may_see_details`).

    The username of the person who ran it is given to insiders only; others see the organisation."""
    calc = find_calculation(public_id)
    if calc is None or not may_view(user, calc):
        return None
    insider = may_see_details(user, calc)
    result = calc.result
    return {
        "id": str(calc.public_id),
        "public": calc.public,
        "may_publish": bool(calc.created_by_id is not None and getattr(user, "pk", None) == calc.created_by_id),
        "run_by_organisation": run_by_organisation(calc),
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
        "created_by": calc.created_by.get_username() if calc.created_by and insider else None,
        "created_at": calc.created_at,
        "differences": calc.differences,
        "matches": not calc.differences,
        "unconfirmed": result.get("unconfirmed", []),
        "result": result,
        "period_results": [_period_view(p) for p in result.get("periods", [])],
    }
