from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from rare.alliance.statements import views as statement_views
from rare.api.api import api as api_v1
from rare.core import quick_exit
from rare.core import views as core_views
from rare.programme.camps import urls as camps_urls
from rare.solidarity import views as solidarity_views

admin.site.site_header = "RARE"
admin.site.site_title = "RARE"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("allauth.urls")),
    path("account/api-tokens/", include("rare.api.urls")),
    path("account/", include("rare.accounts.urls")),
    path("camps/", include("rare.programme.urls")),
    path("calendar/", include(camps_urls.calendar_urlpatterns)),
    path("directory/", include("rare.community.urls")),
    path("groups/", include("rare.alliance.urls")),
    path("statements/<slug:slug>/", statement_views.public_statement, name="public_statement"),
    path("learning/", include("rare.learning.urls")),
    path("alerts/", include("rare.solidarity.urls")),
    path("feeds/alerts.atom", solidarity_views.AlertFeed(), name="alerts_feed"),
    path("monitor/", include("rare.monitor.urls")),
    path("calls/", include("rare.programme.calls.urls")),
    path("team/calls/", include("rare.programme.calls.team_urls")),
    path("team/camps/", include("rare.programme.registration.team_urls")),
    path("", include("rare.reports.urls")),
    path("team/", include("rare.core.urls")),
    path("notifications/", include("rare.core.urls_notifications")),
    path(f"{settings.RARE_ADMIN_PATH}/", admin.site.urls),
    path("leave/", quick_exit.leave, name="quick_exit"),
    path("", include("rare.website.urls")),
]

handler500 = "rare.core.errors.server_error"
