from articles.models.article import Article, ArticleQuerySet
from articles.models.category import Category, CategoryQuerySet

__all__ = ["Article", "ArticleQuerySet", "Category", "CategoryQuerySet"]
