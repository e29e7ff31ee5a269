"""Reading one reference CSV file: header checks, typed cells, line numbers for every error.

Pure standard library; :mod:`.parse` builds the records and checks references between files.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import ReferenceDataError
from .records import (
    CONFIDENCE_TAGS,
    JAPAN_CODE,
    Country,
    CountryPair,
    GridEmissionFactor,
    Methodology,
    SectoralScope,
    Tpe,
    TpeDesignation,
)

COUNTRIES = "countries.csv"
SECTORAL_SCOPES = "sectoral_scopes.csv"
COUNTRY_PAIRS = "country_pairs.csv"
TPES = "tpes.csv"
TPE_DESIGNATIONS = "tpe_designations.csv"
METHODOLOGIES = "methodologies.csv"
GRID_EMISSION_FACTORS = "grid_emission_factors.csv"

#: Files in the order they are validated and hashed into ``ReferenceDataset.version``.
FILE_ORDER: tuple[str, ...] = (
    COUNTRIES,
    SECTORAL_SCOPES,
    COUNTRY_PAIRS,
    TPES,
    TPE_DESIGNATIONS,
    METHODOLOGIES,
    GRID_EMISSION_FACTORS,
)

#: Columns of each file: exactly the fields of its record type, in the same order.
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in dataclasses.fields(record_type))
    for name, record_type in (
        (COUNTRIES, Country),
        (SECTORAL_SCOPES, SectoralScope),
        (COUNTRY_PAIRS, CountryPair),
        (TPES, Tpe),
        (TPE_DESIGNATIONS, TpeDesignation),
        (METHODOLOGIES, Methodology),
        (GRID_EMISSION_FACTORS, GridEmissionFactor),
    )
}

#: Lowest and highest sectoral scope number of the official JCM list.
SCOPE_RANGE = (1, 15)
LIST_SEPARATOR = ";"

COUNTRY_CODE_PATTERN = re.compile(r"[A-Z]{2}")
TPE_ID_PATTERN = re.compile(r"TPE-([A-Z]{2})-([0-9]{3})")
METHODOLOGY_ID_PATTERN = re.compile(r"([A-Z]{2})_AM([0-9]{3})")
VERSION_PATTERN = re.compile(r"[0-9]{2}\.[0-9]")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER_PATTERN = re.compile(r"[0-9]+")
DECIMAL_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)?")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# --- reading ---------------------------------------------------------------------------------


class Row:
    """One data record: its file, physical line and cells by column name."""

    __slots__ = ("cells", "file", "line")

    def __init__(self, file: str, line: int, cells: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.cells = cells

    def error(self, field: str | None, reason: str) -> ReferenceDataError:
        return ReferenceDataError(file=self.file, line=self.line, field=field, reason=reason)

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.cells[field]
        if value != value.strip():
            raise self.error(field, f"value has leading or trailing whitespace: {value!r}")
        if required and not value:
            raise self.error(field, "required value is empty")
        return value

    def choice(self, field: str, allowed: Sequence[str], *, required: bool = True) -> str:
        value = self.text(field, required=required)
        if value and value not in allowed:
            raise self.error(field, f"unknown value {value!r} (expected one of: {', '.join(allowed)})")
        return value

    def confidence(self, field: str = "confidence") -> str:
        return self.choice(field, CONFIDENCE_TAGS)

    def date(self, field: str) -> datetime.date | None:
        value = self.text(field, required=False)
        if not value:
            return None
        try:
            if not DATE_PATTERN.fullmatch(value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.error(field, f"not a date: {value!r} (expected YYYY-MM-DD)") from None

    def integer(self, field: str, *, required: bool = True) -> int | None:
        value = self.text(field, required=required)
        if not value:
            return None
        return self._whole_number(field, value)

    def required_integer(self, field: str) -> int:
        value = self.integer(field)
        assert value is not None  # required=True never yields None
        return value

    def _whole_number(self, field: str, value: str) -> int:
        if not WHOLE_NUMBER_PATTERN.fullmatch(value):
            raise self.error(field, f"not a whole number: {value!r}")
        return int(value)

    def decimal(self, field: str) -> Decimal:
        value = self.text(field)
        if not DECIMAL_PATTERN.fullmatch(value):
            raise self.error(
                field,
                f"not a decimal number: {value!r} "
                "(expected digits with an optional '.' fraction, e.g. 0.797)",
            )
        return Decimal(value)

    def items(self, field: str, *, required: bool) -> list[str]:
        value = self.text(field, required=required)
        if not value:
            return []
        items = value.split(LIST_SEPARATOR)
        for item in items:
            if not item:
                raise self.error(field, f"empty item in {LIST_SEPARATOR!r}-separated list {value!r}")
            if item != item.strip():
                raise self.error(field, f"item has leading or trailing whitespace: {item!r}")
        seen: set[str] = set()
        for item in items:
            if item in seen:
                raise self.error(field, f"item {item!r} is listed twice")
            seen.add(item)
        return items

    def integers(self, field: str) -> tuple[int, ...]:
        return tuple(self._whole_number(field, item) for item in self.items(field, required=True))

    def country_code(self, field: str, known: set[str] | None = None) -> str:
        value = self.text(field)
        if not COUNTRY_CODE_PATTERN.fullmatch(value):
            raise self.error(field, f"not an ISO 3166-1 alpha-2 code (two upper-case letters): {value!r}")
        if known is not None:
            if value not in known:
                raise self.error(field, f"unknown country code {value!r} (not in {COUNTRIES})")
            if value == JAPAN_CODE:
                raise self.error(field, f"{value!r} is Japan itself, not a partner country")
        return value


def read_table(directory: Path, name: str) -> tuple[bytes, list[Row]]:
    path = directory / name
    if not path.is_file():
        raise ReferenceDataError(file=name, line=0, field=None, reason=f"file is missing (looked for {path})")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReferenceDataError(file=name, line=line, field=None, reason="not valid UTF-8 text") from None

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ReferenceDataError(
                file=name, line=1, field=None, reason="file is empty (expected a header row)"
            )
        columns = check_header(name, header)
        rows: list[Row] = []
        previous_end = 1
        for cells in reader:
            end = reader.line_num
            if not cells:  # blank line
                previous_end = end
                continue
            line = previous_end + 1
            previous_end = end
            if end != line:
                raise ReferenceDataError(
                    file=name,
                    line=line,
                    field=None,
                    reason="record spans several lines (a quoted cell contains a line break)",
                )
            if len(cells) != len(columns):
                raise ReferenceDataError(
                    file=name,
                    line=line,
                    field=None,
                    reason=f"expected {len(columns)} cells, found {len(cells)}",
                )
            rows.append(Row(name, line, dict(zip(columns, cells, strict=True))))
    except csv.Error as exc:
        raise ReferenceDataError(
            file=name, line=reader.line_num, field=None, reason=f"malformed CSV: {exc}"
        ) from None
    return raw, rows


def check_header(name: str, header: list[str]) -> list[str]:
    expected = COLUMNS[name]
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise ReferenceDataError(
                file=name, line=1, field=column, reason=f"column {column!r} appears twice in the header"
            )
        seen.add(column)
        if column not in expected:
            raise ReferenceDataError(
                file=name,
                line=1,
                field=column,
                reason=f"unknown column {column!r} (expected: {', '.join(expected)})",
            )
    for column in expected:
        if column not in seen:
            raise ReferenceDataError(file=name, line=1, field=column, reason=f"missing column {column!r}")
    return header


class Keys:
    """Tracks primary keys of one file so duplicates can name the first occurrence."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.lines: dict[Any, int] = {}

    def add(self, row: Row, field: str, key: Any, shown: str) -> None:
        first = self.lines.get(key)
        if first is not None:
            raise row.error(field, f"duplicate {self.what} {shown} (first on line {first})")
        self.lines[key] = row.line


def each[T](rows: Iterable[Row], build: Callable[[Row], T]) -> list[T]:
    return [build(row) for row in rows]


# --- one function per file ---------------------------------------------------------------------


