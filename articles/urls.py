from django.urls import path

from articles import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("search/", views.search, name="search"),
    path("find/", views.find, name="find"),
    path("find/<slug:region>/", views.find_region, name="find_region"),
    path("find/<slug:region>/<slug:symptom>/", views.find_symptom, name="find_symptom"),
    path("reviewers/", views.reviewer_list, name="reviewers"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer"),
    path("<slug:slug>.html", views.old_address, name="old_address"),
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>/feed/", feeds.category_feed, name="category_feed"),
    path("<slug:slug>/helpful/", views.helpful, name="helpful"),
]
