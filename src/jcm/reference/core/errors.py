"""The one error the reference-data loader raises."""

from __future__ import annotations


class ReferenceDataError(Exception):
    """A problem in the shipped reference data, pinned to a file, a line and (usually) a column.

    ``line`` is the 1-based physical line in the file (the header is line 1); ``0`` means the
    problem concerns the file as a whole (e.g. the file is missing). ``field`` is the column name,
    or ``None`` when the problem is not about a single column.
    """

    def __init__(self, *, file: str, line: int, field: str | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(file, line, field, reason)

    def __str__(self) -> str:
        where = self.file
        if self.line > 0:
            where += f" line {self.line}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.reason}"

    def __repr__(self) -> str:
        return (
            f"ReferenceDataError(file={self.file!r}, line={self.line!r}, "
            f"field={self.field!r}, reason={self.reason!r})"
        )
