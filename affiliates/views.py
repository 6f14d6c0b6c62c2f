"""/go/<slug>/ and its ping: the only ways a click is counted.

The destination is read from the database alone; no query parameter can
change where a reader is sent. Every answer is kept out of search engines
and caches, because each GET has to reach us to be counted.
"""

from functools import wraps

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from affiliates.clicks import article_slug_from, record_click
from affiliates.models import AffiliateLink, article_model


def private(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


@private
@require_safe
def go(request, slug):
    link = AffiliateLink.objects.filter(slug=slug).first()
    if link is None:
        return render(request, "404.html", status=404)
    from_slug = article_slug_from(request.GET.get("from", ""))
    if not link.is_active:
        article = None
        if from_slug:
            article = article_model().objects.published().filter(slug=from_slug).first()
        return render(request, "affiliates/affiliate_gone.html", {"article": article}, status=410)
    record_click(
        link=link,
        from_slug=from_slug,
        user_agent=request.headers.get("User-Agent", ""),
        method=request.method,
        purpose=request.headers.get("Sec-Purpose") or request.headers.get("Purpose", ""),
    )
    return HttpResponseRedirect(link.target_url)


# A browser sends the ping itself, with no form and no CSRF token; the worst a
# forged one can do is add a click, which a GET of /go/ can do as well.
@private
@csrf_exempt
@require_POST
def ping(request, slug):
    link = AffiliateLink.objects.filter(slug=slug).first()
    if link is None:
        return HttpResponse(status=404)
    if link.is_direct:
        record_click(
            link=link,
            from_slug=request.GET.get("from", ""),
            user_agent=request.headers.get("User-Agent", ""),
            method=request.method,
        )
    return HttpResponse(status=204)
