from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MrvConfig(AppConfig):
    name = "jcm.mrv"
    label = "mrv"
    verbose_name = _("Monitoring, reporting and verification")
