"""People belong to organisations; organisations hold roles, scoped to a country pair where needed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcm.accounts.core.roles import OrganisationKind, Role
from jcm.reference.models import CountryPair


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, k.value.replace("_", " ")) for k in OrganisationKind],
    )
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    tpe_id = models.CharField(_("TPE ID"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


ROLE_LABELS = {
    Role.PROJECT_PARTICIPANT: _("project participant"),
    Role.FOCAL_POINT: _("focal point"),
    Role.TPE: _("third-party entity"),
    Role.JC_MEMBER: _("Joint Committee member"),
    Role.JC_SECRETARIAT: _("JC secretariat"),
    Role.REGISTRY_MANAGER_JAPAN: _("registry manager (Japan)"),
    Role.REGISTRY_MANAGER_PARTNER: _("registry manager (partner country)"),
    Role.PROGRAMME_MANAGER: _("programme manager"),
    Role.PLATFORM_ADMIN: _("platform administrator"),
}


class Membership(models.Model):
    """A person acts for an organisation in a role, within one country pair or platform-wide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    pair = models.ForeignKey(
        CountryPair, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
        verbose_name=_("country pair"),
    )

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role", "pair"], name="unique_membership"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        pair = f" @ {self.pair.partner.code}" if self.pair_id else ""
        return f"{self.user} — {self.role}{pair} ({self.organisation})"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("what the token is for"))
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("the first characters, to recognise it"))
    digest = models.CharField(_("digest (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["user__username", "created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} — {self.name} ({self.prefix}…)"
