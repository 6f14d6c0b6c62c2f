from articles.models.article import Article, ArticleQuerySet, published_condition
from articles.models.category import Category, CategoryQuerySet
from articles.models.rendition import Rendition

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Category",
    "CategoryQuerySet",
    "Rendition",
    "published_condition",
]
