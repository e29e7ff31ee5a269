from django.urls import path

from jcm.mrv import views

app_name = "mrv"
urlpatterns = [
    path("mrv/methodologies/", views.methodologies, name="methodologies"),
    path("mrv/methodologies/<str:jcm_id>/", views.methodology, name="methodology"),
    path("mrv/calculate/", views.calculate, name="calculate"),
    path("mrv/calculations/<uuid:calc_id>/", views.calculation, name="calculation"),
    path("mrv/calculations/<uuid:calc_id>/visibility", views.calculation_visibility, name="calculation-visibility"),
    path("mrv/calculations/<uuid:calc_id>/report.pdf", views.calculation_pdf, name="calculation-pdf"),
]
