"""Rule-set versions as stored: which id and digest decisions were taken under."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredRuleSet(models.Model):
    """A rule-set version seen by the platform. A second digest for the same id means the file was
    edited in place after decisions were taken under it: both rows stay, the log shows which applied."""

    rule_set_id = models.CharField(_("rule set"), max_length=40)
    digest = models.CharField(_("digest (SHA-256)"), max_length=64)
    partner_code = models.CharField(_("partner"), max_length=2, blank=True)
    generation = models.CharField(_("generation"), max_length=10)
    version = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    content = models.JSONField(_("content"), default=dict)
    first_seen_at = models.DateTimeField(_("first used at"))

    class Meta:
        ordering = ["partner_code", "effective_from", "version"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set_id", "digest"], name="cycle_unique_rule_set_digest"),
        ]
        verbose_name = _("rule-set version")
        verbose_name_plural = _("rule-set versions")

    def __str__(self) -> str:
        return f"{self.rule_set_id} ({self.digest[:12]})"
