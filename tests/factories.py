"""Test data, one factory per model, used by every test."""

from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category


def png_upload(name="picture.png", size=(640, 400), color=(40, 120, 160)):
    out = BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Injury category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    intro = "<p>Articles about one kind of injury.</p>"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    category = factory.SubFactory(CategoryFactory)
    body = "<p>Knees, shins and feet take the strain of every stride.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        with_image = factory.Trait(
            image=factory.LazyFunction(png_upload), image_alt="A runner on a hill"
        )


def create_archive(*, articles, comments=0, categories=3):
    """A published archive made in bulk: `articles` articles spread over
    `categories` categories, one minute apart, the newest an hour old.

    Returns the categories. `comments` is for the comment system: once it is
    merged, add `comments` approved comments to the newest article here (with
    CommentFactory.build + bulk_create), so the query-budget tests can
    parametrize over it.
    """
    if comments:
        raise NotImplementedError("Comments join the archive once the comments app is merged.")
    hubs = CategoryFactory.create_batch(categories)
    newest = timezone.now() - timedelta(hours=1)
    batch = []
    for number in range(articles):
        article = ArticleFactory.build(
            category=hubs[number % categories],
            published_at=newest - timedelta(minutes=number),
        )
        article.fill_derived_fields()
        batch.append(article)
    Article.objects.bulk_create(batch, batch_size=1000)
    return hubs
