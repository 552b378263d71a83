"""Addresses of the framework, assessments and growth (included by rare.learning.urls)."""

from django.urls import path

from rare.learning.assessments import views

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<int:round_id>/", views.answer, name="answer"),
    path("growth/", views.my_growth, name="my_growth"),
    path("programmes/<slug:slug>/framework/", views.framework, name="framework"),
    path("programmes/<slug:slug>/framework/default/", views.framework_default, name="framework_default"),
    path("programmes/<slug:slug>/framework/<int:pk>/", views.competency_edit, name="competency_edit"),
    path("programmes/<slug:slug>/framework/<int:pk>/move/", views.competency_move, name="competency_move"),
    path("programmes/<slug:slug>/framework/<int:pk>/retire/", views.competency_retire, name="competency_retire"),
    path("programmes/<slug:slug>/rounds/", views.rounds, name="rounds"),
    path("programmes/<slug:slug>/needs/", views.cohort_needs, name="cohort_needs"),
    path("programmes/<slug:slug>/needs/link/", views.link_session, name="link_session"),
    path("programmes/<slug:slug>/growth/", views.cohort_growth, name="cohort_growth"),
    path("programmes/<slug:slug>/people/<int:person_id>/growth/", views.person_growth, name="person_growth"),
]
