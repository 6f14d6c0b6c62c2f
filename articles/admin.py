from django.contrib import admin

from articles.affiliate.admin import ArticleAffiliateAdminMixin
from articles.models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "intro"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["position", "meta_description"]}),
    ]


@admin.register(Article)
class ArticleAdmin(ArticleAffiliateAdminMixin, admin.ModelAdmin):
    list_display = ["title", "category", "status", "published_at"]
    list_filter = ["status", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "body"]}),
        ("Listing", {"fields": ["excerpt", "image", "image_alt"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["meta_description", "author"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
