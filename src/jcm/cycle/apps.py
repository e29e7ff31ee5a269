from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "jcm.cycle"
    label = "cycle"
    verbose_name = _("Project cycle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jcm.cycle.queries import cycle_may_view_calculation
        from jcm.mrv.queries import VIEW_RULES

        if cycle_may_view_calculation not in VIEW_RULES:
            VIEW_RULES.append(cycle_may_view_calculation)
