"""Old addresses of articles keep working after an editor changes a slug.

Rows of django.contrib.redirects answer, through its fallback middleware,
only where the site itself would answer 404; an old slug that is taken again
by a new page therefore shows the new page.
"""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.urls import reverse


def follow_slug_change(*, article, old_slug):
    """Send /old_slug/ (and every address already sent there) to the article.

    Called after a published article is saved under a new slug. Chains are
    flattened, so no reader follows two 301s in a row, and a redirect away
    from the article's new address, left by an earlier rename, is removed.
    """
    site = Site.objects.get(pk=settings.SITE_ID)
    old_path = reverse("articles:page", kwargs={"slug": old_slug})
    new_path = article.get_absolute_url()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.filter(site=site, old_path=new_path).delete()
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})
