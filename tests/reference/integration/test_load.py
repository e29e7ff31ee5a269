"""`jcm reference load`: idempotent, audited, and all-or-nothing on bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jcm.audit.models import AuditEvent
from jcm.reference import models as m
from jcm.reference.core.errors import ReferenceDataError
from jcm.reference.services import load_reference_data

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "data" / "reference"
pytestmark = pytest.mark.django_db


def test_load_creates_every_record_and_one_audit_event(now):
    report = load_reference_data(directory=REFERENCE_DIR, now=now)
    assert report.changed
    assert m.SectoralScope.objects.count() == 15
    assert m.Country.objects.filter(code="MN", signed_on__isnull=False).exists()
    assert m.CountryPair.objects.count() == report.counts["country_pairs"]
    assert m.Methodology.objects.count() == report.counts["methodologies"]
    events = AuditEvent.objects.filter(action="reference.load")
    assert events.count() == 1
    assert events.get().after["version"] == report.version


def test_second_load_changes_nothing(now):
    load_reference_data(directory=REFERENCE_DIR, now=now)
    again = load_reference_data(directory=REFERENCE_DIR, now=now)
    assert not again.changed
    assert AuditEvent.objects.filter(action="reference.load").count() == 1
    assert m.ReferenceLoad.objects.count() == 1


def test_changed_file_updates_and_removes(tmp_path, now):
    folder = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, folder)
    load_reference_data(directory=folder, now=now)
    lines = (folder / "grid_emission_factors.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "grid_emission_factors.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    report = load_reference_data(directory=folder, now=now)
    assert report.removed == {"grid_emission_factors": 1}
    assert m.GridEmissionFactor.objects.count() == len(lines) - 2


def test_malformed_file_changes_nothing_and_names_file_line_field(tmp_path, now):
    folder = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, folder)
    path = folder / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    cells = lines[2].rstrip("\n").split(",")
    cells[header.index("signed_on")] = "2013-13-45"
    lines[2] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as info:
        load_reference_data(directory=folder, now=now)
    assert (info.value.file, info.value.line, info.value.field) == ("countries.csv", 3, "signed_on")
    assert m.Country.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_cli_load_reports_the_error_and_exits_nonzero(tmp_path):
    from jcm.cli import app

    folder = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, folder)
    with (folder / "tpes.csv").open("a", encoding="utf-8") as f:
        f.write("TPE-ZZ-001,ZZ,Nobody,designated,,V,test\n")
    result = CliRunner().invoke(app, ["reference", "load", "--dir", str(folder)])
    assert result.exit_code == 1
    assert "tpes.csv" in result.output and "Nothing was changed" in result.output
    assert m.Tpe.objects.count() == 0


def test_cli_export_writes_csv(reference_data, tmp_path):
    from jcm.cli import app

    out = tmp_path / "scopes.csv"
    result = CliRunner().invoke(app, ["reference", "export", "sectoral-scopes", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("number,name,")
    assert len(lines) == 16


def test_cli_export_unknown_name_is_refused(reference_data):
    from jcm.cli import app

    result = CliRunner().invoke(app, ["reference", "export", "planets"])
    assert result.exit_code == 2
    assert "planets" in result.output
