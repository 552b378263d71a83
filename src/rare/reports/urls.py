from django.urls import path

from rare.reports import views

app_name = "reports"

urlpatterns = [
    path("team/messages/", views.message_list, name="messages"),
    path("team/messages/new/", views.message_edit, name="message_new"),
    path("team/messages/<int:pk>/edit/", views.message_edit, name="message_edit"),
    path("team/messages/<int:pk>/send/", views.message_send, name="message_send"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("team/reports/", views.key_figures, name="key_figures"),
    path("team/reports/funder/", views.funder_report_request, name="funder_report_request"),
    path("team/reports/funder/<int:pk>/", views.funder_report, name="funder_report"),
    path("team/reports/funder/<int:pk>/download/", views.funder_report_download, name="funder_report_download"),
    path("team/exports/", views.export_list, name="exports"),
    path("team/exports/<slug:name>.csv", views.export_csv, name="export_csv"),
    path("team/exports/<slug:name>.xlsx", views.export_xlsx, name="export_xlsx"),
    path("team/exports/jobs/<int:pk>/", views.export_job, name="export_job"),
    path("team/exports/jobs/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
