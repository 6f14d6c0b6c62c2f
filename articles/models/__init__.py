from articles.models.article import Article, ArticleQuerySet, published_condition
from articles.models.category import Category, CategoryQuerySet
from articles.models.feedback import HelpfulComment, HelpfulDay
from articles.models.link import ArticleLink
from articles.models.media import ImageUse, UploadedImage
from articles.models.reference import Reference
from articles.models.rendition import Rendition

__all__ = [
    "Article",
    "ArticleLink",
    "ArticleQuerySet",
    "Category",
    "CategoryQuerySet",
    "HelpfulComment",
    "HelpfulDay",
    "Reference",
    "ImageUse",
    "Rendition",
    "UploadedImage",
    "published_condition",
]
