from django.urls import path

from rare.community import views

app_name = "community"

urlpatterns = [
    path("", views.directory_home, name="index"),
    path("participants/", views.ParticipantList.as_view(), name="participants"),
    path("people/", views.PeopleList.as_view(), name="people"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person"),
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("organisations/<slug:slug>/", views.OrganisationDetail.as_view(), name="organisation"),
    path("allies/", views.AlliesView.as_view(), name="allies"),
    path("map/", views.NetworkMap.as_view(), name="map"),
    path("institutions/", views.InstitutionList.as_view(), name="institutions"),
    path("institutions/<slug:slug>/", views.InstitutionDetail.as_view(), name="institution"),
]
