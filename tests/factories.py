"""Test data, one factory per model, used by every test."""

from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category
from comments.models import Comment


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


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Runner {n}")
    email = factory.Sequence(lambda n: f"runner{n}@example.com")
    text = factory.Sequence(lambda n: f"My knee felt better after week {n} of rest.")
    status = Comment.Status.APPROVED
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    approved_at = factory.LazyAttribute(
        lambda comment: comment.created_at if comment.status == Comment.Status.APPROVED else None
    )

    class Params:
        pending = factory.Trait(status=Comment.Status.PENDING)
        spam = factory.Trait(status=Comment.Status.SPAM)
        removed = factory.Trait(status=Comment.Status.REMOVED)
