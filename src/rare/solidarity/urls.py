from django.urls import path

from rare.solidarity import views

app_name = "solidarity"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("report/", views.report, name="report"),
    path("queue/", views.queue, name="queue"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/updates/", views.add_update, name="add_update"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("<int:pk>/pledges/", views.pledge, name="pledge"),
    path("<int:pk>/pledges/<int:pledge_id>/done/", views.pledge_done, name="pledge_done"),
    path("<int:pk>/pledges/<int:pledge_id>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("<int:pk>/pledges/<int:pledge_id>/evidence/", views.pledge_evidence, name="pledge_evidence"),
]
