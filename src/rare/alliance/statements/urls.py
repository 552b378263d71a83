"""Joint-statement pages of the members' area, included in the alliance URLs (under /groups/statements/).

The public page of a published statement is routed in rare.urls (/statements/<slug>/).
"""

from django.urls import path

from rare.alliance.statements import views

urlpatterns = [
    path("statements/", views.statement_list, name="statements"),
    path("statements/new/", views.statement_create, name="statement_create"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement"),
    path("statements/<slug:slug>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<slug:slug>/open/", views.statement_open, name="statement_open"),
    path("statements/<slug:slug>/publish/", views.statement_publish, name="statement_publish"),
    path("statements/<slug:slug>/withdraw/", views.statement_withdraw, name="statement_withdraw"),
    path("statements/<slug:slug>/sign/", views.statement_sign, name="statement_sign"),
    path("statements/<slug:slug>/signatories.csv", views.signatories_csv, name="statement_csv"),
    path("statements/<slug:slug>/signatories.xlsx", views.signatories_xlsx, name="statement_xlsx"),
]
