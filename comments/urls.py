from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
