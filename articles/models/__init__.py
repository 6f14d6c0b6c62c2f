from articles.models.article import Article, ArticleQuerySet
from articles.models.category import Category

__all__ = ["Article", "ArticleQuerySet", "Category"]
