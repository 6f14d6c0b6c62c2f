"""What `{% cache %}` needs to keep a template fragment under the content
version (see pagecache.versions):

    {% load cache %}
    {% cache fragment_timeout article-main article.pk content_version site_address %}

`site_address` (scheme and host) belongs in the key of any fragment with
absolute links, since they are made from it when SITE_URL is unset.
`path_version`, the version of the page's own path, belongs in the key of a
fragment that changes with that page alone (an article's body, its sharing
tags), since content_changed(paths=[...]) refreshes the page but not the
content version. Nothing that differs between readers may go inside. Each
value is worked out only when a template uses it, and once per request.
"""

import time

from pagecache.versions import fragment_timeout, path_version, version_now


def fragments(request):
    started = time.time()
    known = {}

    def content_version():
        if "version" not in known:
            known["version"] = version_now()
        return known["version"]

    def timeout():
        # Every {% cache %} tag asks, hit or miss: worked out at the first
        # and kept for the rest, which render within the same milliseconds.
        if "timeout" not in known:
            known["timeout"] = fragment_timeout(content_version(), started)
        return known["timeout"]

    def page_version():
        if "path" not in known:
            known["path"] = path_version(request.path)
        return known["path"]

    def site_address():
        return f"{request.scheme}://{request.get_host()}"

    return {
        "content_version": content_version,
        "fragment_timeout": timeout,
        "path_version": page_version,
        "site_address": site_address,
    }
