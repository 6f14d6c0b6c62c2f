"""What `{% cache %}` needs to keep a template fragment under the content
version (see pagecache.versions):

    {% load cache %}
    {% cache fragment_timeout article-main article.pk content_version site_address %}

`site_address` (scheme and host) belongs in the key of any fragment with
absolute links, since they are made from it when SITE_URL is unset. Nothing
that differs between readers may go inside. Each value is worked out only
when a template uses it, and once per request.
"""

import time

from pagecache.versions import fragment_timeout, version_now


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

    def site_address():
        return f"{request.scheme}://{request.get_host()}"

    return {
        "content_version": content_version,
        "fragment_timeout": timeout,
        "site_address": site_address,
    }
