"""Who may do what in the admin, walked page by page and action by action.

The walk is built from admin.site's registry, so a model registered later is
walked too: by default only superusers may reach it, until the policy below
says otherwise. The policy:

- moderators (the Moderators group): comments only: view and change
  (approve, mark as spam, remove), never add or delete;
- editors (the Editors group): articles, injury categories, affiliate links
  (and a read-only view of their clicks), flat pages (the disclosure page is
  content) and redirects (for moved articles); nothing about comments, users,
  groups or sites;
- superusers: everything the admin offers;
- anonymous visitors: nothing; every admin address sends them to sign in.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import get_deleted_objects
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.test import RequestFactory
from django.urls import reverse

from comments.models import CommentRules
from tests.factories import (
    AffiliateClickFactory,
    AffiliateLinkFactory,
    ArticleFactory,
    CommentFactory,
)
from tests.security.pages import find_all, parse

pytestmark = pytest.mark.django_db

EVERYTHING = {"view", "add", "change", "delete"}
POLICY = {
    "moderator": {"comments.comment": {"view", "change"}},
    "editor": {
        "articles.article": EVERYTHING,
        "articles.category": EVERYTHING,
        "affiliates.affiliatelink": EVERYTHING,
        "affiliates.affiliateclick": {"view"},
        "flatpages.flatpage": EVERYTHING,
        "redirects.redirect": EVERYTHING,
    },
}
ROLES = ["anonymous", "moderator", "editor", "superuser"]
# Models with one row, whose change list goes straight to it.
SINGLETONS = {"comments.commentrules"}
# The permissions that open each page, as Django's admin grants them.
PAGES = {
    "changelist": {"view", "change"},
    "add": {"add"},
    "change": {"view", "change"},
    "delete": {"delete"},
    "history": {"view", "change"},
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def label(model):
    return model._meta.label_lower


@pytest.fixture
def samples(merchant, django_user_model, editor):
    """One object of every registered model, for its change, delete and
    history pages and its actions."""
    article = ArticleFactory()
    link = AffiliateLinkFactory(destination_url=merchant.url("/product"))
    flatpage = FlatPage.objects.create(url="/about/", title="About", content="<p>Us.</p>")
    flatpage.sites.add(Site.objects.get_current())
    known = {
        "articles.article": article,
        "articles.category": article.category,
        "affiliates.affiliatelink": link,
        "affiliates.affiliateclick": AffiliateClickFactory(link=link, from_article=article),
        "comments.comment": CommentFactory(article=article, pending=True),
        "comments.commentrules": CommentRules.current(),
        "flatpages.flatpage": flatpage,
        "redirects.redirect": Redirect.objects.create(
            site=Site.objects.get_current(), old_path="/old/", new_path="/new/"
        ),
        "auth.user": editor,
        "auth.group": Group.objects.get(name="Editors"),
        "sites.site": Site.objects.get_current(),
        # django-axes' records of sign-in attempts: for superusers only.
        **{
            f"axes.{model.__name__.lower()}": model.objects.create(
                user_agent="Firefox",
                ip_address="192.0.2.1",
                username="editor",
                http_accept="text/html",
                path_info="/admin/login/",
                **extra,
            )
            for model, extra in [
                (AccessAttempt, {"get_data": "", "post_data": "", "failures_since_start": 3}),
                (AccessLog, {}),
                (AccessFailureLog, {}),
            ]
        },
    }
    objects = {}
    for model in REGISTERED:
        obj = known.get(label(model)) or model.objects.first()
        if obj is None:
            pytest.fail(f"Add an example of {label(model)} to the permission walk's samples.")
        objects[model] = obj
    return objects


@pytest.fixture
def users(editor, moderator, django_user_model):
    return {
        "anonymous": AnonymousUser(),
        "editor": editor,
        "moderator": moderator,
        "superuser": django_user_model.objects.create_superuser("root", "root@example.com"),
    }


@pytest.fixture
def login_as(client, users):
    def login(role):
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return login


def superuser_request():
    """A request from an (unsaved) superuser, to ask the admin what it offers at all."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def offered(model, page, obj, request):
    """Whether the admin offers `page` at all (to a superuser)."""
    model_admin = admin.site._registry[model]
    return {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_view_or_change_permission(request, obj),
        "delete": model_admin.has_delete_permission(request, obj),
        "history": model_admin.has_view_or_change_permission(request, obj),
    }[page]


def may(role, model, permissions):
    """Whether the policy lets `role` use any of `permissions` on `model`."""
    if role == "superuser":
        return True
    return bool(POLICY.get(role, {}).get(label(model), set()) & permissions)


