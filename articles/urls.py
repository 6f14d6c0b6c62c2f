from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<slug:slug>.html", views.old_address, name="old_address"),
    path("<slug:slug>/", views.page, name="page"),
]
