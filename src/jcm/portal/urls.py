from django.urls import path

from jcm.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/<str:code>/", views.country, name="country"),
    path("tpes/", views.tpes, name="tpes"),
    path("workspace/", views.workspace, name="workspace"),
    path("audit/<str:target_type>/<str:target_id>/", views.audit_trail, name="audit-trail"),
]