def page_url(model, page, obj):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[] if page in ("changelist", "add") else [obj.pk])


@pytest.mark.parametrize("model", REGISTERED, ids=label)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_admin_pages_the_policy_gives_it(
    login_as, samples, role, model
):
    client = login_as(role)
    request = superuser_request()

    for page, permissions in PAGES.items():
        obj = samples[model]
        url = page_url(model, page, obj)
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
        elif offered(model, page, obj, request) and may(role, model, permissions):
            if page == "changelist" and label(model) in SINGLETONS:
                # One row only: its list opens that row's page.
                assert response.status_code == 302, url
                assert response["Location"] == page_url(model, "change", obj), url
            else:
                assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


def actions_of(model, request):
    model_admin = admin.site._registry[model]
    return sorted((name, func) for name, (func, _, _) in model_admin.get_actions(request).items())


ACTIONS = [
    (model, name) for model in REGISTERED for name, _ in actions_of(model, superuser_request())
]


def snapshot(model):
    return list(model._default_manager.order_by("pk").values())


def offered_actions(client, model):
    """The actions the changelist's menu offers to the signed-in user."""
    tree = parse(client.get(page_url(model, "changelist", None)).content.decode())
    menus = [select for select in find_all(tree, "select") if select.attrs.get("name") == "action"]
    return {option.attrs.get("value") for menu in menus for option in find_all(menu, "option")}


@pytest.mark.parametrize(
    ("model", "action"), ACTIONS, ids=[f"{label(model)}.{name}" for model, name in ACTIONS]
)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_runs_exactly_the_admin_actions_the_policy_gives_it(
    login_as, users, samples, role, model, action
):
    client = login_as(role)
    obj = samples[model]
    func = dict(actions_of(model, superuser_request()))[action]
    required = set(getattr(func, "allowed_permissions", ())) or PAGES["changelist"]
    reaches_list = role != "anonymous" and may(role, model, PAGES["changelist"])
    allowed = reaches_list and all(may(role, model, {need}) for need in required)
    if reaches_list:
        assert (action in offered_actions(client, model)) == allowed
    before = snapshot(model)

    response = client.post(
        page_url(model, "changelist", None),
        # "post" confirms a deletion at once, so a refused delete is proven refused.
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0, "post": "yes"},
    )

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif not reaches_list:
        assert response.status_code == 403
    if not allowed:
        assert snapshot(model) == before
    elif action == "delete_selected":
        request = RequestFactory().post("/")
        request.user = users[role]
        *_, perms_needed, protected = get_deleted_objects([obj], request, admin.site)
        # Deleting what would take others' objects with it needs their permission too.
        deleted = not perms_needed and not protected
        assert response.status_code == (302 if deleted else 403 if perms_needed else 200)
        assert model._default_manager.filter(pk=obj.pk).exists() != deleted
    else:
        assert response.status_code in (200, 302)
        if not response.streaming:
            assert "No action selected." not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_index_lists_exactly_the_models_the_policy_gives_each_role(login_as, role):
    response = login_as(role).get(reverse("admin:index"))

    if role == "anonymous":
        assert response.status_code == 302
        return
    links = {
        a.attrs["href"]
        for a in find_all(parse(response.content.decode()), "a")
        if a.attrs.get("href", "").count("/") == 4
    }
    expected = {
        page_url(model, "changelist", None)
        for model in REGISTERED
        if may(role, model, PAGES["changelist"])
    }
    assert links & {page_url(model, "changelist", None) for model in REGISTERED} == expected


def test_an_editor_may_delete_an_article_without_comments_but_not_one_with_them(login_as):
    client = login_as("editor")
    lonely, discussed = ArticleFactory(), ArticleFactory()
    CommentFactory(article=discussed)

    for article, status in ((discussed, 403), (lonely, 302)):
        url = page_url(type(article), "delete", article)
        assert client.post(url, {"post": "yes"}).status_code == status
    assert type(lonely).objects.filter(pk=discussed.pk).exists()
    assert not type(lonely).objects.filter(pk=lonely.pk).exists()


def test_the_policy_names_only_models_the_admin_has():
    registered = {label(model) for model in REGISTERED}
    for role, models in POLICY.items():
        assert set(models) <= registered, role


# Admin pages that are not a model's: who may open each.
EXTRA_PAGES = {
    # The media library: whoever may change articles.
    "admin:articles_article_media": {"editor", "superuser"},
}


@pytest.mark.parametrize("name", sorted(EXTRA_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_other_admin_pages_the_policy_gives_it(login_as, role, name):
    url = reverse(name)
    response = login_as(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    else:
        assert response.status_code == (200 if role in EXTRA_PAGES[name] else 403), url
