from django.urls import path, re_path

from rare.monitor import views

app_name = "monitor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/tactic/", views.measure_tactic, name="measure_tactic"),
    path("spillover/", views.spillover, name="spillover"),
    path("spillover/alert/<int:pk>/", views.alert_spillover, name="alert_spillover"),
    path("spillover/link/alert/<int:pk>/", views.link, {"side": "alert"}, name="link_alert"),
    path("spillover/link/measure/<int:pk>/", views.link, {"side": "measure"}, name="link_measure"),
    path("spillover/<int:pk>/unlink/", views.unlink, name="unlink"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("data.json", views.data_json, name="data_json"),
    re_path(r"^(?P<country_code>[A-Za-z]{2})/$", views.country, name="country"),
]
