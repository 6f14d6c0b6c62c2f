"""Affiliate links: the rules and side-effect functions around the models in
articles.models.affiliate (clicks, rendering into pages, usage, link checks).

Nothing here is imported by articles.models at import time except `hosts`,
so the modules may import the models freely.
"""
