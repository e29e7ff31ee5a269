"""`jcm mrv` sub-app, driven through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jcm.mrv.cli import app

runner = CliRunner()


def test_list_and_describe() -> None:
    listed = json.loads(runner.invoke(app, ["list", "--json"]).output)
    assert (len(listed) == 23 and {"jcm_id": "TH_AM001"}.items() <= listed[-6].items()) or any(
        m["jcm_id"] == "TH_AM001" for m in listed
    )
    spec = json.loads(runner.invoke(app, ["describe", "MN_AM003", "--json"]).output)
    ef = next(p for p in spec["parameters"] if p["key"] == "EF_RE")
    assert ef["kind"] == "project_specific" and ef["default"]["value"] == "0.797" and ef["unit"] == "tCO2/MWh"
    assert "RE_i,p = EG_i,p × EF_RE,i" in [e["text"] for e in spec["equations"]]
    assert "parameter EG_i,p" in spec["unconfirmed"]
    text = runner.invoke(app, ["describe", "th_am005"])
    assert text.exit_code == 0 and "COP_PJ,tc,i" in text.output


def test_unknown_methodology_exits_2_with_a_message() -> None:
    result = runner.invoke(app, ["describe", "XX_AM001", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"] == "UnknownMethodology"


def test_calc_prints_the_report_and_json_trace(tmp_path: Path) -> None:
    meters = tmp_path / "m.csv"
    meters.write_text("device_id,timestamp,parameter,value,unit\nPV-1,2024-01-01T08:00:00+08:00,EG,23134,MWh\n")
    params = tmp_path / "p.yaml"
    params.write_text("methodology: MN_AM003\n")
    args = [
        "calc",
        "MN_AM003",
        str(meters),
        "--params",
        str(params),
        "--period",
        "2024-01-01/2025-01-01",
        "--tz",
        "+08:00",
    ]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "18437" in table.output
    data = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert data["periods"][0]["er"] == 18437 and data["periods"][0]["re"] == "18437.798"
    bad = runner.invoke(
        app,
        [
            "calc",
            "MN_AM003",
            str(meters),
            "--params",
            str(params),
            "--period",
            "2024-01-01T00:00/2025-01-01T00:00+08:00",
            "--json",
        ],
    )
    assert bad.exit_code == 2 and "no UTC offset" in json.loads(bad.output)["message"]


def test_template_and_check(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    written = runner.invoke(app, ["template", "ID_AM003", str(out), "--period", "2015-01-01T00:00Z/2016-01-01T00:00Z"])
    assert written.exit_code == 0 and out.exists()
    checked = runner.invoke(app, ["check", str(out), "--json"])
    error = json.loads(checked.output)
    assert checked.exit_code == 2 and error["location"] == {"file": str(out), "sheet": "MRS(input)", "cell": "E9"}
    assert "no monitored value for EC_PJ,i,p" in error["message"]


def test_grid_ef_tool07() -> None:
    result = runner.invoke(app, ["grid-ef", "--om", "0.7797", "--bm", "0.8045", "--project-type", "other", "--json"])
    assert json.loads(result.output)["cm"] == "0.79210"
    bad = runner.invoke(app, ["grid-ef", "--om", "0.7", "--bm", "0.8", "--w-om", "0.6", "--w-bm", "0.6"])
    assert bad.exit_code == 2
