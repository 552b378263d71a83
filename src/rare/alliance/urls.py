from django.urls import path

from rare.alliance import views
from rare.alliance.decisions import urls as decision_urls
from rare.alliance.plan import urls as plan_urls
from rare.alliance.statements import urls as statement_urls

app_name = "alliance"

urlpatterns = [
    path("", views.group_list, name="groups"),
    *plan_urls.urlpatterns,
    *decision_urls.urlpatterns,
    *statement_urls.urlpatterns,
    path("<slug:slug>/", views.group_detail, name="group"),
]
