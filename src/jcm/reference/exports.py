"""CSV export of the reference data (the same rows the pages and API show)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from jcm.reference import queries


def _flatten_tpe(row: dict[str, Any]) -> list[dict[str, Any]]:
    base = {k: v for k, v in row.items() if k != "designations"}
    if not row["designations"]:
        return [{**base, "function": "", "scopes": "", "expires_on": ""}]
    return [
        {**base, "function": d["function"], "scopes": ";".join(str(s) for s in d["scopes"]),
         "expires_on": d["expires_on"] or ""}
        for d in row["designations"]
    ]


EXPORTS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "countries": queries.list_partner_countries,
    "tpes": lambda: [r for t in queries.list_tpes() for r in _flatten_tpe(t)],
    "methodologies": queries.list_methodologies,
    "sectoral-scopes": queries.list_scopes,
    "grid-emission-factors": queries.list_emission_factors,
}


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text with a header; None becomes an empty cell, booleans 'true'/'false'."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({
            k: ("" if v is None else ("true" if v is True else "false" if v is False else v))
            for k, v in row.items()
        })
    return out.getvalue()


def export(name: str) -> str | None:
    """The CSV text of one export by name, or None for an unknown name."""
    producer = EXPORTS.get(name)
    return None if producer is None else to_csv(producer())
