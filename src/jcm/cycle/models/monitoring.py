"""Monitoring to issuance: report for a period, verification, issuance request, JC notification per side."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcm.cycle.models.base import ISSUANCE_STATES, Side
from jcm.mrv.models import Calculation
from jcm.reference.models import Tpe


class MonitoringReport(models.Model):
    """One monitoring period ``[period_start, period_end)`` of a project; it carries the issuance machine."""

    project = models.ForeignKey("cycle.Project", on_delete=models.PROTECT, related_name="monitoring_reports",
                                verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end (exclusive)"))
    state = models.CharField(_("state"), max_length=40, choices=ISSUANCE_STATES, default="mr_draft")
    calculation = models.ForeignKey(Calculation, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="monitoring_reports", verbose_name=_("MRV calculation"))
    reference_emissions = models.CharField(_("RE (tCO2)"), max_length=120, blank=True)
    project_emissions = models.CharField(_("PE (tCO2)"), max_length=120, blank=True)
    emission_reductions = models.BigIntegerField(_("ER (tCO2e, rounded down)"), null=True, blank=True)
    claimed = models.BigIntegerField(_("claimed (tCO2e)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_unique_report_number"),
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")),
                                   name="cycle_report_period_half_open"),
            models.CheckConstraint(condition=Q(claimed__isnull=True) | Q(claimed__gte=0),
                                   name="cycle_claimed_not_negative"),
        ]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")

    def __str__(self) -> str:
        return f"{self.project} MR{self.number:02d} [{self.period_start.isoformat()}, {self.period_end.isoformat()})"

    @property
    def partner_code(self) -> str:
        return self.project.partner_code

    @property
    def period_label(self) -> str:
        return f"{self.period_start.isoformat()}/{self.period_end.isoformat()}"


class Verification(models.Model):
    """A TPE's verification of a monitoring report: verified amount (≤ claimed) and findings."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="verifications",
                               verbose_name=_("monitoring report"))
    tpe = models.ForeignKey(Tpe, on_delete=models.PROTECT, related_name="cycle_verifications", verbose_name=_("TPE"))
    outcome = models.CharField(_("outcome"), max_length=20,
                               choices=[("verified", _("verified")), ("returned", _("returned for correction"))])
    verified = models.BigIntegerField(_("verified (tCO2e)"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.report}: {self.outcome}"


class IssuanceRequest(models.Model):
    """A Credits Issuance Request (F_Iss_Req) with the allocation it applies."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RETURNED = "returned", _("returned incomplete")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REJECTED = "rejected", _("rejected")
        NOTIFIED = "notified", _("notified")

    report = models.ForeignKey(MonitoringReport, on_delete=models.PROTECT, related_name="issuance_requests",
                               verbose_name=_("monitoring report"))
    requested = models.BigIntegerField(_("requested (tCO2e)"))
    allocation = models.ForeignKey("cycle.CreditAllocation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("allocation"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))

    class Meta:
        ordering = ["report", "submitted_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(requested__gt=0), name="cycle_request_positive")]
        verbose_name = _("issuance request")
        verbose_name_plural = _("issuance requests")

    def __str__(self) -> str:
        return f"{self.report}: {self.requested} t"


class JcNotification(models.Model):
    """The JC's notification to one side of the quantity to issue; executed once in that side's registry.

    ``idempotency_key`` is derived from the decision and the side, so re-running the execution replays
    the registry's result instead of issuing twice; a failed side keeps its error and can be retried.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed, to retry")

    request = models.ForeignKey(IssuanceRequest, on_delete=models.PROTECT, related_name="notifications",
                                verbose_name=_("issuance request"))
    decision = models.ForeignKey("cycle.JcDecision", on_delete=models.PROTECT, related_name="notifications",
                                 verbose_name=_("JC decision"))
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    registry_code = models.CharField(_("registry"), max_length=8)
    quantity = models.BigIntegerField(_("quantity (tCO2e)"))
    total = models.BigIntegerField(_("total notified to both sides (tCO2e)"))
    allocation = models.JSONField(_("allocation"), help_text=_("[[account or registry, basis points], ...]"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    issuance_reference = models.CharField(_("registry issuance"), max_length=60, blank=True)
    serials = models.JSONField(_("serials"), default=list)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    participants_notified_at = models.DateTimeField(_("participants notified at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "side"]
        constraints = [
            models.UniqueConstraint(fields=["request", "side"], name="cycle_one_notification_per_side"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="cycle_notified_not_negative"),
        ]
        verbose_name = _("JC notification")
        verbose_name_plural = _("JC notifications")

    def __str__(self) -> str:
        return f"{self.decision} → {self.side}: {self.quantity} t"
