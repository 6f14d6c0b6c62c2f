"""The site's URLs plus two form views that use the database, as the comment form does."""

from django import forms
from django.http import HttpResponse
from django.urls import include, path

from articles.models import Article
from core.maintenance import keep_form_when_database_is_down


class NoteForm(forms.Form):
    name = forms.CharField(max_length=50)
    email = forms.EmailField()
    text = forms.CharField(widget=forms.Textarea)


@keep_form_when_database_is_down(NoteForm)
def post_note(request):
    form = NoteForm(request.POST)
    if form.is_valid() and Article.objects.exists():
        return HttpResponse("stored")
    return HttpResponse("not stored", status=400)


@keep_form_when_database_is_down()
def post_anything(request):
    Article.objects.exists()
    return HttpResponse("stored")


urlpatterns = [
    path("test/note/", post_note),
    path("test/anything/", post_anything),
    path("", include("injurysite.urls")),
]

handler500 = "articles.views.server_error"
