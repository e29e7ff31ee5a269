"""Field readers for rule-set files: typed values out of parsed YAML, or :class:`Bad` naming the key path.

Also finds the line of a key path in a YAML node tree, for error messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from jcm.cycle.core.rulesets import CONFIDENCE_TAGS, Tagged

Path_ = tuple[str, ...]


class Bad(Exception):
    """A value is wrong: ``reason`` and the key ``path`` where it is."""

    def __init__(self, reason: str, path: Path_ = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


def line_of(node: yaml.Node | None, path: Path_) -> int | None:
    """The 1-based line of the deepest part of ``path`` present in ``node``."""
    if node is None:
        return None
    line: int | None = node.start_mark.line + 1
    current: yaml.Node = node
    for part in path:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == part:
                    line = key_node.start_mark.line + 1
                    current = value_node
                    break
            else:
                return line
        elif isinstance(current, yaml.SequenceNode) and part.isdigit() and int(part) < len(current.value):
            current = current.value[int(part)]
            line = current.start_mark.line + 1
        else:
            return line
    return line


def has_path(data: Any, path: Path_) -> bool:
    current = data
    for part in path:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False
    return True


# --- scalar readers -------------------------------------------------------------------------


def require(mapping: Mapping[str, Any], key: str) -> Any:
    if key not in mapping:
        raise Bad("missing", (key,))
    return mapping[key]


def text(value: Any, path: Path_, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise Bad(f"must be a non-empty text, got {value!r}", path)
    return value


def opt_text(value: Any, path: Path_) -> str | None:
    return None if value is None else text(value, path)


def integer(value: Any, path: Path_, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"must be a whole number, got {value!r}", path)
    if value < minimum:
        raise Bad(f"must be at least {minimum}, got {value}", path)
    return value


def opt_integer(value: Any, path: Path_, *, minimum: int = 0) -> int | None:
    return None if value is None else integer(value, path, minimum=minimum)


def boolean(value: Any, path: Path_) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"must be true or false, got {value!r}", path)
    return value


def opt_boolean(value: Any, path: Path_) -> bool | None:
    return None if value is None else boolean(value, path)


def date_value(value: Any, path: Path_) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise Bad(f"must be a date (YYYY-MM-DD), got a date and time {value!r}", path)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise Bad(f"must be a date (YYYY-MM-DD), got {value!r}", path)


def opt_date(value: Any, path: Path_) -> datetime.date | None:
    return None if value is None else date_value(value, path)


def decimal_value(value: Any, path: Path_) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Bad(f"must be a number, got {value!r}", path)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise Bad(f"must be a number, got {value!r}", path) from None
    if not number.is_finite() or number < 0:
        raise Bad(f"must be a finite number not below 0, got {value!r}", path)
    return number


def opt_decimal(value: Any, path: Path_) -> Decimal | None:
    return None if value is None else decimal_value(value, path)


def confidence_tag(value: Any, path: Path_) -> str:
    if value not in CONFIDENCE_TAGS:
        raise Bad(f"must be one of {', '.join(CONFIDENCE_TAGS)}, got {value!r}", path)
    return str(value)


def as_mapping(value: Any, path: Path_) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Bad(f"must be a mapping, got {type(value).__name__}", path)
    for key in value:
        if not isinstance(key, str):
            raise Bad(f"keys must be text, got {key!r}", path)
    return value


def as_list(value: Any, path: Path_) -> list[Any]:
    if not isinstance(value, list):
        raise Bad(f"must be a list, got {type(value).__name__}", path)
    return value


def no_unknown_keys(mapping: Mapping[str, Any], allowed: frozenset[str] | tuple[str, ...], path: Path_) -> None:
    for key in mapping:
        if key not in allowed:
            raise Bad(f"unknown key; expected one of {', '.join(sorted(allowed))}", (*path, key))


def tagged[T](raw: Any, path: Path_, read: Callable[[Any, Path_], T]) -> Tagged[T]:
    entry = as_mapping(raw, path)
    no_unknown_keys(entry, frozenset({"value", "confidence", "source"}), path)
    if "value" not in entry:
        raise Bad("missing (write value: null where the reference gives none)", (*path, "value"))
    value = read(entry["value"], (*path, "value"))
    confidence = confidence_tag(require_at(entry, "confidence", path), (*path, "confidence"))
    source = text(entry.get("source", ""), (*path, "source"), allow_empty=True)
    if confidence in ("V", "D") and not source:
        raise Bad(f"a value tagged {confidence} must name its source", (*path, "source"))
    return Tagged(value=value, confidence=confidence, source=source)


def require_at(mapping: Mapping[str, Any], key: str, path: Path_) -> Any:
    if key not in mapping:
        raise Bad("missing", (*path, key))
    return mapping[key]
