"""The programme team's addresses for calls, under /team/calls/."""

from django.urls import path

from rare.programme.calls import views

app_name = "calls_team"

urlpatterns = [
    path("", views.team_call_list, name="calls"),
    path("<slug:slug>/applications/", views.application_list, name="applications"),
    path("<slug:slug>/applications/bulk/", views.application_bulk, name="bulk"),
    path("<slug:slug>/applications/<int:pk>/", views.application_detail, name="application"),
    path("<slug:slug>/applications/<int:pk>/decision/", views.application_decide, name="decide"),
]
