from django.urls import path

from articles import feeds, sitemaps, views
from articles.affiliate import views as affiliate_views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("search/", views.search, name="search"),
    path("go/<slug:slug>/", affiliate_views.go, name="go"),
    path("go/<slug:slug>/ping/", affiliate_views.ping, name="go_ping"),
    path("<slug:slug>.html", views.old_address, name="old_address"),
    path("<slug:slug>/", views.page, name="page"),
]
