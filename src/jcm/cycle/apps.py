from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "jcm.cycle"
    label = "cycle"
    verbose_name = _("Project cycle")
    default_auto_field = "django.db.models.BigAutoField"
