"""The member's registration pages, included in the programme's URLs (under /camps/)."""

from django.urls import path

from rare.programme.registration import views

urlpatterns = [
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/register/cancel/", views.cancel, name="register_cancel"),
]
