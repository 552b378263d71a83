"""Public addresses of calls for applications, under /calls/."""

from django.urls import path

from rare.programme.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/thanks/", views.call_thanks, name="thanks"),
]
