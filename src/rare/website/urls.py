from django.urls import path

from rare.website import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.page_detail, name="about"),
    path("about/<slug:slug>/", views.page_detail, name="page"),
    path("news/", views.news_list, name="news_list"),
    path("news/<slug:slug>/", views.news_detail, name="news"),
    path("feeds/news.atom", views.NewsFeed(), name="news_feed"),
    # The programme team's editor; 404 for everyone else.
    path("website/", views.TeamPages.as_view(), name="team_pages"),
    path("website/new/", views.NewPage.as_view(), name="team_new"),
    path("website/<slug:slug>/edit/<str:language>/", views.EditPage.as_view(), name="team_edit"),
    path("website/<slug:slug>/history/", views.PageHistory.as_view(), name="team_history"),
    path("website/<slug:slug>/versions/<int:pk>/", views.VersionDetail.as_view(), name="team_version"),
    path("website/<slug:slug>/versions/<int:pk>/restore/", views.RestoreVersion.as_view(), name="team_restore"),
]
