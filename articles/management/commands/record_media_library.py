from django.core.management.base import BaseCommand

from articles.media import record_existing_media
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Enter earlier CKEditor uploads and every article's pictures (with their alt texts) "
        "in the media library. Needed once, for pictures uploaded before the library existed; "
        "running it again adds nothing twice."
    )

    def handle(self, *args, **options):
        articles = Article.objects.only("pk", "body", "image", "image_alt", "thumbnail")
        added, read = record_existing_media(articles=articles)
        self.stdout.write(f"{added} picture(s) added to the media library; {read} article(s) read.")
