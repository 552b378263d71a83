from django.urls import path

from rare.accounts import views, views_privacy

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.end_session, name="end_session"),
    path("sessions/end-all/", views.end_all_sessions, name="end_all_sessions"),
    path("invitations/", views.invitations, name="invitations"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # Privacy: one's own data, erasure, public profile, travel mode (views_privacy.py).
    path("privacy/my-data/", views_privacy.my_data, name="my_data"),
    path("privacy/erase/", views_privacy.erase, name="erase"),
    path("privacy/public-profile/", views_privacy.profile_visibility, name="profile_visibility"),
    path("travel-mode/", views_privacy.travel_mode, name="travel_mode"),
    path("travel-mode/on/", views_privacy.travel_mode_on, name="travel_mode_on"),
    path("travel-mode/off/", views_privacy.travel_mode_off, name="travel_mode_off"),
    path("travel-mode/off/webauthn/", views_privacy.travel_mode_off_webauthn, name="travel_mode_off_webauthn"),
]
