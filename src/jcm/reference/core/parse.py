"""Load and validate the JCM reference data files (data/reference/*.csv).

Pure standard library: the Django layer (``jcm reference load``) calls :func:`load_dataset` and
stores the result; nothing here touches a database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .errors import ReferenceDataError
from .records import (
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
from .table import (
    COUNTRIES,
    COUNTRY_PAIRS,
    EMAIL_PATTERN,
    FILE_ORDER,
    GRID_EMISSION_FACTORS,
    METHODOLOGIES,
    METHODOLOGY_ID_PATTERN,
    SCOPE_RANGE,
    SECTORAL_SCOPES,
    TPE_DESIGNATIONS,
    TPE_ID_PATTERN,
    TPES,
    VERSION_PATTERN,
)
from .table import (
    Keys as _Keys,
)
from .table import (
    Row as _Row,
)
from .table import (
    each as _each,
)
from .table import (
    read_table as _read_table,
)


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
        if email and not EMAIL_PATTERN.fullmatch(email):
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
        match = TPE_ID_PATTERN.fullmatch(tpe_id)
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
        match = METHODOLOGY_ID_PATTERN.fullmatch(jcm_id)
        if match is None:
            raise row.error(
                "jcm_id", f"not an approved-methodology id: {jcm_id!r} (expected <CC>_AM<nnn>, e.g. TH_AM001)"
            )
        version = row.text("version", required=False)
        if version and not VERSION_PATTERN.fullmatch(version):
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
