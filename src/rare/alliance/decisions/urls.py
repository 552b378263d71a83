"""Decision pages, included in the alliance URLs (under /groups/decisions/)."""

from django.urls import path

from rare.alliance.decisions import views

urlpatterns = [
    path("decisions/", views.proposal_list, name="decisions"),
    path("decisions/new/", views.proposal_create, name="decision_create"),
    path("decisions/<int:pk>/", views.proposal_detail, name="decision"),
    path("decisions/<int:pk>/answer/", views.proposal_answer, name="decision_answer"),
    path("decisions/<int:pk>/outcome/", views.proposal_outcome, name="decision_outcome"),
]
