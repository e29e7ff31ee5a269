"""TPE assignments to projects, and designations recorded by the secretariat (jcm-rules.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcm.reference.models import CountryPair, SectoralScope, Tpe, TpeFunction


class TpeAssignment(models.Model):
    """The TPE the participants contracted for a function; the latest active one acts."""

    project = models.ForeignKey("cycle.Project", on_delete=models.CASCADE, related_name="tpe_assignments",
                                verbose_name=_("project"))
    tpe = models.ForeignKey(Tpe, on_delete=models.PROTECT, related_name="cycle_assignments", verbose_name=_("TPE"))
    function = models.CharField(_("function"), max_length=12, choices=TpeFunction.choices)
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "function", "-assigned_at"]
        verbose_name = _("TPE assignment")
        verbose_name_plural = _("TPE assignments")

    def __str__(self) -> str:
        return f"{self.project}: {self.tpe.tpe_id} ({self.function})"


class DesignationStatus(models.TextChoices):
    DESIGNATED = "designated", _("designated")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")


class RecordedDesignation(models.Model):
    """A TPE designation recorded by the secretariat (where the reference data lacks it)."""

    tpe = models.ForeignKey(Tpe, on_delete=models.PROTECT, related_name="recorded_designations",
                            verbose_name=_("TPE"))
    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="recorded_designations",
                             verbose_name=_("country pair"))
    function = models.CharField(_("function"), max_length=12, choices=TpeFunction.choices)
    scopes = models.ManyToManyField(SectoralScope, related_name="recorded_designations",
                                    verbose_name=_("sectoral scopes"))
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on (last valid day)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DesignationStatus.choices,
                              default=DesignationStatus.DESIGNATED)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    decision = models.ForeignKey("cycle.JcDecision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("JC decision"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["tpe__tpe_id", "function", "recorded_at"]
        verbose_name = _("recorded TPE designation")
        verbose_name_plural = _("recorded TPE designations")

    def __str__(self) -> str:
        return f"{self.tpe.tpe_id} {self.function} @ {self.pair.partner.code}"
