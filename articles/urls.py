from django.urls import path

from articles import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("search/", views.search, name="search"),
    path("<slug:slug>.html", views.old_address, name="old_address"),
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>/feed/", feeds.category_feed, name="category_feed"),
    path("<slug:slug>/helpful/", views.helpful, name="helpful"),
]
