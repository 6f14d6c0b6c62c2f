from django.contrib import admin
from django.contrib.flatpages import admin as flatpages_admin
from django.contrib.flatpages.models import FlatPage

from articles.models import Article, Category
from injurysite.pagecache import content_changed


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
class ArticleAdmin(admin.ModelAdmin):
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


# Flat pages belong to django.contrib.flatpages, so their model cannot call
# content_changed() itself; its admin is registered again to do so, the only
# place editors change them.
admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class FlatPageAdmin(flatpages_admin.FlatPageAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()  # the page's sites are saved after the page itself

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()
