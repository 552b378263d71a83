"""Addresses of learning plans (included by rare.learning.urls)."""

from django.urls import path

from rare.learning.plans import views

urlpatterns = [
    path("programmes/<slug:slug>/people/<int:person_id>/plan/", views.item_add, name="plan_add"),
    path("programmes/<slug:slug>/people/<int:person_id>/plan/<int:pk>/done/", views.item_done, name="plan_done"),
    path("programmes/<slug:slug>/people/<int:person_id>/plan/<int:pk>/remove/", views.item_remove, name="plan_remove"),
]
