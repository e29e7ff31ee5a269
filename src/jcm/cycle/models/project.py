"""Projects: PIN, PDD, participants and MoC, credit allocation, sites and equipment, crediting periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcm.accounts.models import Organisation
from jcm.cycle.models.base import PROJECT_STATES, Side
from jcm.reference.models import CountryPair, SectoralScope
from jcm.reference.models import Methodology as CatalogueMethodology


class Project(models.Model):
    """A JCM project: ``<CC>_PIN<nnn>`` (Article 6 pairs) and, once registered, ``<CC><nnn>``."""

    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="cycle_projects",
                             verbose_name=_("country pair"))
    key = models.CharField(_("reference"), max_length=20, unique=True,
                           help_text=_("internal reference until a PIN or project ID is given"))
    pin_id = models.CharField(_("PIN ID"), max_length=20, blank=True)
    project_id = models.CharField(_("project ID"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    state = models.CharField(_("state"), max_length=40, choices=PROJECT_STATES, default="draft")
    sectoral_scopes = models.ManyToManyField(SectoralScope, related_name="cycle_projects",
                                             verbose_name=_("sectoral scopes"))
    methodology_version = models.ForeignKey(
        "cycle.MethodologyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("methodology (approved in the cycle)"),
    )
    catalogue_methodology = models.ForeignKey(
        CatalogueMethodology, on_delete=models.PROTECT, null=True, blank=True, related_name="cycle_projects",
        verbose_name=_("methodology (catalogue)"),
    )
    mrv_methodology_id = models.CharField(_("executable MRV methodology"), max_length=40, blank=True)
    focal_point = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="focal_point_projects",
                                    verbose_name=_("focal point"))
    operation_started_on = models.DateField(_("start of operation"), null=True, blank=True)
    crediting_start = models.DateField(_("crediting period start"), null=True, blank=True)
    crediting_end = models.DateField(_("crediting period end (exclusive)"), null=True, blank=True)
    renewals_used = models.PositiveSmallIntegerField(_("renewals used"), default=0)
    attested_no_other_mechanism = models.BooleanField(_("registered in no other mechanism (attested)"),
                                                      default=False)
    attested_at = models.DateTimeField(_("attested at"), null=True, blank=True)
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("attested by"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registration_decision = models.ForeignKey(
        "cycle.JcDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="registered_projects",
        verbose_name=_("registration decision"),
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["pin_id"], condition=~Q(pin_id=""), name="cycle_unique_pin_id"),
            models.UniqueConstraint(fields=["project_id"], condition=~Q(project_id=""),
                                    name="cycle_unique_project_id"),
            models.CheckConstraint(
                condition=Q(crediting_start__isnull=True) | Q(crediting_end__isnull=True)
                | Q(crediting_end__gt=models.F("crediting_start")),
                name="cycle_crediting_period_half_open",
            ),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.project_id or self.pin_id or self.key

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def partner_code(self) -> str:
        return self.pair.partner.code


class ProjectParticipant(models.Model):
    """A party to the project's Modalities of Communication (governments included)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("project"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cycle_participations",
                                     verbose_name=_("organisation"))
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="cycle_unique_participant"),
        ]
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")

    def __str__(self) -> str:
        return f"{self.project}: {self.organisation}"


class Moc(models.Model):
    """A Modalities of Communication statement: focal point, parties and signatories. Versions are kept."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="mocs", verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    focal_point = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("focal point"))
    parties = models.JSONField(_("parties"), default=list,
                               help_text=_("[{organisation, side, email}] as stated in the MoC"))
    signatories = models.JSONField(_("signatories"), default=list,
                                   help_text=_("[{organisation, name, title, alternate}]"))
    in_force = models.BooleanField(_("in force"), default=False)
    filed_at = models.DateTimeField(_("filed at"))
    effective_at = models.DateTimeField(_("in force from"), null=True, blank=True)
    change_request = models.ForeignKey("cycle.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="mocs", verbose_name=_("change request"))

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="cycle_unique_moc_number")]
        verbose_name = _("Modalities of Communication")
        verbose_name_plural = _("Modalities of Communication")

    def __str__(self) -> str:
        return f"{self.project} MoC #{self.number}"


class CreditAllocation(models.Model):
    """A declared Percentage of Credit Allocation (versions kept; the latest declared one applies)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="allocations",
                                verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_unique_allocation_number"),
        ]
        verbose_name = _("credit allocation")
        verbose_name_plural = _("credit allocations")

    def __str__(self) -> str:
        return f"{self.project} allocation #{self.number}"


class AllocationShare(models.Model):
    """One party's share in basis points (10000 = 100 %), the side and the account its credits go to."""

    allocation = models.ForeignKey(CreditAllocation, on_delete=models.CASCADE, related_name="shares",
                                   verbose_name=_("allocation"))
    position = models.PositiveSmallIntegerField(_("position"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("party"))
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    basis_points = models.PositiveIntegerField(_("share (basis points)"))
    account_number = models.CharField(_("registry account"), max_length=40)

    class Meta:
        ordering = ["allocation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "organisation"], name="cycle_unique_share_party"),
            models.CheckConstraint(condition=Q(basis_points__lte=10000), name="cycle_share_at_most_100"),
        ]
        verbose_name = _("allocation share")
        verbose_name_plural = _("allocation shares")

    def __str__(self) -> str:
        return f"{self.organisation} {self.basis_points / 100:.2f}% ({self.side})"


class Site(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sites", verbose_name=_("project"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class Equipment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="equipment",
                                verbose_name=_("project"))
    identifier = models.CharField(_("identifier"), max_length=120, help_text=_("serial number, meter id..."))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["project", "identifier"], name="cycle_unique_equipment"),
        ]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return self.identifier


class DoubleRegistrationHit(models.Model):
    """A possible double registration found by the platform; the participants explain it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="double_registration_hits",
                                verbose_name=_("project"))
    other = models.CharField(_("other project"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20)
    finding = models.TextField(_("finding"))
    explanation = models.TextField(_("explanation by the participants"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("explained by"))
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        ordering = ["project", "other", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "other", "kind", "finding"], name="cycle_unique_hit"),
        ]
        verbose_name = _("double-registration hit")
        verbose_name_plural = _("double-registration hits")

    def __str__(self) -> str:
        return f"{self.project} ~ {self.other} ({self.kind})"


class CreditingPeriod(models.Model):
    """The crediting period ``[start, end)`` and each renewal (number 0 is the first period)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="crediting_periods",
                                verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end (exclusive)"))
    decision = models.ForeignKey("cycle.JcDecision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("JC decision"))

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_unique_crediting_period"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="cycle_crediting_half_open"),
        ]
        verbose_name = _("crediting period")
        verbose_name_plural = _("crediting periods")

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"
