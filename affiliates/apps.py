from django.apps import AppConfig


class AffiliatesConfig(AppConfig):
    name = "affiliates"
    label = "affiliates"
    verbose_name = "Affiliate links"
