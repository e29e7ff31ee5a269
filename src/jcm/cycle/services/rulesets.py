"""The rule-set files as stored rows: validate ``data/rulesets`` and keep one ``StoredRuleSet`` per
(id, digest). Idempotent: a file unchanged since it was stored adds nothing; a file edited in place gets a
second row (its new digest), which shows that a published version changed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from jcm.audit.services import record_event
from jcm.cycle.core.ruleset_loader import load_rule_sets
from jcm.cycle.models import StoredRuleSet
from jcm.cycle.services.common import rule_sets_dir


@dataclass(frozen=True, slots=True)
class StoredRow:
    rule_set_id: str
    partner: str
    generation: str
    version: int
    effective_from: datetime.date
    digest: str
    status: str  # new | stored | changed (stored before under another digest)


def sync_rule_sets(*, now: datetime.datetime, directory: Path | None = None) -> list[StoredRow]:
    """Validate every rule-set file (``RuleSetError`` listing every problem, nothing written) and store
    the rows not stored yet, one audit event each. Returns every rule set with its status."""
    catalogue = load_rule_sets(directory or rule_sets_dir())
    out: list[StoredRow] = []
    with transaction.atomic():
        for rs in sorted(catalogue.rule_sets, key=lambda r: (r.partner or "", r.effective_from, r.version, r.id)):
            row, created = StoredRuleSet.objects.get_or_create(
                rule_set_id=rs.id, digest=rs.digest,
                defaults={"partner_code": rs.partner or "", "generation": rs.generation.value, "version": rs.version,
                          "effective_from": rs.effective_from, "title": rs.title[:300],
                          "content": {"file": rs.file, "documents": dict(rs.documents)}, "first_seen_at": now})
            status = "stored"
            if created:
                earlier = StoredRuleSet.objects.filter(rule_set_id=rs.id).exclude(pk=row.pk).exists()
                status = "changed" if earlier else "new"
                record_event(action="cycle.rule_set.store", target=row, at=now,
                             after={"rule_set": rs.id, "digest": rs.digest, "changed": earlier})
            out.append(StoredRow(rs.id, rs.partner or "", rs.generation.value, rs.version, rs.effective_from,
                                 rs.digest, status))
    return out
