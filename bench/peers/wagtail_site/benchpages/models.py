from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    """An article: the same title, body and sidebar as the site's article page."""

    summary = RichTextField(blank=True)
    body = RichTextField()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recent"] = ArticlePage.objects.live().order_by("-first_published_at")[:10]
        context["categories"] = self.get_parent().get_children().live()
        return context
