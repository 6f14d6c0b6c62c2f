from django.urls import path

from affiliates import views

app_name = "affiliates"

urlpatterns = [
    path("<slug:slug>/", views.go, name="go"),
    path("<slug:slug>/ping/", views.ping, name="go_ping"),
]
