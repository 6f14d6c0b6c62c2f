"""Site-wide building blocks the apps use: the reader's address (proxies),
the 503 page while the database is down (maintenance), the pager (paging),
the image checks every upload passes (images) and public links (links).

It imports no other package of ours, so every app may import it.
"""
