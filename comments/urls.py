from django.urls import path

from comments import feeds, views

app_name = "comments"

# Included at the site's root (injurysite/urls.py): the endpoints under
# /comments/, and each article's comment feed under the article's address.
urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comments/feed/", feeds.site_feed, name="feed"),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/comments/feed/", feeds.article_feed, name="article_feed"),
]
