"""URL patterns of the action plan, meetings, campaigns and the engagement log, included by
rare.alliance.urls (namespace "alliance") before the group pattern `<slug:slug>/`."""

from django.urls import path

from rare.alliance.plan import views

urlpatterns = [
    path("plan/", views.plan_overview, name="plan"),
    path("plan/actions/new/", views.action_create, name="action_create"),
    path("plan/actions/<int:pk>/", views.action_detail, name="action"),
    path("plan/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("plan/actions/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("plan/actions/<int:pk>/milestones/<int:milestone_id>/", views.milestone_done, name="milestone_done"),
    path("plan/export.csv", views.plan_export, {"fmt": "csv"}, name="plan_export_csv"),
    path("plan/export.xlsx", views.plan_export, {"fmt": "xlsx"}, name="plan_export_xlsx"),
    path("plan/export.pdf", views.plan_export, {"fmt": "pdf"}, name="plan_export_pdf"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<slug:slug>/outputs/new/", views.campaign_output_add, name="campaign_output_add"),
    path("campaigns/<slug:slug>/outputs/<int:pk>/file/", views.campaign_output_download, name="campaign_output"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/new/", views.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/edit/", views.engagement_edit, name="engagement_edit"),
    path("engagements/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("engagements/<int:pk>/follow-ups/<int:follow_up_id>/", views.follow_up_done, name="follow_up_done"),
    path("engagements/institutions/<slug:slug>/", views.institution_history, name="institution_history"),
    path("<slug:slug>/meetings/", views.meeting_list, name="meetings"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
]
