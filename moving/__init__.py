"""Moving a whole site in: the old hosted site's pages (import_pages) and a
WordPress export (import_wordpress). It sits above comments, articles and
affiliates because one import fills all three."""
