from django.urls import path

from jcm.registry import views

app_name = "registry"
urlpatterns = [
    path("registry/", views.index, name="index"),
    path("registry/serial/", views.serial, name="serial"),
    path("registry/retirements/", views.retirements, name="retirements"),
    path("registry/retirements/<str:number>/", views.retirement, name="retirement"),
    path("registry/<str:code>/", views.registry, name="registry"),
]
