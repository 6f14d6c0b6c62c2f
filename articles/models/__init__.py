from articles.models.article import Article, ArticleQuerySet, published_condition
from articles.models.category import Category, CategoryQuerySet
from articles.models.draft import Draft, EditingSession
from articles.models.media import ImageUse, UploadedImage
from articles.models.rendition import Rendition

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Category",
    "CategoryQuerySet",
    "Draft",
    "EditingSession",
    "ImageUse",
    "Rendition",
    "UploadedImage",
    "published_condition",
]
