"""Thin models for the JCM reference data loaded from data/reference/*.csv."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CONFIRMED_TAGS = ("V", "D")


class Confidence(models.TextChoices):
    VERIFIED = "V", _("confirmed in the cited source")
    DERIVED = "D", _("derived from confirmed figures")
    REPORTED = "K", _("commonly reported, not confirmed")
    GAP = "GAP", _("not found in public sources")
    PRESS = "press", _("press report only")


class Sourced(models.Model):
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)

    class Meta:
        abstract = True

    @property
    def confirmed(self) -> bool:
        return self.confidence in CONFIRMED_TAGS


class Country(Sourced):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    partner_order = models.PositiveSmallIntegerField(_("partner order"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_text = models.CharField(_("signing date as published"), max_length=200, blank=True)

    class Meta:
        ordering = ["partner_order", "code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"


class Generation(models.TextChoices):
    LEGACY = "legacy", _("legacy")
    ARTICLE6 = "article6", _("Article 6")


class CountryPair(Sourced):
    partner = models.OneToOneField(Country, on_delete=models.PROTECT, related_name="pair", verbose_name=_("partner"))
    generation = models.CharField(_("rule-set generation"), max_length=10, choices=Generation.choices)
    generation_confidence = models.CharField(_("generation confidence"), max_length=8, choices=Confidence.choices)
    first_jc_on = models.DateField(_("first Joint Committee meeting"), null=True, blank=True)
    jc_secretariat_email = models.CharField(_("JC secretariat e-mail"), max_length=200, blank=True)
    rules_note = models.TextField(_("rules in force"), blank=True)

    class Meta:
        ordering = ["partner__partner_order", "partner__code"]
        verbose_name = _("country pair")
        verbose_name_plural = _("country pairs")

    def __str__(self) -> str:
        return f"Japan–{self.partner.name_en}"


class SectoralScope(Sourced):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sectoral scope")
        verbose_name_plural = _("sectoral scopes")

    def __str__(self) -> str:
        return f"{self.number}. {self.name_en}"


class TpeStatus(models.TextChoices):
    DESIGNATED = "designated", _("designated")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Tpe(Sourced):
    tpe_id = models.CharField(_("TPE ID"), max_length=20, unique=True)
    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="tpes", verbose_name=_("country pair"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TpeStatus.choices, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)

    class Meta:
        ordering = ["tpe_id"]
        verbose_name = _("third-party entity")
        verbose_name_plural = _("third-party entities")

    def __str__(self) -> str:
        return f"{self.tpe_id} {self.name}"


class TpeFunction(models.TextChoices):
    VALIDATION = "validation", _("validation")
    VERIFICATION = "verification", _("verification")


class TpeDesignation(Sourced):
    tpe = models.ForeignKey(Tpe, on_delete=models.CASCADE, related_name="designations", verbose_name=_("TPE"))
    function = models.CharField(_("function"), max_length=12, choices=TpeFunction.choices)
    scopes = models.ManyToManyField(SectoralScope, related_name="designations", verbose_name=_("sectoral scopes"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)

    class Meta:
        ordering = ["tpe__tpe_id", "function"]
        constraints = [models.UniqueConstraint(fields=["tpe", "function"], name="unique_tpe_function")]
        verbose_name = _("TPE designation")
        verbose_name_plural = _("TPE designations")

    def __str__(self) -> str:
        return f"{self.tpe.tpe_id} {self.function}"


class Methodology(Sourced):
    jcm_id = models.CharField(_("methodology ID"), max_length=20)
    version = models.CharField(_("version"), max_length=8, blank=True)
    pair = models.ForeignKey(
        CountryPair, on_delete=models.PROTECT, related_name="methodologies", verbose_name=_("country pair"),
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    sectoral_scope = models.ForeignKey(
        SectoralScope, on_delete=models.PROTECT, related_name="methodologies", verbose_name=_("sectoral scope"),
        null=True, blank=True,
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20)

    class Meta:
        ordering = ["jcm_id", "version"]
        constraints = [models.UniqueConstraint(fields=["jcm_id", "version"], name="unique_methodology_version")]
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")

    def __str__(self) -> str:
        return f"{self.jcm_id} ver{self.version}"


class GridEmissionFactor(Sourced):
    partner = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="emission_factors", verbose_name=_("country"),
    )
    grid = models.CharField(_("grid"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=30)
    year_or_period = models.CharField(_("year or period"), max_length=40)
    used_by = models.CharField(_("used by methodologies"), max_length=300, blank=True)

    class Meta:
        ordering = ["partner__code", "grid", "kind", "year_or_period"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "grid", "kind", "year_or_period"], name="unique_grid_ef"),
        ]
        verbose_name = _("grid emission factor")
        verbose_name_plural = _("grid emission factors")

    def __str__(self) -> str:
        return f"{self.partner.code} {self.grid} {self.kind} {self.year_or_period}"


class ReferenceLoad(models.Model):
    """One row per `jcm reference load` that changed something: which data version is in force."""

    version = models.CharField(_("data version"), max_length=40)
    loaded_at = models.DateTimeField(_("loaded at"))
    counts = models.JSONField(_("record counts"))

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"
        verbose_name = _("reference data load")
        verbose_name_plural = _("reference data loads")

    def __str__(self) -> str:
        return f"reference data {self.version}"
