"""Load and validate the JCM reference data files (data/reference/*.csv).

Pure standard library: the Django layer (``jcm reference load``) calls :func:`load_dataset` and
stores the result; nothing here touches a database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import ReferenceDataError
from .records import (
    CONFIDENCE_TAGS,
    EMISSION_FACTOR_KINDS,
    GENERATIONS,
    JAPAN_CODE,
    METHODOLOGY_STATUSES,
    TPE_FUNCTIONS,
    TPE_STATUSES,
    Country,
    CountryPair,
    GridEmissionFactor,
    Methodology,
    ReferenceDataset,
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

_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_TPE_ID = re.compile(r"TPE-([A-Z]{2})-([0-9]{3})")
_METHODOLOGY_ID = re.compile(r"([A-Z]{2})_AM([0-9]{3})")
_VERSION = re.compile(r"[0-9]{2}\.[0-9]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def default_data_dir() -> Path:
    """The repository's ``data/reference`` directory (this file is src/jcm/reference/core/parse.py)."""
    return Path(__file__).resolve().parents[4] / "data" / "reference"


def load_dataset(directory: Path) -> ReferenceDataset:
    """Parse and validate every reference file in ``directory``.

    Raises :class:`ReferenceDataError` for the first problem found (files are checked in
    :data:`FILE_ORDER`, rows top to bottom): a missing file, a bad header, a malformed value, an
    unknown reference to another file, a duplicate key.
    """
    raw: dict[str, bytes] = {}
    tables: dict[str, list[_Row]] = {}
    for name in FILE_ORDER:
        raw[name], tables[name] = _read_table(directory, name)

    countries, country_lines = _countries(tables[COUNTRIES])
    scopes = _sectoral_scopes(tables[SECTORAL_SCOPES])
    scope_numbers = {scope.number for scope in scopes}
    pairs = _country_pairs(tables[COUNTRY_PAIRS], countries)
    partners = {pair.partner_code for pair in pairs}
    for country in countries:
        if not country.is_japan and country.code not in partners:
            raise ReferenceDataError(
                file=COUNTRIES,
                line=country_lines[country.code],
                field="code",
                reason=f"partner country {country.code!r} has no row in {COUNTRY_PAIRS}",
            )
    known = {country.code for country in countries}
    tpes = _tpes(tables[TPES], known)
    designations = _tpe_designations(tables[TPE_DESIGNATIONS], {t.tpe_id for t in tpes}, scope_numbers)
    methodologies = _methodologies(tables[METHODOLOGIES], known, scope_numbers)
    owners = {m.jcm_id: m.partner_code for m in methodologies}
    factors = _grid_emission_factors(tables[GRID_EMISSION_FACTORS], known, owners)

    digest = hashlib.sha256()
    for name in FILE_ORDER:
        digest.update(f"{name}\0{len(raw[name])}\0".encode())
        digest.update(raw[name])
    return ReferenceDataset(
        countries=tuple(countries),
        country_pairs=tuple(pairs),
        sectoral_scopes=tuple(scopes),
        tpes=tuple(tpes),
        tpe_designations=tuple(designations),
        methodologies=tuple(methodologies),
        grid_emission_factors=tuple(factors),
        version=digest.hexdigest()[:12],
    )


# --- reading ---------------------------------------------------------------------------------


class _Row:
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
            if not _DATE.fullmatch(value):
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
        if not _WHOLE_NUMBER.fullmatch(value):
            raise self.error(field, f"not a whole number: {value!r}")
        return int(value)

    def decimal(self, field: str) -> Decimal:
        value = self.text(field)
        if not _DECIMAL.fullmatch(value):
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
        if not _COUNTRY_CODE.fullmatch(value):
            raise self.error(field, f"not an ISO 3166-1 alpha-2 code (two upper-case letters): {value!r}")
        if known is not None:
            if value not in known:
                raise self.error(field, f"unknown country code {value!r} (not in {COUNTRIES})")
            if value == JAPAN_CODE:
                raise self.error(field, f"{value!r} is Japan itself, not a partner country")
        return value


