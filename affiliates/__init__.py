"""The affiliate-link manager: links, their clicks and the articles that use
them (models), /go/ clicks (views, clicks), rendering into pages (render),
the allow-list (hosts), the link checker (checks), statistics (stats) and
the admin. Articles use it; it imports nothing from articles or comments.
"""
