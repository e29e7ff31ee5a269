"""Public reads that combine capabilities: the reference data with what the project cycle recorded.

The reference data (``jcm reference load``) publishes TPEs, sometimes with designations; the JC
secretariats record designations on this platform (``jcm.cycle.services.record_tpe_designation``),
and the cycle's TPE eligibility uses both. The public TPE pages and API show both, each labelled
with its source. ``jcm.reference`` may not read the cycle (it sits below it), so the combination
lives here, above both.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jcm.cycle import queries as cycle
from jcm.reference import queries as reference


def _with_recorded(rows: list[dict[str, Any]], *, on: date, partner_code: str | None) -> list[dict[str, Any]]:
    """Each TPE row gains ``recorded_designations`` (of the pair, when one is given); TPEs listed under
    another pair in the reference but recorded as designated in this one are added."""
    recorded = cycle.recorded_designations_by_tpe(on=on, partner_code=partner_code)
    listed = {r["tpe_id"] for r in rows}
    missing = sorted(set(recorded) - listed)
    if missing:
        rows = sorted([*rows, *reference.list_tpes(tpe_ids=missing, on=on)], key=lambda r: r["tpe_id"])
    for row in rows:
        row["recorded_designations"] = recorded.get(row["tpe_id"], [])
    return rows


def list_tpes(*, on: date, partner_code: str | None = None) -> list[dict[str, Any]]:
    """The public TPE list: each TPE's reference row (``designations``: from the published reference
    list) and ``recorded_designations`` (recorded by the JC secretariat on this platform, with their
    state on ``on``)."""
    return _with_recorded(reference.list_tpes(partner_code=partner_code, on=on), on=on, partner_code=partner_code)


def country_detail(code: str, *, on: date) -> dict[str, Any] | None:
    """One partner country as :func:`jcm.reference.queries.country_detail`, its TPEs as :func:`list_tpes`
    for the pair (recorded designations of this pair only); None if unknown."""
    detail = reference.country_detail(code, on=on)
    if detail is None:
        return None
    detail["tpes"] = _with_recorded(detail["tpes"], on=on, partner_code=detail["code"])
    return detail
