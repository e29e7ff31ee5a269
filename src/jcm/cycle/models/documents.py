"""Submissions with their versions (public and confidential files, translations), windows and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcm.cycle.models.base import Subject

SUBJECT_GIVEN = (
    Q(methodology_version__isnull=False) | Q(project__isnull=False) | Q(monitoring_report__isnull=False)
    | Q(change_request__isnull=False)
)


def public_path(instance: models.Model, filename: str) -> str:
    return f"cycle/public/{filename}"


def confidential_path(instance: models.Model, filename: str) -> str:
    return f"cycle/confidential/{filename}"


class Document(Subject):
    """One submission (a form code such as F_PDD or F_Val_Rep) of one cycle object; it keeps versions."""

    form_code = models.CharField(_("form"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=SUBJECT_GIVEN, name="cycle_document_has_subject")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.form_code} of {self.subject}"


class DocumentVersion(models.Model):
    """A version: the public (redacted) file everyone sees, and the full confidential one if any."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("document"))
    number = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8, default="en")
    public_file = models.FileField(_("public version"), upload_to=public_path, max_length=300)
    public_sha256 = models.CharField(_("public file SHA-256"), max_length=64)
    confidential_file = models.FileField(_("confidential version"), upload_to=confidential_path, blank=True,
                                         max_length=300)
    confidential_sha256 = models.CharField(_("confidential file SHA-256"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="cycle_unique_document_version"),
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document.form_code} v{self.number}"

    @property
    def has_confidential(self) -> bool:
        return bool(self.confidential_file)


class Translation(models.Model):
    """A reference translation of a document version (e.g. Vietnamese; English stays authoritative)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="translations",
                                verbose_name=_("document version"))
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=public_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="cycle_unique_translation"),
        ]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"


class Window(Subject):
    """A deadline window ``[opens_at, closes_at)`` from the rule set: public input, completeness check,
    JC consideration... ``closes_at`` is null where the rule set gives no day count (GAP)."""

    key = models.CharField(_("deadline"), max_length=60)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    rule_set_id = models.CharField(_("rule set"), max_length=40)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True,
                                     help_text=_("when the step it waits for was taken, or the window was closed"))
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        ordering = ["opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=SUBJECT_GIVEN, name="cycle_window_has_subject"),
            models.CheckConstraint(condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                                   name="cycle_window_half_open"),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="cycle_window_open_idx")]
        verbose_name = _("window")
        verbose_name_plural = _("windows")

    def __str__(self) -> str:
        return f"{self.key} of {self.subject}"

    @property
    def is_public_input(self) -> bool:
        return self.key.endswith("_public_input")


class PublicComment(models.Model):
    """A public input received in a public-input window. Published with the name, never the e-mail."""

    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="comments", verbose_name=_("window"))
    author_name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail (not published)"), blank=True)
    text = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted at"))
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["window", "submitted_at", "id"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.author_name} on {self.window}"
