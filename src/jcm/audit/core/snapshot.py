"""Turn plain values into the JSON-safe form stored in an audit event's before/after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def jsonable(value: Any) -> Any:
    """Convert dates, decimals, enums, tuples and nested containers into JSON-safe values.

    Decimals become strings so that no precision is lost; floats are refused because a
    regulatory record must never carry a binary fraction.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in audit snapshots; use Decimal or int")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot snapshot a value of type {type(value).__name__}")
