"""The shipped reference data loads and says what the JCM reference documents say."""

from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from jcm.reference.core import (
    FILE_ORDER,
    JAPAN_CODE,
    ReferenceDataset,
    default_data_dir,
    load_dataset,
)


@pytest.fixture(scope="module")
def dataset() -> ReferenceDataset:
    return load_dataset(default_data_dir())


def test_default_data_dir_is_the_repository_data_reference() -> None:
    directory = default_data_dir()
    assert directory.parts[-2:] == ("data", "reference")
    assert (directory / "countries.csv").is_file()


def test_mongolia_is_the_first_partner_signed_8_jan_2013_confirmed(dataset: ReferenceDataset) -> None:
    mongolia = dataset.country("MN")
    assert mongolia.partner_order == 1
    assert mongolia.signed_on == datetime.date(2013, 1, 8)
    assert mongolia.confirmed


def test_indonesia_signing_date_is_not_confirmed(dataset: ReferenceDataset) -> None:
    indonesia = dataset.country("ID")
    assert indonesia.signed_on == datetime.date(2013, 8, 26)
    assert indonesia.confidence == "K"
    assert not indonesia.confirmed


def test_partially_known_dates_stay_empty_with_the_published_wording(dataset: ReferenceDataset) -> None:
    moldova = dataset.country("MD")
    assert moldova.signed_on is None
    assert "Sep–Oct 2022" in moldova.signed_on_text
    assert not moldova.confirmed


def test_thirty_one_numbered_partners_plus_japan(dataset: ReferenceDataset) -> None:
    orders = sorted(c.partner_order for c in dataset.countries if c.partner_order is not None)
    assert orders == list(range(1, 32))
    japan = dataset.country(JAPAN_CODE)
    assert japan.partner_order is None
    assert japan.name_ja == "日本"


def test_every_partner_has_exactly_one_pair_and_japan_none(dataset: ReferenceDataset) -> None:
    partners = sorted(c.code for c in dataset.countries if c.code != JAPAN_CODE)
    assert sorted(p.partner_code for p in dataset.country_pairs) == partners


def test_article6_generation_pairs_confirmed_by_their_first_jc(dataset: ReferenceDataset) -> None:
    for code, first_jc in [
        ("LK", "2023-10-13"),
        ("GE", "2024-01-23"),
        ("UZ", "2025-02-26"),
        ("KG", "2025-05-16"),
    ]:
        pair = dataset.pair(code)
        assert pair.generation == "article6"
        assert pair.generation_confirmed
        assert pair.first_jc_on == datetime.date.fromisoformat(first_jc)
    assert dataset.pair("MN").generation == "legacy"
    assert dataset.pair("ID").jc_secretariat_email == "id-jc-secretariat@jcm.go.jp"


def test_fifteen_sectoral_scopes_numbered_one_to_fifteen(dataset: ReferenceDataset) -> None:
    assert [s.number for s in dataset.sectoral_scopes] == list(range(1, 16))
    assert dataset.sectoral_scopes[0].name_en == "Energy industries (renewable / non-renewable sources)"
    assert all(s.name_ja for s in dataset.sectoral_scopes)


def test_every_tpe_id_matches_its_pair(dataset: ReferenceDataset) -> None:
    assert dataset.tpes
    partners = {p.partner_code for p in dataset.country_pairs}
    for tpe in dataset.tpes:
        assert tpe.tpe_id.split("-")[1] == tpe.partner_code
        assert tpe.partner_code in partners


def test_methodology_ids_belong_to_their_partner(dataset: ReferenceDataset) -> None:
    for methodology in dataset.methodologies:
        assert methodology.jcm_id[:2] == methodology.partner_code
    chiller = next(m for m in dataset.methodologies if m.jcm_id == "TH_AM005")
    assert (chiller.version, chiller.sectoral_scope, chiller.approved_on) == (
        "03.0",
        3,
        datetime.date(2023, 10, 11),
    )


def test_emission_factors_keep_the_published_digits(dataset: ReferenceDataset) -> None:
    by_key = {(f.partner_code, f.grid, f.kind): f for f in dataset.grid_emission_factors}
    assert by_key["MN", "national", "JCM_case1"].value == Decimal("0.797")
    thai = next(f for f in dataset.grid_emission_factors if f.partner_code == "TH")
    assert str(thai.value) == "0.4750"
    mindanao = by_key["PH", "Mindanao", "CM_wind_solar"]
    assert str(mindanao.value) == "0.7859"
    assert mindanao.year_or_period == "2015-2017"


def test_version_is_a_stable_content_hash(tmp_path: Path) -> None:
    first = load_dataset(default_data_dir()).version
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    copy = tmp_path / "reference"
    shutil.copytree(default_data_dir(), copy)
    assert load_dataset(copy).version == first
    path = copy / "sectoral_scopes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Agriculture", "Agriculture sector"), "utf-8")
    assert load_dataset(copy).version != first


def test_every_file_is_shipped() -> None:
    for name in FILE_ORDER:
        assert (default_data_dir() / name).is_file(), name
