"""Every admin page under the admin's Content-Security-Policy, in Chromium:
no style or script the page needs is refused."""

from django.contrib import admin
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from affiliates.models import AffiliateLink
from comments.models import CommentRules
from tests.factories import (
    AffiliateClickFactory,
    AffiliateLinkFactory,
    ArticleFactory,
    CommentFactory,
)

# Collects violations reported by the page itself; Chromium also logs each to the console.
VIOLATION_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def one_of_each_model():
    """At least one object of every model the admin shows."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    article = ArticleFactory(title="Runner's knee", with_image=True)
    ArticleFactory(draft=True)
    article.body += "<p>A second revision for the history page.</p>"
    article.save()
    for health in AffiliateLink.Health:
        AffiliateLinkFactory(health=health, name=f"Link that is {health.label}")
    AffiliateClickFactory(from_article=article)
    CommentFactory(article=article)
    CommentFactory(article=article, pending=True)
    CommentRules.current()
    page = FlatPage.objects.create(url="/disclosure/", title="Disclosure", content="<p>Fees.</p>")
    page.sites.add(Site.objects.get_current())
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/old/", new_path="/new/")
    Group.objects.create(name="Editors of the test")
    attempt = {"user_agent": "Chromium", "ip_address": "127.0.0.1", "username": "someone"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    return article


def admin_pages(article, user):
    """Change list, add page and the first object's change page of every model, and an
    article's history and the page of one of its revisions."""
    request = RequestFactory().get("/")
    request.user = user
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{info}_add"))
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"no {model._meta.label} to open"
        urls.append(reverse(f"{info}_change", args=[first.pk]))
    revision = article.history.earliest()
    urls.append(reverse("admin:articles_article_history", args=[article.pk]))
    urls.append(reverse("admin:articles_article_simple_history", args=[article.pk, revision.pk]))
    urls.append(reverse("admin:redirects_redirect_import"))
    # The media library, on its own and as the image dialog's popup.
    library = reverse("admin:articles_article_media")
    urls += [library, library + "?CKEditor=id_body&CKEditorFuncNum=1&langCode=en"]
    return urls


def test_no_admin_page_is_refused_anything_by_the_content_security_policy(
    live_server, page, admin_user
):
    article = one_of_each_model()
    urls = admin_pages(article, admin_user)
    console = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and console.append(f"{page.url}: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: console.append(f"{page.url}: page error: {error}"))
    page.add_init_script(VIOLATION_LISTENER)

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    events = []
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        events += [f"{url}: {text}" for text in page.evaluate("window.__cspViolations")]
    assert events == [], "\n".join(events)
    assert console == [], "\n".join(console)

    # The health colours come from the stylesheet, so they differ.
    page.goto(live_server.url + reverse("admin:affiliates_affiliatelink_changelist"))
    health = page.locator(".field-health_status span")
    colours = {
        label: health.filter(has_text=label).evaluate("el => getComputedStyle(el).color")
        for label in ["Working", "Broken", "Could not check"]
    }
    assert len(set(colours.values())) == 3, colours
    expect(health.filter(has_text="Working")).to_have_css("color", "rgb(31, 122, 58)")
