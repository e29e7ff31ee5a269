"""Fixtures for the MRV web layer: a signed-in user and small input files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ID_AM003_PERIOD = "2017-01-01T00:00+07:00/2018-01-01T00:00+07:00"


@pytest.fixture
def participant(db: None) -> object:
    return get_user_model().objects.create_user("pp", password="pw-for-tests")


@pytest.fixture
def signed_in(client, participant):
    client.force_login(participant)
    return client


@pytest.fixture
def pv_files(tmp_path: Path) -> tuple[Path, Path]:
    """Mongolia 16.4 MW PV (MN_AM003): 23,134 MWh in 2024 from two inverters, in kWh and MWh."""
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "device_id,timestamp,parameter,value,unit\n"
        "PV-1,2024-03-01T12:00:00+08:00,EG,13000000,kWh\n"
        "PV-2,2024-06-01T12:00:00+08:00,EG,10134,MWh\n"
        "PV-2,2025-01-01T00:00:00+08:00,EG,999,MWh\n"  # outside the period: ignored
    )
    params = tmp_path / "params.yaml"
    params.write_text("methodology: MN_AM003\nvalues:\n  EF_RE: {value: 0.797, source: 'JC grid default'}\n")
    return meters, params
