"""A serial's history: every journal step that touched it, in journal order.

Two kinds of step: the movements that moved it (issuance, transfers, international transfers,
cancellation, retirement: the ``registry_movement`` rows of its issuance that cover it, index
``registry_movement_serial``) and the Article 6 actions recorded on it (authorisation, corresponding
adjustments: journal entries without a movement, read through the partial index
``registry_journal_actions``, which transfers are not in, and kept where one of their ranges holds
the serial). ``queries.serial_lookup`` puts them together; the page, the API and the CLI show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from jcm.registry.core.serials import covering


@dataclass(frozen=True)
class Step:
    """One journal entry that touched the serial: what happened (``kind``), to which of its serials
    (``start``..``end``: the piece of the movement, or the range of the action, that holds it)."""

    sequence: int
    kind: str  # issuance, transfer, international_transfer, cancellation, retirement, authorisation,
    # corresponding_adjustment
    occurred_at: str
    start: int
    end: int
    from_account: str | None
    to_account: str | None
    to_registry: str | None
    first_transfer: bool = False  # this step was the serial's Article 6 first transfer
    authorisation_id: str = ""  # authorisation
    date: str = ""  # authorisation: the Party's date; corresponding_adjustment: recorded on ("" if not kept)
    purposes: list[str] = field(default_factory=list)  # authorisation
    first_transfer_trigger: str = ""  # authorisation: what counts as first transfer
    party: str = ""  # corresponding_adjustment: the adjusting Party
    year: int | None = None  # corresponding_adjustment: the year it applies to


# The movements of an issuance that cover a serial. The payload is read only for the kinds whose
# entry can be a first transfer (not for transfers, the bulk of the journal).
_MOVES = """
SELECT e.sequence, t.kind, e.occurred_at, m.start, m."end", fa.number, ta.number, tr.code,
       CASE WHEN t.kind IN ('international_transfer', 'cancellation', 'retirement') THEN e.payload END
FROM registry_movement m
JOIN registry_transaction t ON t.id = m.transaction_id
JOIN registry_journalentry e ON e.id = t.entry_id
LEFT JOIN registry_account fa ON fa.id = t.from_account_id
LEFT JOIN registry_account ta ON ta.id = t.to_account_id
LEFT JOIN registry_registry tr ON tr.id = t.to_registry_id
WHERE m.issuance_id = %s AND m.start <= %s AND m."end" >= %s
ORDER BY e.sequence
"""

# Article 6 actions after the serial's issuance. The kinds are literals so that PostgreSQL proves the
# partial index's condition (``kind IN (...)``) from the query's.
_ACTIONS = """
SELECT sequence, kind, occurred_at, payload
FROM registry_journalentry
WHERE kind IN ({kinds}) AND sequence > %s
ORDER BY sequence
"""


def _json_dict(value: object) -> dict[str, Any]:
    """JSON columns come back decoded on PostgreSQL and as text on SQLite."""
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def movement_steps(cur: Any, *, issuance_id: int, serial: int) -> list[Step]:
    """The movements that moved ``serial`` (of issuance ``issuance_id``), in journal order."""
    cur.execute(_MOVES, [issuance_id, serial, serial])
    steps = []
    for sequence, kind, occurred_at, start, end, from_account, to_account, to_registry, payload in cur.fetchall():
        first = payload is not None and covering(_json_dict(payload).get("first_transferred"), serial) is not None
        steps.append(
            Step(sequence, kind, occurred_at, start, end, from_account, to_account, to_registry, first_transfer=first)
        )
    return steps


def article6_steps(cur: Any, *, serial: int, after: int, adjusted: bool) -> list[Step]:
    """The Article 6 actions recorded on ``serial`` after journal entry ``after`` (its issuance):
    authorisations, and corresponding adjustments if ``adjusted`` (its block records any)."""
    kinds = "'authorisation', 'corresponding_adjustment'" if adjusted else "'authorisation'"
    cur.execute(_ACTIONS.format(kinds=kinds), [after])
    steps = []
    for sequence, kind, occurred_at, raw in cur.fetchall():
        p = _json_dict(raw)
        held = covering(p.get("ranges"), serial)
        if held is None:
            continue
        date = p.get("date")
        common: dict[str, Any] = {
            "sequence": sequence,
            "kind": kind,
            "occurred_at": occurred_at,
            "start": held.start,
            "end": held.end,
            "from_account": None,
            "to_account": None,
            "to_registry": None,
            "date": date if isinstance(date, str) else "",
        }
        if kind == "authorisation":
            trigger = str(p.get("first_transfer_trigger") or "international_transfer")
            purposes = p.get("purposes")
            steps.append(
                Step(
                    **common,
                    authorisation_id=str(p.get("authorisation_id") or ""),
                    purposes=[str(x) for x in purposes] if isinstance(purposes, list) else [],
                    first_transfer_trigger=trigger,
                    first_transfer=trigger == "authorisation",
                )
            )
        else:
            year = p.get("year")
            steps.append(
                Step(**common, party=str(p.get("party") or ""), year=year if isinstance(year, int) else None)
            )
    return steps


def merge(*histories: list[Step]) -> list[Step]:
    """The steps of several histories in journal order."""
    return sorted((s for h in histories for s in h), key=lambda s: s.sequence)