def _read_table(directory: Path, name: str) -> tuple[bytes, list[_Row]]:
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
        columns = _check_header(name, header)
        rows: list[_Row] = []
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
            rows.append(_Row(name, line, dict(zip(columns, cells, strict=True))))
    except csv.Error as exc:
        raise ReferenceDataError(
            file=name, line=reader.line_num, field=None, reason=f"malformed CSV: {exc}"
        ) from None
    return raw, rows


def _check_header(name: str, header: list[str]) -> list[str]:
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


class _Keys:
    """Tracks primary keys of one file so duplicates can name the first occurrence."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.lines: dict[Any, int] = {}

    def add(self, row: _Row, field: str, key: Any, shown: str) -> None:
        first = self.lines.get(key)
        if first is not None:
            raise row.error(field, f"duplicate {self.what} {shown} (first on line {first})")
        self.lines[key] = row.line


def _each[T](rows: Iterable[_Row], build: Callable[[_Row], T]) -> list[T]:
    return [build(row) for row in rows]


# --- one function per file ---------------------------------------------------------------------


def _countries(rows: list[_Row]) -> tuple[list[Country], dict[str, int]]:
    codes = _Keys("country code")
    orders = _Keys("partner_order")
    result: list[Country] = []
    for row in rows:
        code = row.country_code("code")
        codes.add(row, "code", code, repr(code))
        partner_order = row.integer("partner_order", required=False)
        if partner_order is not None:
            if code == JAPAN_CODE:
                raise row.error("partner_order", "Japan is not numbered among the partners; leave it empty")
            if partner_order < 1:
                raise row.error("partner_order", f"must be 1 or more, got {partner_order}")
            orders.add(row, "partner_order", partner_order, str(partner_order))
        result.append(
            Country(
                code=code,
                name_en=row.text("name_en"),
                name_ja=row.text("name_ja"),
                partner_order=partner_order,
                signed_on=row.date("signed_on"),
                signed_on_text=row.text("signed_on_text", required=False),
                confidence=row.confidence(),
                source=row.text("source"),
            )
        )
    if JAPAN_CODE not in codes.lines:
        raise ReferenceDataError(
            file=COUNTRIES, line=0, field="code", reason=f"no row for Japan (code {JAPAN_CODE})"
        )
    return result, dict(codes.lines)


def _sectoral_scopes(rows: list[_Row]) -> list[SectoralScope]:
    numbers = _Keys("scope number")
    low, high = SCOPE_RANGE

    def build(row: _Row) -> SectoralScope:
        number = row.required_integer("number")
        if not low <= number <= high:
            raise row.error("number", f"scope number must be between {low} and {high}, got {number}")
        numbers.add(row, "number", number, str(number))
        return SectoralScope(
            number=number,
            name_en=row.text("name_en"),
            name_ja=row.text("name_ja"),
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)


def _country_pairs(rows: list[_Row], countries: list[Country]) -> list[CountryPair]:
    known = {country.code for country in countries}
    partners = _Keys("country pair for partner")

    def build(row: _Row) -> CountryPair:
        partner = row.country_code("partner_code", known)
        partners.add(row, "partner_code", partner, repr(partner))
        email = row.text("jc_secretariat_email", required=False)
        if email and not _EMAIL.fullmatch(email):
            raise row.error("jc_secretariat_email", f"not an e-mail address: {email!r}")
        return CountryPair(
            partner_code=partner,
            generation=row.choice("generation", GENERATIONS),
            generation_confidence=row.confidence("generation_confidence"),
            first_jc_on=row.date("first_jc_on"),
            jc_secretariat_email=email,
            rules_note=row.text("rules_note", required=False),
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)


def _tpes(rows: list[_Row], known: set[str]) -> list[Tpe]:
    ids = _Keys("TPE id")

    def build(row: _Row) -> Tpe:
        tpe_id = row.text("tpe_id")
        match = _TPE_ID.fullmatch(tpe_id)
        if match is None:
            raise row.error("tpe_id", f"not a TPE id: {tpe_id!r} (expected TPE-<CC>-<nnn>, e.g. TPE-MN-014)")
        ids.add(row, "tpe_id", tpe_id, repr(tpe_id))
        partner = row.country_code("partner_code", known)
        if match.group(1) != partner:
            raise row.error(
                "partner_code",
                f"TPE id {tpe_id!r} belongs to {match.group(1)} but partner_code is {partner!r}",
            )
        return Tpe(
            tpe_id=tpe_id,
            partner_code=partner,
            name=row.text("name", required=False),
            status=row.choice("status", TPE_STATUSES, required=False),
            designated_on=row.date("designated_on"),
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)


def _scope_numbers(row: _Row, field: str, scopes: set[int], values: Iterable[int]) -> None:
    for number in values:
        if number not in scopes:
            raise row.error(field, f"unknown sectoral scope {number} (not in {SECTORAL_SCOPES})")


def _tpe_designations(rows: list[_Row], tpe_ids: set[str], scopes: set[int]) -> list[TpeDesignation]:
    keys = _Keys("designation")

    def build(row: _Row) -> TpeDesignation:
        tpe_id = row.text("tpe_id")
        if tpe_id not in tpe_ids:
            raise row.error("tpe_id", f"unknown TPE id {tpe_id!r} (not in {TPES})")
        function = row.choice("function", TPE_FUNCTIONS)
        keys.add(row, "function", (tpe_id, function), f"{tpe_id} / {function}")
        numbers = row.integers("scopes")
        _scope_numbers(row, "scopes", scopes, numbers)
        return TpeDesignation(
            tpe_id=tpe_id,
            function=function,
            scopes=numbers,
            expires_on=row.date("expires_on"),
            designated_on=row.date("designated_on"),
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)


def _methodologies(rows: list[_Row], known: set[str], scopes: set[int]) -> list[Methodology]:
    keys = _Keys("methodology")

    def build(row: _Row) -> Methodology:
        jcm_id = row.text("jcm_id")
        match = _METHODOLOGY_ID.fullmatch(jcm_id)
        if match is None:
            raise row.error(
                "jcm_id", f"not an approved-methodology id: {jcm_id!r} (expected <CC>_AM<nnn>, e.g. TH_AM001)"
            )
        version = row.text("version", required=False)
        if version and not _VERSION.fullmatch(version):
            raise row.error("version", f"not a version: {version!r} (expected NN.N, e.g. 01.0)")
        shown = f"{jcm_id} version {version}" if version else f"{jcm_id} (no version)"
        keys.add(row, "version", (jcm_id, version), shown)
        partner = row.country_code("partner_code", known)
        if match.group(1) != partner:
            raise row.error(
                "partner_code",
                f"methodology id {jcm_id!r} belongs to {match.group(1)} but partner_code is {partner!r}",
            )
        scope = row.integer("sectoral_scope", required=False)
        if scope is not None:
            _scope_numbers(row, "sectoral_scope", scopes, (scope,))
        return Methodology(
            jcm_id=jcm_id,
            partner_code=partner,
            title=row.text("title", required=False),
            version=version,
            sectoral_scope=scope,
            approved_on=row.date("approved_on"),
            status=row.choice("status", METHODOLOGY_STATUSES),
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)


def _grid_emission_factors(
    rows: list[_Row], known: set[str], owners: dict[str, str]
) -> list[GridEmissionFactor]:
    keys = _Keys("emission factor")

    def build(row: _Row) -> GridEmissionFactor:
        partner = row.country_code("partner_code", known)
        grid = row.text("grid")
        kind = row.choice("kind", EMISSION_FACTOR_KINDS)
        year = row.text("year_or_period", required=False)
        shown = f"{partner} / {grid} / {kind} / {year!r}"
        keys.add(row, "year_or_period", (partner, grid, kind, year), shown)
        used_by = tuple(row.items("used_by", required=False))
        for jcm_id in used_by:
            owner = owners.get(jcm_id)
            if owner is None:
                raise row.error("used_by", f"unknown methodology {jcm_id!r} (not in {METHODOLOGIES})")
            if owner != partner:
                raise row.error("used_by", f"methodology {jcm_id!r} belongs to {owner}, not to {partner}")
        return GridEmissionFactor(
            partner_code=partner,
            grid=grid,
            kind=kind,
            value=row.decimal("value"),
            unit=row.text("unit"),
            year_or_period=year,
            used_by=used_by,
            confidence=row.confidence(),
            source=row.text("source"),
        )

    return _each(rows, build)
