"""The MRV pages as a person uses them: methodology pages in both languages, the upload form,
the report and its PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jcm.audit.models import AuditEvent
from jcm.mrv.core import get_methodology
from jcm.mrv.models import Calculation

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="badge unconfirmed"')


@pytest.mark.parametrize(
    ("lang", "word", "kind"), [("en", "unconfirmed", "project-specific"), ("ja", "未確認", "プロジェクト固有")]
)
def test_methodology_page_shows_parameters_defaults_and_unconfirmed_badges(client, lang, word, kind):
    m = get_methodology("MN_AM003")
    page = client.get(f"/{lang}/mrv/methodologies/MN_AM003/")
    assert page.status_code == 200
    text = page.text
    assert "MN_AM003" in text and m.title in text and m.version in text and "JP–MN" in text
    for p in m.parameters:
        assert p.symbol in text and p.description in text
    assert "0.797" in text and "0.533" in text  # the JC's grid defaults, with their sources
    assert "RE_i,p = EG_i,p × EF_RE,i" in text
    assert kind in text
    assert m.eligibility[0].text in text
    # One badge per unconfirmed parameter, default, choice, equation, criterion, rounding, source...
    assert len(BADGE.findall(text)) >= len(m.unconfirmed())
    assert f">{word}</span>" in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_methodology_index_lists_every_methodology(client, lang):
    page = client.get(f"/{lang}/mrv/methodologies/")
    assert page.status_code == 200
    for jcm_id in ("TH_AM001", "ID_AM003", "CR_AM002", "MN_AM001", "KH_AM002"):
        assert f"/{lang}/mrv/methodologies/{jcm_id}/" in page.text
    assert client.get(f"/{lang}/mrv/methodologies/XX_AM001/").status_code == 404
    assert client.get(f"/{lang}/mrv/methodologies/mn_am003/").status_code == 302


def test_calculation_form_upload_end_to_end(client, participant, pv_files):
    assert client.get("/en/mrv/calculate/").status_code == 302  # sign in first
    client.force_login(participant)
    form = client.get("/en/mrv/calculate/?methodology=MN_AM003")
    assert form.status_code == 200 and 'value="MN_AM003" selected' in form.text
    meters, params = pv_files
    with meters.open("rb") as m, params.open("rb") as p:
        r = client.post(
            "/en/mrv/calculate/",
            {
                "calc-methodology": "MN_AM003",
                "calc-periods": "2024-01-01T00:00+08:00/2025-01-01T00:00+08:00\n",
                "calc-meter_files": [m],
                "calc-parameters_file": p,
                "calc-label": "Khushig Khundii PV",
            },
        )
    assert r.status_code == 302
    calc = Calculation.objects.get()
    assert r["Location"] == f"/en/mrv/calculations/{calc.public_id}/"
    report = client.get(r["Location"])
    assert report.status_code == 200
    text = report.text
    assert "18,437.798" in text and "<strong>18437</strong>" in text and "Khushig Khundii PV" in text
    assert "RE_i,p = EG_i,p × EF_RE,i" in text and "meters.csv" in text and "params.yaml" in text
    assert calc.input_digest in text


def test_form_error_names_file_row_column_and_stores_nothing(client, participant, pv_files, tmp_path: Path):
    client.force_login(participant)
    bad = tmp_path / "no-offsets.csv"
    bad.write_text("device_id,timestamp,parameter,value,unit\nPV-1,2024-03-01 12:00:00,EG,10,MWh\n")
    _, params = pv_files
    with bad.open("rb") as m, params.open("rb") as p:
        r = client.post(
            "/ja/mrv/calculate/",
            {
                "calc-methodology": "MN_AM003",
                "calc-periods": "2024-01-01T00:00+08:00/2025-01-01T00:00+08:00",
                "calc-meter_files": [m],
                "calc-parameters_file": p,
            },
        )
    assert r.status_code == 422
    assert "no-offsets.csv" in r.text and "timestamp" in r.text and "UTC offset" in r.text
    assert Calculation.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="mrv.").exists()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_page_and_pdf(client, signed_in, lang):
    body = {
        "methodology": "ID_AM003",
        "periods": [
            {"period": "2017-01-01T00:00+07:00/2018-01-01T00:00+07:00", "monitored": {"EC_PJ": {"IQF-1": 135}}}
        ],
        "parameters": {"values": {"COP_PJ": "1.63", "EF_elec": "0.814"}},
        "label": "アディブ冷凍工場",
    }
    body["public"] = True  # published: readable by anyone with the link
    calc_id = signed_in.post("/api/v1/mrv/calculations", json.dumps(body), content_type="application/json").json()["id"]
    signed_in.logout()
    page = signed_in.get(f"/{lang}/mrv/calculations/{calc_id}/")
    assert page.status_code == 200
    text = page.text
    for shown in (
        "135.6975",
        "109.89",
        "25.8075",
        "アディブ冷凍工場",
        "EC_PJ[IQF-1]",
        "RE_i[IQF-1]",
        "RE_i,p = EC_PJ,i,p × COP_PJ,i / COP_RE,i × EF_elec",
        "rounding rule",
    ):
        assert shown in text, shown
    assert f"/{lang}/mrv/calculations/{calc_id}/report.pdf" in text
    pdf = signed_in.get(f"/{lang}/mrv/calculations/{calc_id}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert signed_in.get(f"/{lang}/mrv/calculations/00000000-0000-0000-0000-000000000000/").status_code == 404
