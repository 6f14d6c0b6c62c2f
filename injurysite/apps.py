from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _name_the_site(sender, using, **kwargs):
    from injurysite.sites import name_the_site

    name_the_site(using=using)


class InjurysiteConfig(AppConfig):
    name = "injurysite"
    verbose_name = "Site"

    def ready(self):
        # django.contrib.sites makes its "example.com" row on post_migrate
        # (after every migrate and flush), so the row is corrected on the same
        # signal, right after it: the sites app is ready, and connected, first.
        post_migrate.connect(
            _name_the_site,
            sender=apps.get_app_config("sites"),
            dispatch_uid="injurysite.name_the_site",
        )
