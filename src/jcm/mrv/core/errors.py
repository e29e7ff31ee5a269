"""Domain errors of the MRV engine.

Every error names where the bad input is (file/row/column, sheet/cell, or parameter
symbol and unit) and why it is rejected. No partial result is ever returned alongside one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a bad value was found. Only the fields that apply are set."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"file {self.file}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)


class MrvError(Exception):
    """Base class: bad input to the MRV engine. ``str(error)`` is a complete user message."""

    def __init__(self, reason: str, location: Location | None = None) -> None:
        self.reason = reason
        self.location = location or Location()
        where = self.location.describe()
        super().__init__(f"{where}: {reason}" if where else reason)

    def to_dict(self) -> dict[str, object]:
        loc = {k: v for k, v in vars(self.location).items() if v is not None}
        return {"error": type(self).__name__, "reason": self.reason, "location": loc, "message": str(self)}


class UnknownMethodology(MrvError):
    """No methodology with this JCM ID is shipped."""

    def __init__(self, jcm_id: str, known: tuple[str, ...]) -> None:
        self.jcm_id = jcm_id
        close = [k for k in known if k.split("_")[0] == jcm_id.split("_")[0].upper()]
        hint = f"; methodologies of this country: {', '.join(close)}" if close else ""
        super().__init__(
            f"unknown methodology {jcm_id!r}{hint} (run `jcm mrv list` for all {len(known)})",
            Location(field="methodology"),
        )


class MissingParameter(MrvError):
    """A value needed by an equation is neither measured, given, nor defaulted."""


class OutOfRange(MrvError):
    """A value lies outside the parameter's valid range or allowed choices."""


class UnitError(MrvError):
    """A unit is unknown or not convertible to the parameter's unit."""


class PeriodError(MrvError):
    """A monitoring period is empty, malformed, not timezone-aware, or overlaps another."""


class InputFormatError(MrvError):
    """A file, sheet or cell is malformed (missing column, unparsable value, no UTC offset...)."""
