from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and injury categories"

    def ready(self):
        # Imported here: models load only once the app registry is ready.
        # Redirect rows are django.contrib.redirects' model, saved by its own
        # admin and ours alike, so a signal is the one place to hear of them.
        from django.contrib.redirects.models import Redirect

        from articles.redirects import redirects_changed

        post_save.connect(redirects_changed, sender=Redirect, dispatch_uid="redirects_changed")
        post_delete.connect(redirects_changed, sender=Redirect, dispatch_uid="redirects_changed_d")
