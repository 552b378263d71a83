"""The team's registration pages, included under /team/camps/."""

from django.urls import path

from rare.programme.registration import views

app_name = "registration"

urlpatterns = [
    path("<slug:slug>/registrations/", views.registration_list, name="list"),
    path("<slug:slug>/registrations/<int:pk>/", views.registration_detail, name="detail"),
    path("<slug:slug>/registrations/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("<slug:slug>/registrations/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<slug:slug>/registrations/bulk/", views.bulk, name="bulk"),
    path("<slug:slug>/registrations/remind/", views.remind_all, name="remind"),
    path("<slug:slug>/attendance/", views.attendance, name="attendance"),
]
