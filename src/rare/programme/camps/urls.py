"""Addresses of the camps area. Camp pages are included by rare.programme.urls (under /camps/, namespace
"programme"); the personal calendar by rare.urls (under /calendar/, namespace "calendar")."""

from django.urls import path

from rare.programme.camps import views

urlpatterns = [
    path("", views.camp_list, name="camps"),
    path("<slug:slug>/", views.camp_detail, name="camp"),
    path("<slug:slug>/members/", views.camp_members, name="camp_members"),
    path("<slug:slug>/calendar.ics", views.camp_calendar, name="camp_calendar"),
    path("<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:session_id>/materials/", views.material_add, name="material_add"),
    path(
        "<slug:slug>/sessions/<int:session_id>/materials/<int:material_id>/",
        views.material_download,
        name="material",
    ),
]

calendar_urlpatterns = (
    [
        path("", views.calendar_settings, name="settings"),
        path("<slug:token>.ics", views.personal_calendar, name="feed"),
    ],
    "calendar",
)
