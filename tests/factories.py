"""Test data, one factory per model, used by every test."""

from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from affiliates.models import AffiliateClick, AffiliateLink
from articles.models import Article, BodyRegion, Category, Reviewer, Symptom
from comments.models import Comment

# What a browser posts for the article form's inlines (its References) when
# the editor adds none: the admin refuses a form without it.
ARTICLE_INLINES = {
    "references-TOTAL_FORMS": "0",
    "references-INITIAL_FORMS": "0",
    "references-MIN_NUM_FORMS": "0",
    "references-MAX_NUM_FORMS": "1000",
}


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


class BodyRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyRegion
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class SymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Symptom

    region = factory.SubFactory(BodyRegionFactory)
    name = factory.Sequence(lambda n: f"symptom {n}")
    slug = factory.Sequence(lambda n: f"symptom-{n}")


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    credentials = "PT, DPT"
    email = factory.LazyAttribute(lambda reviewer: f"{reviewer.slug}@clinic.example")


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


def image_bytes(fmt="PNG", size=(640, 400), color=(40, 120, 160)):
    out = BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("a-long-test-password")

    class Params:
        # An editor: staff who may add, change and view articles, nothing else.
        editor = factory.Trait(is_staff=True)

    @factory.post_generation
    def article_permissions(self, create, extracted, **kwargs):
        if create and extracted is not False and self.is_staff and not self.is_superuser:
            from django.contrib.auth.models import Permission

            self.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles",
                    codename__in=[
                        "add_article",
                        "change_article",
                        "view_article",
                        "view_category",
                        "view_historicalarticle",
                        "change_historicalarticle",
                    ],
                )
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


def create_archive(*, articles, comments=0, categories=3):
    """A published archive made in bulk: `articles` articles spread over
    `categories` categories, one minute apart, the newest an hour old.

    Returns the categories. The newest article gets `comments` approved
    comments, made in bulk too.
    """
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
    if comments:
        newest_article = Article.objects.get(published_at=newest, category=hubs[0])
        Comment.objects.bulk_create(
            [CommentFactory.build(article=newest_article) for _ in range(comments)],
            batch_size=1000,
        )
    return hubs
