from articles.models.article import Article, ArticleQuerySet, ReviewDue, published_condition
from articles.models.category import Category, CategoryQuerySet
from articles.models.draft import Draft, EditingSession
from articles.models.feedback import HelpfulComment, HelpfulDay
from articles.models.link import ArticleLink
from articles.models.media import ImageUse, UploadedImage
from articles.models.reference import Reference
from articles.models.rendition import Rendition
from articles.models.reviewer import Reviewer
from articles.models.taxonomy import BodyRegion, Symptom

__all__ = [
    "Article",
    "ArticleLink",
    "ArticleQuerySet",
    "BodyRegion",
    "Category",
    "CategoryQuerySet",
    "Draft",
    "EditingSession",
    "HelpfulComment",
    "HelpfulDay",
    "Reference",
    "ImageUse",
    "Rendition",
    "ReviewDue",
    "Reviewer",
    "Symptom",
    "UploadedImage",
    "published_condition",
]
