from django.urls import path

from rare.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.camp_list, name="camps"),
    path("<slug:slug>/", views.camp_detail, name="camp"),
]
