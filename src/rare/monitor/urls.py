from django.urls import path, re_path

from rare.monitor import views

app_name = "monitor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("measures/", views.measure_list, name="measures"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("data.json", views.data_json, name="data_json"),
    re_path(r"^(?P<country_code>[A-Za-z]{2})/$", views.country, name="country"),
]
