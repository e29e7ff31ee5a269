"""Writes for the reference data: the idempotent load of the versioned data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from jcm.audit.services import record_event
from jcm.reference import models as m
from jcm.reference.core.parse import load_dataset
from jcm.reference.core.records import ReferenceDataset


@dataclass
class LoadReport:
    version: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.removed.values())


def _upsert(report: LoadReport, kind: str, model: Any, key: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model.objects.create(**key, **values)
        report.created[kind] = report.created.get(kind, 0) + 1
        return obj
    dirty = [name for name, value in values.items() if getattr(obj, name) != value]
    if dirty:
        for name in dirty:
            setattr(obj, name, values[name])
        obj.save(update_fields=dirty)
        report.updated[kind] = report.updated.get(kind, 0) + 1
    return obj


def _remove_stale(report: LoadReport, kind: str, queryset: Any, keep_ids: set[int]) -> None:
    stale = queryset.exclude(pk__in=keep_ids)
    count = stale.count()
    if count:
        stale.delete()
        report.removed[kind] = count


def _sourced(record: Any) -> dict[str, Any]:
    return {"source": record.source, "confidence": record.confidence}


def apply_dataset(*, dataset: ReferenceDataset, now: datetime, actor: Any = None) -> LoadReport:
    """Make the database hold exactly ``dataset``; one transaction, one audit event if anything changed.

    Raises django.db.models.ProtectedError when a record to be removed is still referenced
    (e.g. a methodology used by a project); nothing is changed in that case.
    """
    report = LoadReport(version=dataset.version)
    with transaction.atomic():
        countries: dict[str, m.Country] = {}
        for c in dataset.countries:
            countries[c.code] = _upsert(report, "countries", m.Country, {"code": c.code}, {
                "name_en": c.name_en, "name_ja": c.name_ja, "partner_order": c.partner_order,
                "signed_on": c.signed_on, "signed_on_text": c.signed_on_text, **_sourced(c),
            })
        scopes: dict[int, m.SectoralScope] = {}
        for s in dataset.sectoral_scopes:
            scopes[s.number] = _upsert(report, "sectoral_scopes", m.SectoralScope, {"number": s.number}, {
                "name_en": s.name_en, "name_ja": s.name_ja, **_sourced(s),
            })
        pairs: dict[str, m.CountryPair] = {}
        for p in dataset.country_pairs:
            pairs[p.partner_code] = _upsert(report, "country_pairs", m.CountryPair,
                                            {"partner": countries[p.partner_code]}, {
                "generation": p.generation, "generation_confidence": p.generation_confidence,
                "first_jc_on": p.first_jc_on, "jc_secretariat_email": p.jc_secretariat_email,
                "rules_note": p.rules_note, **_sourced(p),
            })
        tpes: dict[str, m.Tpe] = {}
        for t in dataset.tpes:
            tpes[t.tpe_id] = _upsert(report, "tpes", m.Tpe, {"tpe_id": t.tpe_id}, {
                "pair": pairs[t.partner_code], "name": t.name, "status": t.status,
                "designated_on": t.designated_on, **_sourced(t),
            })
        designation_ids: set[int] = set()
        for d in dataset.tpe_designations:
            designation = _upsert(report, "tpe_designations", m.TpeDesignation,
                                  {"tpe": tpes[d.tpe_id], "function": d.function}, {
                "expires_on": d.expires_on, "designated_on": d.designated_on, **_sourced(d),
            })
            wanted = {scopes[n].pk for n in d.scopes}
            if set(designation.scopes.values_list("pk", flat=True)) != wanted:
                designation.scopes.set(wanted)
                report.updated["tpe_designations"] = report.updated.get("tpe_designations", 0) + 1
            designation_ids.add(designation.pk)
        methodology_ids: set[int] = set()
        for me in dataset.methodologies:
            obj = _upsert(report, "methodologies", m.Methodology, {"jcm_id": me.jcm_id, "version": me.version}, {
                "pair": pairs[me.partner_code], "title": me.title, "sectoral_scope": scopes[me.sectoral_scope] if me.sectoral_scope else None,
                "approved_on": me.approved_on, "status": me.status, **_sourced(me),
            })
            methodology_ids.add(obj.pk)
        ef_ids: set[int] = set()
        for ef in dataset.grid_emission_factors:
            obj = _upsert(report, "grid_emission_factors", m.GridEmissionFactor, {
                "partner": countries[ef.partner_code], "grid": ef.grid, "kind": ef.kind,
                "year_or_period": ef.year_or_period,
            }, {"value": ef.value, "unit": ef.unit, "used_by": ";".join(ef.used_by), **_sourced(ef)})
            ef_ids.add(obj.pk)

        _remove_stale(report, "grid_emission_factors", m.GridEmissionFactor.objects.all(), ef_ids)
        _remove_stale(report, "methodologies", m.Methodology.objects.all(), methodology_ids)
        _remove_stale(report, "tpe_designations", m.TpeDesignation.objects.all(), designation_ids)
        _remove_stale(report, "tpes", m.Tpe.objects.all(), {t.pk for t in tpes.values()})
        _remove_stale(report, "country_pairs", m.CountryPair.objects.all(), {p.pk for p in pairs.values()})
        _remove_stale(report, "sectoral_scopes", m.SectoralScope.objects.all(), {s.pk for s in scopes.values()})
        _remove_stale(report, "countries", m.Country.objects.all(), {c.pk for c in countries.values()})

        report.counts = {
            "countries": len(dataset.countries),
            "country_pairs": len(dataset.country_pairs),
            "sectoral_scopes": len(dataset.sectoral_scopes),
            "tpes": len(dataset.tpes),
            "tpe_designations": len(dataset.tpe_designations),
            "methodologies": len(dataset.methodologies),
            "grid_emission_factors": len(dataset.grid_emission_factors),
        }
        if report.changed:
            load = m.ReferenceLoad.objects.create(version=dataset.version, loaded_at=now, counts=report.counts)
            record_event(
                action="reference.load", target=load, at=now, actor=actor,
                after={"version": dataset.version, "created": report.created, "updated": report.updated,
                       "removed": report.removed},
                label=f"reference data {dataset.version}",
            )
    return report


def load_reference_data(*, directory: Path, now: datetime, actor: Any = None) -> LoadReport:
    """Parse and validate the data files in ``directory``, then apply them.

    Raises jcm.reference.core.errors.ReferenceDataError (file, line, field, reason) before
    anything is written when a file is malformed or inconsistent.
    """
    dataset = load_dataset(directory)
    return apply_dataset(dataset=dataset, now=now, actor=actor)
