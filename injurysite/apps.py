from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class InjurysiteConfig(AppConfig):
    name = "injurysite"
    verbose_name = "Site"

    def ready(self):
        # Imported here because it imports a model, which Django loads only
        # once the app registry is ready (so not when this module is read).
        from injurysite.sites import name_the_site

        def _name_the_site(sender, using, **kwargs):
            name_the_site(using=using)

        # django.contrib.sites makes its "example.com" row on post_migrate
        # (after every migrate and flush), so the row is corrected on the same
        # signal, right after it: the sites app is ready, and connected, first.
        post_migrate.connect(
            _name_the_site,
            sender=apps.get_app_config("sites"),
            dispatch_uid="injurysite.name_the_site",
            weak=False,
        )
