"""Each kind of broken reference file gives one precise error: file, line, field and reason."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from jcm.reference.core import ReferenceDataError, default_data_dir, load_dataset


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "reference"
    shutil.copytree(default_data_dir(), copy)
    return copy


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _row(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def set_cell(directory: Path, name: str, starts_with: str, column: str, value: str) -> int:
    """Change one cell of the first record whose line starts with ``starts_with``; return its line."""
    path = directory / name
    lines = _lines(path)
    header = next(csv.reader([lines[0]]))
    for index, line in enumerate(lines):
        if index > 0 and line.startswith(starts_with):
            cells = next(csv.reader([line]))
            cells[header.index(column)] = value
            lines[index] = _row(cells)
            _write(path, lines)
            return index + 1
    raise AssertionError(f"no line starting with {starts_with!r} in {name}")


def append(directory: Path, name: str, line: str) -> int:
    """Append a raw line; return its 1-based line number."""
    path = directory / name
    lines = _lines(path)
    lines.append(line)
    _write(path, lines)
    return len(lines)


def duplicate(directory: Path, name: str, starts_with: str) -> tuple[int, int]:
    """Append a copy of a record; return (original line, copy line)."""
    lines = _lines(directory / name)
    original = next(i for i, line in enumerate(lines) if i > 0 and line.startswith(starts_with))
    return original + 1, append(directory, name, lines[original])


def load_error(directory: Path) -> ReferenceDataError:
    with pytest.raises(ReferenceDataError) as caught:
        load_dataset(directory)
    return caught.value


def assert_error(error: ReferenceDataError, file: str, line: int, field: str | None, reason: str) -> None:
    assert (error.file, error.line, error.field, error.reason) == (file, line, field, reason)


# --- files and headers -------------------------------------------------------------------------


def test_missing_file(data: Path) -> None:
    (data / "methodologies.csv").unlink()
    error = load_error(data)
    assert (error.file, error.line, error.field) == ("methodologies.csv", 0, None)
    assert error.reason.startswith("file is missing")
    assert str(error).startswith("methodologies.csv: file is missing")


def test_missing_header_column(data: Path) -> None:
    path = data / "countries.csv"
    lines = _lines(path)
    lines[0] = lines[0].replace(",name_ja", "")
    _write(path, lines)
    assert_error(load_error(data), "countries.csv", 1, "name_ja", "missing column 'name_ja'")


def test_unknown_header_column(data: Path) -> None:
    path = data / "sectoral_scopes.csv"
    lines = _lines(path)
    lines[0] += ",notes"
    _write(path, lines)
    assert_error(
        load_error(data),
        "sectoral_scopes.csv",
        1,
        "notes",
        "unknown column 'notes' (expected: number, name_en, name_ja, confidence, source)",
    )


def test_empty_file(data: Path) -> None:
    (data / "tpes.csv").write_text("", encoding="utf-8")
    assert_error(load_error(data), "tpes.csv", 1, None, "file is empty (expected a header row)")


def test_wrong_number_of_cells(data: Path) -> None:
    line = append(data, "tpes.csv", "TPE-MN-099,MN")
    assert_error(load_error(data), "tpes.csv", line, None, "expected 7 cells, found 2")


def test_record_spanning_two_lines(data: Path) -> None:
    line = append(data, "sectoral_scopes.csv", '16,"Two\nlines",x,V,src')
    assert_error(
        load_error(data),
        "sectoral_scopes.csv",
        line,
        None,
        "record spans several lines (a quoted cell contains a line break)",
    )


def test_invalid_utf8(data: Path) -> None:
    path = data / "countries.csv"
    line = len(_lines(path)) + 1
    path.write_bytes(path.read_bytes() + b"XX,Bad,\xff\xfe,,,,V,src\n")
    assert_error(load_error(data), "countries.csv", line, None, "not valid UTF-8 text")


# --- values ----------------------------------------------------------------------------------


def test_bad_date(data: Path) -> None:
    line = set_cell(data, "countries.csv", "MN,", "signed_on", "2013-13-01")
    error = load_error(data)
    assert_error(error, "countries.csv", line, "signed_on", "not a date: '2013-13-01' (expected YYYY-MM-DD)")
    assert str(error) == (
        f"countries.csv line {line}, field signed_on: not a date: '2013-13-01' (expected YYYY-MM-DD)"
    )


@pytest.mark.parametrize("value", ["8 Jan 2013", "2013-1-8", "2013-02-30"])
def test_dates_must_be_real_iso_dates(data: Path, value: str) -> None:
    line = set_cell(data, "country_pairs.csv", "LK,", "first_jc_on", value)
    assert_error(
        load_error(data),
        "country_pairs.csv",
        line,
        "first_jc_on",
        f"not a date: {value!r} (expected YYYY-MM-DD)",
    )


def test_bad_int(data: Path) -> None:
    line = set_cell(data, "countries.csv", "BD,", "partner_order", "2nd")
    assert_error(load_error(data), "countries.csv", line, "partner_order", "not a whole number: '2nd'")


def test_scope_number_out_of_range(data: Path) -> None:
    line = append(data, "sectoral_scopes.csv", "16,REDD-plus,REDDプラス,K,src")
    assert_error(
        load_error(data),
        "sectoral_scopes.csv",
        line,
        "number",
        "scope number must be between 1 and 15, got 16",
    )


def test_bad_decimal(data: Path) -> None:
    line = set_cell(data, "grid_emission_factors.csv", "VN,", "value", "0,6766")
    assert_error(
        load_error(data),
        "grid_emission_factors.csv",
        line,
        "value",
        "not a decimal number: '0,6766' (expected digits with an optional '.' fraction, e.g. 0.797)",
    )


def test_empty_required_field(data: Path) -> None:
    line = set_cell(data, "countries.csv", "KE,", "name_en", "")
    assert_error(load_error(data), "countries.csv", line, "name_en", "required value is empty")


def test_surrounding_whitespace(data: Path) -> None:
    line = set_cell(data, "countries.csv", "KE,", "name_en", " Kenya")
    assert_error(
        load_error(data),
        "countries.csv",
        line,
        "name_en",
        "value has leading or trailing whitespace: ' Kenya'",
    )


def test_confidence_not_in_allowed_set(data: Path) -> None:
    line = set_cell(data, "sectoral_scopes.csv", "3,", "confidence", "confirmed")
    assert_error(
        load_error(data),
        "sectoral_scopes.csv",
        line,
        "confidence",
        "unknown value 'confirmed' (expected one of: V, D, K, GAP, press)",
    )


def test_bad_enum_value(data: Path) -> None:
    line = set_cell(data, "country_pairs.csv", "MN,", "generation", "article-6")
    assert_error(
        load_error(data),
        "country_pairs.csv",
        line,
        "generation",
        "unknown value 'article-6' (expected one of: legacy, article6)",
    )


def test_bad_country_code_format(data: Path) -> None:
    line = set_cell(data, "countries.csv", "KE,", "code", "ken")
    assert_error(
        load_error(data),
        "countries.csv",
        line,
        "code",
        "not an ISO 3166-1 alpha-2 code (two upper-case letters): 'ken'",
    )


def test_bad_methodology_version(data: Path) -> None:
    line = set_cell(data, "methodologies.csv", "TH_AM001,", "version", "1.0")
    assert_error(
        load_error(data),
        "methodologies.csv",
        line,
        "version",
        "not a version: '1.0' (expected NN.N, e.g. 01.0)",
    )


def test_bad_tpe_id_format(data: Path) -> None:
    line = set_cell(data, "tpes.csv", "TPE-MN-014,", "tpe_id", "TPE-MN-14")
    assert_error(
        load_error(data),
        "tpes.csv",
        line,
        "tpe_id",
        "not a TPE id: 'TPE-MN-14' (expected TPE-<CC>-<nnn>, e.g. TPE-MN-014)",
    )


# --- references between files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts_with"),
    [
        ("country_pairs.csv", "MN,"),
        ("tpes.csv", "TPE-MN-014,"),
        ("methodologies.csv", "MN_AM001,"),
        ("grid_emission_factors.csv", "MN,"),
    ],
)
def test_unknown_country_code(data: Path, name: str, starts_with: str) -> None:
    line = set_cell(data, name, starts_with, "partner_code", "XX")
    assert_error(
        load_error(data), name, line, "partner_code", "unknown country code 'XX' (not in countries.csv)"
    )


def test_japan_is_not_a_partner(data: Path) -> None:
    line = append(data, "country_pairs.csv", "JP,legacy,D,,,,V,src")
    assert_error(
        load_error(data),
        "country_pairs.csv",
        line,
        "partner_code",
        "'JP' is Japan itself, not a partner country",
    )


def test_partner_without_country_pair(data: Path) -> None:
    line = append(data, "countries.csv", "FJ,Fiji,フィジー,,,,K,src")
    assert_error(
        load_error(data),
        "countries.csv",
        line,
        "code",
        "partner country 'FJ' has no row in country_pairs.csv",
    )


def test_japan_row_is_required(data: Path) -> None:
    path = data / "countries.csv"
    _write(path, [line for line in _lines(path) if not line.startswith("JP,")])
    assert_error(load_error(data), "countries.csv", 0, "code", "no row for Japan (code JP)")


def test_tpe_id_country_differs_from_partner_code(data: Path) -> None:
    line = set_cell(data, "tpes.csv", "TPE-MN-014,", "partner_code", "ET")
    assert_error(
        load_error(data),
        "tpes.csv",
        line,
        "partner_code",
        "TPE id 'TPE-MN-014' belongs to MN but partner_code is 'ET'",
    )


def test_methodology_id_country_differs_from_partner_code(data: Path) -> None:
    line = set_cell(data, "methodologies.csv", "MN_AM001,", "partner_code", "ID")
    assert_error(
        load_error(data),
        "methodologies.csv",
        line,
        "partner_code",
        "methodology id 'MN_AM001' belongs to MN but partner_code is 'ID'",
    )


def test_designation_of_unknown_tpe(data: Path) -> None:
    line = append(data, "tpe_designations.csv", "TPE-MN-999,validation,1,,,V,src")
    assert_error(
        load_error(data),
        "tpe_designations.csv",
        line,
        "tpe_id",
        "unknown TPE id 'TPE-MN-999' (not in tpes.csv)",
    )


def test_designation_scope_not_in_sectoral_scopes(data: Path) -> None:
    line = append(data, "tpe_designations.csv", "TPE-MN-014,verification,1;2;16,2026-03-31,,V,src")
    assert_error(
        load_error(data),
        "tpe_designations.csv",
        line,
        "scopes",
        "unknown sectoral scope 16 (not in sectoral_scopes.csv)",
    )


def test_methodology_scope_not_in_sectoral_scopes(data: Path) -> None:
    path = data / "sectoral_scopes.csv"
    _write(path, [line for line in _lines(path) if not line.startswith("2,")])
    line = set_cell(data, "methodologies.csv", "MN_AM001,", "sectoral_scope", "2")
    assert_error(
        load_error(data),
        "methodologies.csv",
        line,
        "sectoral_scope",
        "unknown sectoral scope 2 (not in sectoral_scopes.csv)",
    )


def test_designation_scope_list_syntax(data: Path) -> None:
    line = append(data, "tpe_designations.csv", "TPE-MN-014,validation,1;;3,,,V,src")
    assert_error(
        load_error(data), "tpe_designations.csv", line, "scopes", "empty item in ';'-separated list '1;;3'"
    )


def test_used_by_unknown_methodology(data: Path) -> None:
    line = set_cell(data, "grid_emission_factors.csv", "MN,", "used_by", "MN_AM003;MN_AM099")
    assert_error(
        load_error(data),
        "grid_emission_factors.csv",
        line,
        "used_by",
        "unknown methodology 'MN_AM099' (not in methodologies.csv)",
    )


def test_used_by_methodology_of_another_pair(data: Path) -> None:
    line = set_cell(data, "grid_emission_factors.csv", "MN,", "used_by", "TH_AM001")
    assert_error(
        load_error(data),
        "grid_emission_factors.csv",
        line,
        "used_by",
        "methodology 'TH_AM001' belongs to TH, not to MN",
    )


def test_valid_designation_loads(data: Path) -> None:
    append(data, "tpe_designations.csv", "TPE-MN-014,verification,1;2;3;14,2026-03-31,2017-09-08,V,src")
    (designation,) = load_dataset(data).tpe_designations
    assert designation.scopes == (1, 2, 3, 14)
    assert designation.expires_on is not None and designation.expires_on.isoformat() == "2026-03-31"


# --- duplicate primary keys ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts_with", "field", "reason"),
    [
        ("countries.csv", "KE,", "code", "duplicate country code 'KE' (first on line {first})"),
        ("sectoral_scopes.csv", "7,", "number", "duplicate scope number 7 (first on line {first})"),
        (
            "country_pairs.csv",
            "TH,",
            "partner_code",
            "duplicate country pair for partner 'TH' (first on line {first})",
        ),
        ("tpes.csv", "TPE-VN-008,", "tpe_id", "duplicate TPE id 'TPE-VN-008' (first on line {first})"),
        (
            "methodologies.csv",
            "TH_AM005,",
            "version",
            "duplicate methodology TH_AM005 version 03.0 (first on line {first})",
        ),
        (
            "grid_emission_factors.csv",
            "PH,Mindanao,OM,",
            "year_or_period",
            "duplicate emission factor PH / Mindanao / OM / '2015-2017' (first on line {first})",
        ),
    ],
)
def test_duplicate_primary_key(data: Path, name: str, starts_with: str, field: str, reason: str) -> None:
    first, copy = duplicate(data, name, starts_with)
    assert_error(load_error(data), name, copy, field, reason.format(first=first))


def test_duplicate_designation(data: Path) -> None:
    first = append(data, "tpe_designations.csv", "TPE-ET-009,validation,1,,,V,src")
    copy = append(data, "tpe_designations.csv", "TPE-ET-009,validation,3,,,V,src")
    assert_error(
        load_error(data),
        "tpe_designations.csv",
        copy,
        "function",
        f"duplicate designation TPE-ET-009 / validation (first on line {first})",
    )


def test_duplicate_partner_order(data: Path) -> None:
    line = set_cell(data, "countries.csv", "BD,", "partner_order", "1")
    assert_error(
        load_error(data),
        "countries.csv",
        line,
        "partner_order",
        "duplicate partner_order 1 (first on line 3)",
    )
