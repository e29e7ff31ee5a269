from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from jcm.site.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", RedirectView.as_view(url="/ja/", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("jcm.reference.urls")),
    path("", include("jcm.registry.urls")),
    path("", include("jcm.mrv.urls")),
    path("", include("jcm.cycle.urls")),
    path("", include("jcm.portal.urls")),
    prefix_default_language=True,
)
