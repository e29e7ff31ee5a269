"""Methodologies in the cycle: a proposal ``<CC>_PM<nnn>`` and its versions (jcm-rules.md §2.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcm.accounts.models import Organisation
from jcm.cycle.models.base import METHODOLOGY_STATES
from jcm.reference.models import CountryPair, SectoralScope


class Methodology(models.Model):
    """One methodology of one country pair, from its proposal to its approved versions."""

    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="cycle_methodologies",
                             verbose_name=_("country pair"))
    pm_id = models.CharField(_("proposed methodology ID"), max_length=20, unique=True)
    am_id = models.CharField(_("approved methodology ID"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    sectoral_scopes = models.ManyToManyField(SectoralScope, related_name="cycle_methodologies",
                                             verbose_name=_("sectoral scopes"))
    proponent = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="proposed_methodologies",
                                  verbose_name=_("proponent"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["pm_id"]
        constraints = [
            models.UniqueConstraint(fields=["am_id"], condition=~Q(am_id=""), name="cycle_unique_am_id"),
        ]
        verbose_name = _("methodology (cycle)")
        verbose_name_plural = _("methodologies (cycle)")

    def __str__(self) -> str:
        return self.am_id or self.pm_id

    @property
    def partner_code(self) -> str:
        return self.pair.partner.code


class MethodologyVersion(models.Model):
    """One version (``verNN.N``) going through the methodology machine; a revision is a new row."""

    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="versions",
                                    verbose_name=_("methodology"))
    version = models.CharField(_("version"), max_length=8, help_text=_("verNN.N"))
    state = models.CharField(_("state"), max_length=30, choices=METHODOLOGY_STATES, default="draft")
    mrv_methodology_id = models.CharField(
        _("executable MRV methodology"), max_length=40, blank=True,
        help_text=_("the engine's methodology id this version is executed with"),
    )
    revises = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="revisions", verbose_name=_("revises"))
    approved_with_revisions = models.BooleanField(_("approved with revisions"), default=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision = models.ForeignKey("cycle.JcDecision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="methodology_versions", verbose_name=_("JC decision"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["methodology__pm_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["methodology", "version"], name="cycle_unique_methodology_version"),
        ]
        verbose_name = _("methodology version")
        verbose_name_plural = _("methodology versions")

    def __str__(self) -> str:
        return f"{self.methodology} {self.version}"

    @property
    def partner_code(self) -> str:
        return self.methodology.partner_code
