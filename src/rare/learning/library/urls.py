from django.urls import path

from rare.learning.library import views

urlpatterns = [
    path("library/", views.resource_list, name="library"),
    path("library/new/", views.resource_add, name="resource_add"),
    path("library/<int:pk>/", views.resource_detail, name="resource"),
    path("library/<int:pk>/edit/", views.resource_change, name="resource_change"),
    path("library/<int:pk>/download/", views.resource_download, name="resource_download"),
]
