from django.urls import path

from rare.learning.feedback import views

urlpatterns = [
    path("feedback/", views.feedback_due, name="feedback_due"),
    path("feedback/new/", views.create, name="feedback_new"),
    path("feedback/results/", views.team_list, name="feedback_team"),
    path("feedback/<int:pk>/", views.answer, name="feedback_answer"),
    path("feedback/<int:pk>/results/", views.results, name="feedback_results"),
]
