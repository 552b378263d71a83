from django.urls import path

from rare.alliance import views

app_name = "alliance"

urlpatterns = [
    path("", views.group_list, name="groups"),
    path("<slug:slug>/", views.group_detail, name="group"),
]
