from django.urls import path

from jcm.reference import views

app_name = "reference"
urlpatterns = [
    path("countries/", views.countries, name="countries"),
    path("sectoral-scopes/", views.scopes, name="scopes"),
    path("methodologies/", views.methodologies, name="methodologies"),
]
