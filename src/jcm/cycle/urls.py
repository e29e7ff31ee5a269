from django.urls import path

from jcm.cycle.views import files, project_steps, public, submissions, workspace

app_name = "cycle"
urlpatterns = [
    path("cycle/", public.index, name="index"),
    path("cycle/projects/", public.projects, name="projects"),
    path("cycle/projects/<str:reference>/", public.project, name="project"),
    path("cycle/methodologies/", public.methodologies, name="methodologies"),
    path("cycle/methodologies/<str:pm_id>/", public.methodology, name="methodology"),
    path("cycle/decisions/", public.decisions, name="decisions"),
    path("cycle/windows/<int:window_id>/comments/", public.comment, name="comment"),
    path("cycle/files/<int:version_id>/public/", files.public_file, name="public-file"),
    path("cycle/files/<int:version_id>/confidential/", files.confidential_file, name="confidential-file"),
    path("cycle/files/translations/<int:translation_id>/", files.translation_file, name="translation-file"),
    path("cycle/files/meetings/<int:report_id>/", files.meeting_report_file, name="meeting-file"),
    path("cycle/workspace/", workspace.workspace, name="workspace"),
    path("cycle/workspace/methodologies/new/", project_steps.new_methodology, name="new-methodology"),
    path("cycle/workspace/projects/new/", project_steps.new_project, name="new-project"),
    path("cycle/workspace/project/<int:pk>/tpe/", project_steps.assign_tpe, name="assign-tpe"),
    path("cycle/workspace/project/<int:pk>/moc/", project_steps.file_moc, name="file-moc"),
    path("cycle/workspace/project/<int:pk>/allocation/", project_steps.declare_allocation, name="allocation"),
    path("cycle/workspace/project/<int:pk>/attest/", project_steps.attest, name="attest"),
    path("cycle/workspace/project/<int:pk>/hits/<int:n>/", project_steps.explain_hit, name="explain-hit"),
    path("cycle/workspace/project/<int:pk>/reports/", project_steps.new_report, name="new-report"),
    path("cycle/workspace/project/<int:pk>/edit/", submissions.edit_project, name="edit-project"),
    path("cycle/workspace/project/<int:pk>/changes/", submissions.new_change_request, name="new-change-request"),
    path("cycle/workspace/secretariat/", submissions.secretariat, name="secretariat"),
    path("cycle/workspace/<str:kind>/<int:pk>/", workspace.work, name="work"),
    path("cycle/workspace/<str:kind>/<int:pk>/act/", workspace.act, name="act"),
    path("cycle/workspace/<str:kind>/<int:pk>/documents/", workspace.upload, name="upload"),
]
