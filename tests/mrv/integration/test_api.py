"""/api/v1/mrv: the catalogue and specs for anyone; calculations run by signed-in users, stored
with their trace, read back by anyone holding the link; bad input is a 422 and nothing is stored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jcm.audit.models import AuditEvent
from jcm.mrv.cli import app as mrv_cli
from jcm.mrv.core import get_methodology, parse_period
from jcm.mrv.inputs.workbook_template import write_template
from jcm.mrv.models import Calculation

from .conftest import ID_AM003_PERIOD

pytestmark = pytest.mark.django_db

ID_AM003_BODY = {
    "methodology": "ID_AM003",
    "label": "ID009 monitoring period 1",
    "periods": [{"period": ID_AM003_PERIOD, "monitored": {"EC_PJ": {"IQF-1": 135}}}],
    "parameters": {"values": {"COP_PJ": "1.63", "EF_elec": {"value": "0.814", "source": "Jamali grid 2012"}}},
}


def post_json(client, path, body, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def test_catalogue_and_spec_are_public_and_the_spec_is_what_the_cli_describes(client):
    listed = client.get("/api/v1/mrv/methodologies").json()
    ids = [m["jcm_id"] for m in listed]
    assert "ID_AM003" in ids and "MN_AM003" in ids and len(ids) == len(set(ids)) >= 23
    mn = next(m for m in listed if m["jcm_id"] == "MN_AM003")
    ef = next(p for p in mn["parameters"] if p["key"] == "EF_RE")
    assert ef["default"]["value"] == "0.797" and isinstance(ef["default"]["confirmed"], bool)
    assert isinstance(ef["confirmed"], bool)
    spec = client.get("/api/v1/mrv/methodologies/MN_AM003").json()
    described = json.loads(CliRunner().invoke(mrv_cli, ["describe", "MN_AM003", "--json"]).output)
    assert spec == described == get_methodology("MN_AM003").to_dict()
    missing = client.get("/api/v1/mrv/methodologies/XX_AM001")
    assert missing.status_code == 404 and "XX_AM001" in missing.json()["detail"]


def test_id_am003_worked_example_round_trip(signed_in, participant):
    """ID_AM003 PDD: 135 MWh, COP 1.63 vs 1.32, EF 0.814 -> RE 135.70, PE 109.89, ER 25."""
    created = post_json(signed_in, "/api/v1/mrv/calculations", ID_AM003_BODY)
    assert created.status_code == 201, created.json()
    calc = created.json()
    assert (calc["re_total"], calc["pe_total"], calc["er_total"], calc["credits"]) == ("135.6975", "109.89", 25, 25)
    period = calc["result"]["periods"][0]
    assert period["er"] == 25 and period["er_exact"] == "25.8075"
    re_step = next(s for s in period["trace"] if s["ref"] == "RE_i[IQF-1]")
    assert re_step["equation"] == "RE_i,p = EC_PJ,i,p × COP_PJ,i / COP_RE,i × EF_elec"
    assert re_step["inputs"] == ["EC_PJ[IQF-1]", "COP_PJ", "COP_RE", "EF_elec"]
    cop_re = next(s for s in period["trace"] if s["ref"] == "COP_RE")
    assert cop_re["provenance"] == "default" and "highest COP" in cop_re["source"]
    ef = next(s for s in period["trace"] if s["ref"] == "EF_elec")
    assert ef["provenance"] == "project_specific" and "Jamali grid 2012" in ef["source"]
    assert "rounding rule" in calc["unconfirmed"]
    assert calc["created_by"] == "pp" and calc["label"] == "ID009 monitoring period 1"
    assert calc["report_url"] == f"/ja/mrv/calculations/{calc['id']}/"
    assert {i["role"] for i in calc["inputs"]} == {"parameters", "monitored"} and len(calc["input_digest"]) == 64

    # Stored once, with one audit event, and readable by anyone with the link once its creator publishes it.
    stored = Calculation.objects.get()
    assert stored.er_total == 25 and stored.re_total == "135.6975" and stored.created_by == participant
    event = AuditEvent.objects.get(action="mrv.calculate")
    assert event.target_id == str(stored.pk) and event.actor == participant and event.after["er_total"] == 25
    assert post_json(signed_in, f"/api/v1/mrv/calculations/{calc['id']}/visibility", {"public": True}).status_code == 200
    signed_in.logout()
    again = signed_in.get(f"/api/v1/mrv/calculations/{calc['id']}").json()
    assert again["result"] == calc["result"] and again["input_digest"] == calc["input_digest"]
    assert signed_in.get("/api/v1/mrv/calculations/not-a-uuid").status_code == 404

    # The same inputs give the same result and the same input digest.
    second = post_json(signed_in, "/api/v1/mrv/calculations", ID_AM003_BODY)
    assert second.status_code == 401
    signed_in.force_login(participant)
    second = post_json(signed_in, "/api/v1/mrv/calculations", ID_AM003_BODY).json()
    assert second["result"] == calc["result"] and second["input_digest"] == calc["input_digest"]
    assert second["id"] != calc["id"]


def test_multipart_meter_csv_and_parameters_file_pv(signed_in, pv_files):
    """MN_AM003: 13,000,000 kWh + 10,134 MWh = 23,134 MWh at 0.797 -> 18,437.798 -> ER 18,437."""
    meters, params = pv_files
    with meters.open("rb") as m, params.open("rb") as p:
        r = signed_in.post(
            "/api/v1/mrv/calculations/upload",
            {
                "methodology": "MN_AM003",
                "periods": ["2024-01-01/2025-01-01"],
                "tz": "+08:00",
                "meter_files": [m],
                "parameters_file": p,
                "label": "Khushig Khundii PV",
            },
        )
    assert r.status_code == 201, r.json()
    calc = r.json()
    assert calc["re_total"] == "18437.798" and calc["er_total"] == 18437
    assert [(i["role"], i["name"]) for i in calc["inputs"]] == [("meter", "meters.csv"), ("parameters", "params.yaml")]
    assert calc["inputs"][0]["sha256"] == hashlib.sha256(meters.read_bytes()).hexdigest()
    sources = " ".join(s["source"] or "" for s in calc["result"]["periods"][0]["trace"])
    assert "meters.csv" in sources and "params.yaml" in sources
    assert "/tmp" not in json.dumps(calc)  # no server path leaks into the stored record


def test_meter_file_without_utc_offsets_is_a_422_naming_file_row_column_and_nothing_is_stored(
    signed_in, pv_files, tmp_path: Path
):
    _, params = pv_files
    naive = tmp_path / "naive.csv"
    naive.write_text(
        "device_id,timestamp,parameter,value,unit\n"
        "PV-1,2024-03-01T12:00:00+08:00,EG,10,MWh\n"
        "PV-1,2024-03-02T12:00:00,EG,10,MWh\n"
    )
    with naive.open("rb") as m, params.open("rb") as p:
        r = signed_in.post(
            "/api/v1/mrv/calculations/upload",
            {
                "methodology": "MN_AM003",
                "periods": ["2024-01-01T00:00+08:00/2025-01-01T00:00+08:00"],
                "meter_files": [m],
                "parameters_file": p,
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "InputFormatError"
    assert body["location"] == {"file": "naive.csv", "row": 2, "column": "timestamp"}
    assert "UTC offset" in body["reason"]
    assert body["detail"].startswith("Malformed input: file naive.csv, row 2, column timestamp:")
    assert Calculation.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="mrv.").exists()


def test_error_descriptions_follow_the_callers_language(signed_in):
    body = {**ID_AM003_BODY, "parameters": {"values": {"COP_PJ": "1.63", "EF_elec": "-1"}}}
    en = post_json(signed_in, "/api/v1/mrv/calculations", body, HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["title"] == "Value out of range" and en["location"] == {"field": "EF_elec"}
    ja = post_json(signed_in, "/api/v1/mrv/calculations", body, HTTP_ACCEPT_LANGUAGE="ja").json()
    assert ja["title"] != en["title"] and ja["reason"] == en["reason"]
    assert "EF_elec" in ja["where"]
    assert Calculation.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"methodology": "XX_AM001"}, "UnknownMethodology", "methodology"),
        ({"periods": [{"period": "2017-01-01/2018-01-01", "monitored": {"EC_PJ": 135}}]}, "PeriodError", "periods[0]"),
        (
            {"periods": [{"period": ID_AM003_PERIOD, "monitored": {"EC_PJ": {"IQF-1": "lots"}}}]},
            "InputFormatError",
            "monitored[0].EC_PJ.IQF-1",
        ),
        ({"periods": [{"period": ID_AM003_PERIOD, "monitored": {"COP_PJ": 2}}]}, "MrvError", "monitored[0].COP_PJ"),
        (
            {"parameters": {"values": {"EF_elec": "0.814"}}, "periods": [{"period": ID_AM003_PERIOD}]},
            "MissingParameter",
            "period",
        ),
    ],
)
def test_bad_json_input_names_the_field(signed_in, change, error, field):
    r = post_json(signed_in, "/api/v1/mrv/calculations", {**ID_AM003_BODY, **change})
    assert r.status_code == 422, r.json()
    assert r.json()["error"] == error and r.json()["location"]["field"] == field
    assert Calculation.objects.count() == 0


def test_anonymous_writes_are_refused_reads_are_public(client, pv_files):
    r = post_json(client, "/api/v1/mrv/calculations", ID_AM003_BODY)
    assert r.status_code == 401
    meters, _ = pv_files
    with meters.open("rb") as m:
        r = client.post(
            "/api/v1/mrv/calculations/upload", {"methodology": "MN_AM003", "periods": ["x"], "meter_files": [m]}
        )
    assert r.status_code == 401
    assert Calculation.objects.count() == 0
    assert client.get("/api/v1/mrv/methodologies").status_code == 200


def test_workbook_check_stores_the_result_and_the_differences(signed_in, tmp_path: Path):
    m = get_methodology("ID_AM003")
    path = write_template(m, tmp_path / "id_am003.xlsx", period=parse_period("2015-01-01T00:00Z/2016-01-01T00:00Z"))
    wb = load_workbook(path)
    ws = wb["MRS(input)"]
    ws["E9"], ws["D13"], ws["D15"] = 135, 1.63, 0.814
    wb.save(path)
    with path.open("rb") as f:
        r = signed_in.post("/api/v1/mrv/workbook-checks", {"workbook": f, "label": "ID009 MR"})
    assert r.status_code == 201, r.json()
    calc = r.json()
    assert calc["kind"] == "workbook_check" and calc["er_total"] == 25 and calc["matches"] is False
    # Never opened in a spreadsheet application: every formula cell lacks its cached value.
    assert calc["differences"] and all(d["reason"].startswith("no cached value") for d in calc["differences"])
    assert AuditEvent.objects.filter(action="mrv.check_workbook").count() == 1
    ws["E9"] = "lots"
    wb.save(path)
    with path.open("rb") as f:
        bad = signed_in.post("/api/v1/mrv/workbook-checks", {"workbook": f})
    assert bad.status_code == 422
    assert bad.json()["location"] == {"file": "id_am003.xlsx", "sheet": "MRS(input)", "cell": "E9"}
    assert Calculation.objects.count() == 1
