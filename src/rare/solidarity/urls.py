from django.urls import path

from rare.solidarity import views

app_name = "solidarity"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("report/", views.report, name="report"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/updates/", views.add_update, name="add_update"),
]
