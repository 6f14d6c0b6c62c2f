from articles.models.article import Article, ArticleQuerySet, ReviewDue, published_condition
from articles.models.category import Category, CategoryQuerySet
from articles.models.media import ImageUse, UploadedImage
from articles.models.rendition import Rendition
from articles.models.reviewer import Reviewer
from articles.models.taxonomy import BodyRegion, Symptom

__all__ = [
    "Article",
    "ArticleQuerySet",
    "BodyRegion",
    "Category",
    "CategoryQuerySet",
    "ImageUse",
    "Rendition",
    "ReviewDue",
    "Reviewer",
    "Symptom",
    "UploadedImage",
    "published_condition",
]
