"""Site URLs plus the registry pages, as the site will mount them (used by the page tests)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from jcm.site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("", include("jcm.registry.urls")), prefix_default_language=True),
]
