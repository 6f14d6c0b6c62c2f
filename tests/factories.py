"""Test data, one factory per model, used by every test."""

from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import AffiliateClick, AffiliateLink, Article, Category


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


class AffiliateLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AffiliateLink

    name = factory.Sequence(lambda n: f"Running product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    destination_url = factory.Sequence(lambda n: f"https://www.amazon.com/dp/B0{n:08d}")
    merchant = "Amazon Associates"
    tracking_tag = "clinic-20"

    class Params:
        banner = factory.Trait(
            kind=AffiliateLink.Kind.BANNER,
            banner_image=factory.LazyFunction(
                lambda: png_upload("banner.png", size=(728, 90), color=(236, 72, 153))
            ),
            banner_alt="Amazon Outlet: deals on running gear",
        )
        inactive = factory.Trait(is_active=False)
        direct = factory.Trait(is_direct=True)


class AffiliateClickFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AffiliateClick

    link = factory.SubFactory(AffiliateLinkFactory)
