from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from rare.core import views as core_views

admin.site.site_header = "RARE"
admin.site.site_title = "RARE"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("camps/", include("rare.programme.urls")),
    path(f"{settings.RARE_ADMIN_PATH}/", admin.site.urls),
    path("", include("rare.website.urls")),
]
